// The public figures page (/public/, served by the centre, no script) in Debian's headless
// Chromium against a real `hcp demo`, whose fresh folder holds a demo history (cli/demo_history.h):
// the figures show, the GET form filters (period, dates, unit), a unit under the minimum sample
// shows 样本不足, published bad ratings are masked, the page works with the keyboard, and it does
// not scroll sideways on a 320/360 px phone. Run on SQLite, and on PostgreSQL (a database of its
// own in the cluster HCP_TEST_PG points at; without it the test fails, unless
// HCP_TEST_PG_OPTIONAL=1). Screenshots: HCP_ARTIFACT_DIR/public-<store>-desktop.png, -mobile-360.png.
import assert from 'node:assert/strict';
import {execFileSync, spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {ARTIFACTS, HCP, launchBrowser} from './harness.mjs';

const SMALL_UNIT = '11330100MB0000003X';  // the demo history's unit with 6 ratings (< 10)

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { if (browser) await browser.close(); });

async function startDemo(db) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp-public-'));
  const args = ['demo', '--dir', dir, '--edge-port', '0', '--central-port', '0'];
  if (db) args.push('--db', db);
  const child = spawn(HCP, args, {stdio: ['ignore', 'pipe', 'pipe']});
  let out = '', err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  const end = Date.now() + 60000;
  while (!/Keys, data and these URLs/.test(out) && Date.now() < end && child.exitCode === null)
    await new Promise((r) => setTimeout(r, 100));
  assert.match(out, /Keys, data and these URLs/, `hcp demo did not start:\n${out}\n${err}`);
  const info = JSON.parse(fs.readFileSync(path.join(dir, 'demo.json'), 'utf8'));
  return {
    info, out, dir,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.on('exit', r)));
      fs.rmSync(dir, {recursive: true, force: true});
    },
  };
}

function pgDatabase() {
  const base = process.env.HCP_TEST_PG;
  if (!base) return null;
  const name = `hcp_public_${process.pid}`;
  execFileSync('psql', [base, '-q', '-c', `CREATE DATABASE ${name}`]);
  const u = new URL(base);
  u.pathname = '/' + name;
  return {url: u.toString(), drop() { execFileSync('psql', [base, '-q', '-c', `DROP DATABASE ${name} WITH (FORCE)`]); }};
}

const card = (page, label) => page.locator('.cards li').filter({hasText: new RegExp(`^${label}`)}).locator('b');
const day = (d) => new Date(d.getTime() + 8 * 3600e3).toISOString().slice(0, 10);  // the centre's day (+08:00)

// Fills the filter form with the keyboard-free path a sighted user takes, then submits it.
async function filter(page, fields) {
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, {exact: true}).fill(value);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', {name: '查询'}).click()]);
}

const stores = [['sqlite', () => null]];
if (process.env.HCP_TEST_PG || process.env.HCP_TEST_PG_OPTIONAL !== '1') stores.push(['postgresql', pgDatabase]);

for (const [store, makeDb] of stores) {
  describe(`public page on ${store}`, () => {
    let demo, pg, base;
    before(async () => {
      pg = makeDb();
      if (store === 'postgresql') assert.ok(pg, 'HCP_TEST_PG is not set (scripts/pg_cluster start DIR)');
      demo = await startDemo(pg && pg.url);
      base = demo.info.public_page;
    });
    after(async () => {
      if (demo) await demo.stop();
      if (pg) pg.drop();
    });

    test('hcp demo prints the public page and it shows the demo history, filtered by the form', async () => {
      assert.match(demo.out, /\/public\//, 'hcp demo prints the public page URL');
      assert.match(base, /^http:\/\/127\.0\.0\.1:\d+\/public\/$/);
      const page = await browser.newPage({viewport: {width: 1280, height: 900}});
      const res = await page.goto(base);
      assert.equal(res.status(), 200);
      assert.equal(await page.locator('h1').innerText(), '政务服务“好差评”公开数据');
      // The last 200 days hold the whole demo history (306 ratings over 120 days) and the demo's own two.
      const from = day(new Date(Date.now() - 200 * 86400e3)), to = day(new Date());
      await filter(page, {'起始日期': from, '截止日期': to});
      assert.match(page.url(), new RegExp(`from=${from}&to=${to}`));
      assert.match(await page.locator('header p').innerText(), new RegExp(`统计期间 ${from} 至 ${to}`));
      const total = Number(await card(page, '评价数').innerText());
      assert.ok(total >= 306, `评价数 ${total}`);
      assert.match(await card(page, '好评率（含默认评价）').innerText(), /^\d+\.\d%$/);
      assert.match(await card(page, '整改率').innerText(), /^\d+\.\d%$/, 'the closed loop rectified some');
      assert.match(await card(page, '办结用时中位数（工作日）').innerText(), /^\d/);
      // Rankings with names; the small unit is not ranked (—) and shows 样本不足.
      const units = page.locator('table', {has: page.locator('caption', {hasText: '承办单位好评率排名'})});
      await units.locator('th[scope=row]', {hasText: '杭州市市场监督管理局'}).waitFor();
      const small = units.locator('tr', {hasText: '杭州市不动产登记服务中心'});
      assert.equal(await small.locator('td').first().innerText(), '—');
      assert.match(await small.innerText(), /样本不足/);
      // Published bad ratings: the citizens' personal data masked, the evaluator a masked name.
      const bad = page.locator('table', {has: page.locator('caption', {hasText: '公开的差评'})});
      const text = await bad.innerText();
      assert.match(text, /【演示】/);
      for (const secret of ['13912345678', '330102199001011234', 'demo.citizen@example.com', '浙A12345', '0571-12345678'])
        assert.ok(!text.includes(secret), `${secret} is not masked`);
      assert.match(text, /王\*/);
      assert.ok(!(await page.content()).includes('13912345678'));
      await page.screenshot({path: path.join(ARTIFACTS, `public-${store}-desktop.png`), fullPage: true});

      // One unit: only its 6 ratings, every rate 样本不足. The dates stay as they were.
      await filter(page, {'承办单位': SMALL_UNIT});
      assert.match(page.url(), new RegExp(`unit=${SMALL_UNIT}`));
      assert.equal(await card(page, '评价数').innerText(), '6');
      assert.equal(await card(page, '好评率（含默认评价）').innerText(), '样本不足');
      // A month in 期间 wins over the dates still in the form.
      const month = day(new Date(Date.now() - 40 * 86400e3)).slice(0, 7);
      await filter(page, {'承办单位': '', '期间': month});
      assert.match(await page.locator('header p').innerText(), new RegExp(`统计期间 ${month}-01 至 ${month}-\\d\\d`));
      assert.ok(Number(await card(page, '评价数').innerText()) > 0);
      assert.equal(await page.getByLabel('期间', {exact: true}).inputValue(), month);
      // A bad filter: said at the top (an alert), the default period shown.
      await filter(page, {'期间': '', '起始日期': '2026-13-01'});
      await page.getByRole('alert').filter({hasText: '起始日期'}).or(page.getByRole('alert').filter({hasText: 'from'})).waitFor();
      await page.close();
    });

    test('keyboard: skip link first, every filter and the button reachable with Tab, focus visible', async () => {
      const page = await browser.newPage({viewport: {width: 1280, height: 900}});
      await page.goto(base);
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.textContent), '跳到正文');
      const seen = [];
      for (let i = 0; i < 12; ++i) {
        await page.keyboard.press('Tab');
        seen.push(await page.evaluate(() => {
          const e = document.activeElement;
          const style = getComputedStyle(e);
          return {id: e.id || e.textContent, outline: style.outlineStyle, width: style.outlineWidth};
        }));
      }
      const ids = seen.map((s) => s.id);
      for (const id of ['period', 'from', 'to', 'area', 'unit', 'item', 'hall', 'window', '查询'])
        assert.ok(ids.includes(id), `${id} reachable with Tab (got ${ids.join(', ')})`);
      for (const s of seen.slice(0, 9)) assert.notEqual(s.outline, 'none', `focus visible on ${s.id}`);
      // Enter on the button submits the form.
      await page.getByLabel('承办单位', {exact: true}).fill(SMALL_UNIT);
      await Promise.all([page.waitForNavigation(), page.getByLabel('承办单位', {exact: true}).press('Enter')]);
      assert.match(page.url(), new RegExp(`unit=${SMALL_UNIT}`));
      await page.close();
    });

    test('phones: no sideways scroll at 320 and 360 px, tables scroll inside their box', async () => {
      for (const width of [320, 360]) {
        const page = await browser.newPage({viewport: {width, height: 740}, isMobile: true, hasTouch: true});
        await page.goto(base + '?from=' + day(new Date(Date.now() - 200 * 86400e3)));
        const widths = await page.evaluate(() => ({doc: document.documentElement.scrollWidth, body: document.body.scrollWidth}));
        assert.ok(widths.doc <= width && widths.body <= width, `${width} px: page is ${JSON.stringify(widths)} wide`);
        const fontPx = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('input')).fontSize));
        assert.ok(fontPx >= 16, 'inputs at 16 px (no zoom on focus)');
        const button = await page.getByRole('button', {name: '查询'}).boundingBox();
        assert.ok(button.height >= 44, `the button is ${button.height} px high`);
        if (width === 360) await page.screenshot({path: path.join(ARTIFACTS, `public-${store}-mobile-360.png`), fullPage: true});
        await page.close();
      }
    });
  });
}
