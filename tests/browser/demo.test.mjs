// `hcp demo` as a newcomer meets it: the first URL it prints is the demo government page with a
// fresh ticket, the widget there works, and the QR short link opens the landing page at /r/<code>,
// which fetches its ticket from the edge (GET /api/v1/links/<code>) and shows the widget.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {ARTIFACTS, HCP, launchBrowser, phase, targetCenter, waitState, widgetReady} from './harness.mjs';

let demo, out = '', browser, dir;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp-demo-'));
  demo = spawn(HCP, ['demo', '--dir', dir, '--edge-port', '0', '--central-port', '0'], {stdio: ['ignore', 'pipe', 'pipe']});
  demo.stdout.on('data', (d) => { out += d; });
  demo.stderr.on('data', () => {});
  const end = Date.now() + 20000;
  while (!/short link[\s\S]*\/r\//.test(out) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  browser = await launchBrowser();
});
after(async () => {
  if (browser) await browser.close();
  if (demo) {
    demo.kill('SIGTERM');
    await new Promise((r) => (demo.exitCode !== null ? r() : demo.on('exit', r)));
  }
});

test('the first URL hcp demo prints is the government page, and rating there works', async () => {
  const first = (out.match(/https?:\/\/\S+/) || [])[0];
  assert.ok(first, 'hcp demo printed a URL:\n' + out);
  assert.match(first, /\/widget\/demo\.html\?ticket=hcp1\./);
  const page = await browser.newPage({viewport: {width: 1200, height: 900}});
  await page.goto(first);
  assert.equal(await widgetReady(page, '#rate'), 'canvas');
  const click = async (key) => { const p = await targetCenter(page, '#rate', key); await page.mouse.click(p.x, p.y); };
  await click('level:4');
  await waitState(page, '#rate', (s) => s.level === 4);
  await click('submit');
  await phase(page, '#rate', 'done');
  await page.close();
});

test('the QR short link opens the landing page with the widget', async () => {
  const info = JSON.parse(fs.readFileSync(path.join(dir, 'demo.json'), 'utf8'));
  const qr = info.cases.find((c) => c.channel === 'qr');
  assert.match(qr.short_url, /\/r\/[A-Za-z0-9_-]+$/);
  const page = await browser.newPage({viewport: {width: 390, height: 844}, deviceScaleFactor: 2, isMobile: true, hasTouch: true});
  await page.goto(qr.short_url);
  assert.equal(await widgetReady(page, '#rate'), 'canvas');
  assert.equal(await page.locator('#rate .hcpw-item').textContent(), qr.item_name);
  await page.screenshot({path: path.join(ARTIFACTS, 'qr-landing.png'), fullPage: true});
  // An unknown code is told kindly, not a blank page.
  await page.goto(qr.short_url.replace(/\/r\/.*$/, '/r/NoSuchCode1'));
  await page.waitForSelector('#msg:not([hidden])');
  assert.match(await page.locator('#msg-h').textContent(), /未找到该评价链接|暂时无法打开评价/);
  await page.close();
});
