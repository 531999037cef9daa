// Real parts for the browser tests: `hcp keygen`, a real `hcp central`, a real `hcp edge` relaying
// to it and serving the widget's files, tickets from `hcp ticket issue`, and Debian's Chromium
// driven by playwright-core (never a downloaded browser).
import {spawn, execFileSync} from 'node:child_process';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {chromium} from 'playwright-core';

export const HCP = process.env.HCP_BINARY || path.resolve('../../build/bin/hcp');
export const WEB = process.env.HCP_WEB_DIR || path.resolve('../../build/wasm/web');
export const ARTIFACTS = process.env.HCP_ARTIFACT_DIR || path.join(os.tmpdir(), 'hcp-browser-artifacts');
export const CHROMIUM = process.env.HCP_CHROMIUM || '/usr/lib/chromium/chromium';

function startServer(args, name, dir) {
  const log = fs.openSync(path.join(dir, name + '.log'), 'w');
  const child = spawn(HCP, args, {cwd: dir, stdio: ['ignore', 'ignore', 'pipe']});
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${text}`)), 10000);
    child.stderr.on('data', (d) => {
      fs.writeSync(log, d);
      text += d;
      const m = text.match(/"port":(\d+)/);
      if (m && timer) {
        clearTimeout(timer);
        resolve({child, port: Number(m[1])});
      }
    });
    child.on('exit', (code) => reject(new Error(`${name} exited ${code}: ${text}`)));
  });
}

export async function startSystem() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp-browser-'));
  execFileSync(HCP, ['keygen', '--out', 'keys'], {cwd: dir, stdio: 'ignore'});
  // A third-party page embedding the widget: another origin on loopback (a routed fake host would
  // be a public, insecure origin, which Chromium's Private Network Access forbids to reach loopback).
  const pages = new Map();
  const host = http.createServer((req, res) => {
    const body = pages.get(req.url.split('?')[0]);
    res.writeHead(body ? 200 : 404, {'Content-Type': 'text/html; charset=utf-8'});
    res.end(body || 'not found');
  });
  await new Promise((r) => host.listen(0, '127.0.0.1', r));
  const hostOrigin = `http://127.0.0.1:${host.address().port}`;
  const central = await startServer(['central', '--listen', '127.0.0.1:0', '--data', 'central',
                                     '--trust-edge', 'keys/edge.pub', '--seal-key', 'keys/seal.key'], 'central', dir);
  // Rate limiting off: every test runs from 127.0.0.1 and would share one bucket.
  fs.writeFileSync(path.join(dir, 'edge.json'), JSON.stringify({rate_per_second: 0}));
  const edge = await startServer(['edge', '--listen', '127.0.0.1:0', '--data', 'edge', '--config', 'edge.json',
                                  '--issuer-key', 'keys/issuer.pub', '--allow-origin', hostOrigin,
                                  '--central', `http://127.0.0.1:${central.port}`, '--edge-key', 'keys/edge.key',
                                  '--web', WEB], 'edge', dir);
  let n = 0;
  const sys = {
    dir,
    hostOrigin,
    // Serves `html` at hostOrigin + path.
    hostPage(path, html) { pages.set(path, html); return hostOrigin + path; },
    edgeUrl: `http://127.0.0.1:${edge.port}`,
    // A fresh ticket for a new finished case.
    ticket(channel = 'pc', extra = {}) {
      const claims = {case: `SR-BROWSER-${process.pid}-${++n}-${Date.now()}`, item: '330100-0001',
                      item_name: '个体工商户设立登记', unit: '11330100MB0000000X', unit_name: '杭州市市场监督管理局',
                      area: '330100', channel, finished_at: '2026-11-20T10:00:00+08:00', assess: 1,
                      evaluator: {sub: 'u-' + n, kind: 'person', name: '张*', phone: '13800138000'}, ...extra};
      return execFileSync(HCP, ['ticket', 'issue', '--key', 'keys/issuer.key', '--seal-to', 'keys/seal.pub'],
                          {cwd: dir, input: JSON.stringify(claims)}).toString().trim();
    },
    // Accepted ratings at the centre.
    centreTotal() {
      const out = execFileSync(HCP, ['central', 'stats', '--data', 'central'], {cwd: dir}).toString();
      return JSON.parse(out).total;
    },
    async waitCentreTotal(expected, ms = 10000) {
      const end = Date.now() + ms;
      let total;
      while (Date.now() < end) {
        total = sys.centreTotal();
        if (total >= expected) return total;
        await new Promise((r) => setTimeout(r, 100));
      }
      return total;
    },
    async stop() {
      host.close();
      for (const p of [edge.child, central.child]) {
        p.kill('SIGTERM');
        await new Promise((r) => (p.exitCode !== null ? r() : p.on('exit', r)));
      }
    },
  };
  return sys;
}

export async function launchBrowser() {
  fs.mkdirSync(ARTIFACTS, {recursive: true});
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // WebGL2 without a GPU: ANGLE on SwiftShader.
    args: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--no-sandbox', '--disable-dev-shm-usage'],
  });
}

// Waits until the widget inside `selector` is ready and returns its mode ('canvas' or 'form').
export async function widgetReady(page, selector) {
  try {
    await page.waitForFunction((sel) => {
      const el = document.querySelector(sel);
      return window.HcpWidget && el && el.querySelector('.hcpw[data-phase]');
    }, selector, {timeout: 15000});
  } catch (e) {  // say what the page shows instead
    const html = await page.evaluate((sel) => (document.querySelector(sel) || document.body).innerHTML.slice(0, 600) + " HcpWidget=" + typeof window.HcpWidget, selector);
    throw new Error(`the widget in ${selector} did not become ready: ${html}`);
  }
  return page.evaluate(async (sel) => {
    const c = window.HcpWidget.mount(document.querySelector(sel));
    await c.ready;
    return c.mode();
  }, selector);
}

// Waits until the widget inside `selector` has drawn no frame for three animation frames: its
// controls are where the last frame put them (a change such as typed text, a chosen level or a
// focus ring draws a few frames, and a reason list can move the controls below it).
export async function settled(page, selector, timeout = 5000) {
  try {
    await page.evaluate(({sel, timeout}) => new Promise((resolve, reject) => {
      const c = window.HcpWidget.mount(document.querySelector(sel));
      const end = performance.now() + timeout;
      let last = c.frames(), quiet = 0;
      const tick = () => {
        const f = c.frames();
        quiet = f === last ? quiet + 1 : 0;
        last = f;
        if (quiet >= 3) return resolve();
        if (performance.now() > end) return reject(new Error('frames ' + f));
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    }), {sel: selector, timeout});
  } catch (e) {
    throw new Error(`the widget in ${selector} kept drawing for ${timeout} ms: ${e.message}`);
  }
}

// The centre of a control drawn on the canvas, in page coordinates, once the widget has settled;
// fails if something covers that point (a citizen's tap would land there, not on the control).
export async function targetCenter(page, selector, key) {
  await settled(page, selector);
  const handle = await page.waitForFunction(({sel, k}) => {
    const t = window.HcpWidget.mount(document.querySelector(sel)).target(k);
    return t && t.width > 0 ? t : null;
  }, {sel: selector, k: key}, {timeout: 5000});
  let t = await handle.jsonValue();
  const vh = await page.evaluate(() => innerHeight);
  if (t.y < 0 || t.y + t.height > vh) {  // scroll it into view like a citizen would, then measure again
    await page.evaluate((dy) => window.scrollBy(0, dy), t.y + t.height / 2 - vh / 2);
    await page.waitForTimeout(50);
    t = await page.evaluate(({sel, k}) => window.HcpWidget.mount(document.querySelector(sel)).target(k), {sel: selector, k: key});
  }
  const p = {x: t.x + t.width / 2, y: t.y + t.height / 2};
  const hit = await page.evaluate(({sel, p}) => {
    const e = document.elementFromPoint(p.x, p.y);
    return e && e.closest(sel) && e.tagName === 'CANVAS' ? '' : (e ? e.outerHTML.slice(0, 120) : 'nothing');
  }, {sel: selector, p});
  if (hit) throw new Error(`${key} in ${selector} at (${p.x}, ${p.y}) is covered by ${hit}`);
  return p;
}

export async function state(page, selector) {
  return page.evaluate((sel) => window.HcpWidget.mount(document.querySelector(sel)).state(), selector);
}

// Waits until the widget's state satisfies `pred` (a function source run in the page) and returns it.
export async function waitState(page, selector, pred, timeout = 5000) {
  const h = await page.waitForFunction(({sel, src}) => {
    const s = window.HcpWidget.mount(document.querySelector(sel)).state();
    return s && new Function('s', 'return (' + src + ')(s)')(s) ? s : null;
  }, {sel: selector, src: pred.toString()}, {timeout});
  return h.jsonValue();
}

export async function phase(page, selector, expected, timeout = 10000) {
  await page.waitForFunction(({sel, p}) => {
    const b = document.querySelector(sel + ' .hcpw');
    return b && b.getAttribute('data-phase') === p;
  }, {sel: selector, p: expected}, {timeout});
}
