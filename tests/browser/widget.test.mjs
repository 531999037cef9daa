// The rating widget in headless Chromium (Debian's, WebGL2 on SwiftShader) against a real
// `hcp central` and `hcp edge`: mouse, keyboard, IME, touch, two widgets in a host page, offline.
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {ARTIFACTS, launchBrowser, phase, startSystem, state, targetCenter, waitState, widgetReady} from './harness.mjs';

let sys, browser;
before(async () => {
  sys = await startSystem();
  browser = await launchBrowser();
});
after(async () => {
  if (browser) await browser.close();
  if (sys) await sys.stop();
});

async function demoPage(opts = {}) {
  const context = await browser.newContext({viewport: {width: 1200, height: 900}, locale: 'zh-CN', ...opts});
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const ticket = sys.ticket();
  await page.goto(`${sys.edgeUrl}/widget/demo.html?ticket=${encodeURIComponent(ticket)}`);
  const mode = await widgetReady(page, '#rate');
  assert.equal(mode, 'canvas', 'the widget draws on its canvas (WebGL2): ' + await page.evaluate(() => HcpWidget.mount(document.getElementById('rate')).fallbackReason()));
  return {context, page, errors, ticket};
}

async function click(page, sel, key) {
  const p = await targetCenter(page, sel, key);
  await page.mouse.click(p.x, p.y);
}

test('rate good with the mouse; the edge stores it and an idle widget draws nothing', async () => {
  const {context, page, errors} = await demoPage();
  await page.evaluate(() => {
    window.rated = null;
    document.getElementById('rate').addEventListener('hcp:rated', (e) => { window.rated = e.detail; });
  });
  // Idle: no frames while nothing changes. The first frames and their settling can take longer
  // than 300 ms on a loaded machine: first wait until two readings 300 ms apart agree (5 s at
  // most; a widget that never stops drawing then fails below).
  const frames = () => page.evaluate(() => HcpWidget.mount(document.getElementById('rate')).frames());
  let f0 = await frames();
  for (let i = 0; i < 16; i++) {
    await page.waitForTimeout(300);
    const f = await frames();
    if (f === f0) break;
    f0 = f;
  }
  await page.waitForTimeout(1000);
  const f1 = await frames();
  assert.equal(f1, f0, 'no frames drawn while idle');
  // Off-screen: a change (through the DOM form) draws nothing until the panel is seen again.
  await page.evaluate(() => { document.querySelector('main').style.marginTop = '3000px'; });
  await page.waitForTimeout(300);
  const f2 = await frames();
  await page.evaluate(() => document.querySelector('#rate input[type=radio][value="3"]').click());
  await waitState(page, '#rate', (s) => s.level === 3);
  await page.waitForTimeout(300);
  assert.equal(await frames(), f2, 'no frames while off-screen');
  await page.evaluate(() => { document.querySelector('main').style.marginTop = ''; });
  await page.waitForFunction((n) => HcpWidget.mount(document.getElementById('rate')).frames() > n, f2);

  await click(page, '#rate', 'level:5');
  assert.equal((await waitState(page, '#rate', (s) => s.level === 5)).level, 5);
  assert.equal(await page.locator('#rate input[type=radio][value="5"]').isChecked(), true, 'the DOM form mirrors the canvas');
  await page.screenshot({path: path.join(ARTIFACTS, 'desktop-chosen.png')});
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/ratings'));
  await click(page, '#rate', 'submit');
  const res = await answer;
  assert.equal(res.status(), 201);
  assert.match(res.request().headers()['idempotency-key'], /^[0-9a-f-]{36}$/);
  await phase(page, '#rate', 'done');
  assert.match(await page.locator('#rate [aria-live]').textContent(), /评价已提交/);
  const rated = await page.waitForFunction(() => window.rated).then((h) => h.jsonValue());
  assert.equal(rated.satisfaction, 5);
  assert.match(rated.id, /^r-/);
  await page.screenshot({path: path.join(ARTIFACTS, 'desktop-done.png')});
  assert.deepEqual(errors, []);
  await context.close();
});

// Colours in a control's box on the canvas, from a screenshot (what the compositor shows, not the
// WebGL buffer, which is cleared after each frame): counts of dark (text), green and red pixels.
async function drawnColours(page, sel, key) {
  const t = await page.evaluate(({s, k}) => HcpWidget.mount(document.querySelector(s)).target(k), {s: sel, k: key});
  const png = await page.screenshot({clip: {x: t.x, y: t.y, width: t.width, height: t.height}});
  return page.evaluate(async (src) => {
    const img = new Image();
    await new Promise((r) => { img.onload = r; img.src = src; });
    const c = document.createElement('canvas');
    c.width = img.width; c.height = img.height;
    const x = c.getContext('2d');
    x.drawImage(img, 0, 0);
    const d = x.getImageData(0, 0, c.width, c.height).data;
    const n = {dark: 0, green: 0, red: 0, pixels: d.length / 4};
    for (let i = 0; i < d.length; i += 4) {
      const [r, g, b] = [d[i], d[i + 1], d[i + 2]];
      if (r < 90 && g < 90 && b < 90) n.dark++;
      if (g > r + 40 && g > b + 20) n.green++;
      if (r > g + 60 && r > b + 60) n.red++;
    }
    return n;
  }, 'data:image/png;base64,' + png.toString('base64'));
}

test('the canvas shows the panel: the levels\' labels and their coloured faces are drawn', async () => {
  const {context, page, errors} = await demoPage();
  await page.waitForFunction(() => performance.getEntriesByName('hcp-widget-painted').length > 0);
  const best = await drawnColours(page, '#rate', 'level:5');
  const worst = await drawnColours(page, '#rate', 'level:1');
  // A label is dozens of dark text pixels; a face's ring is a coloured circle (green for 非常满意,
  // red for 非常不满意). A canvas drawn without its font texture or program has neither.
  assert.ok(best.dark > 50, `text drawn in level:5: ${JSON.stringify(best)}`);
  assert.ok(best.green > 50 && best.red === 0, `a green face in level:5: ${JSON.stringify(best)}`);
  assert.ok(worst.red > 50 && worst.green === 0, `a red face in level:1: ${JSON.stringify(worst)}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a bad rating without a reason is blocked with the core\'s message, then with a reason reaches the centre', async () => {
  const {context, page} = await demoPage();
  const before = sys.centreTotal();
  let posts = 0;
  page.on('request', (r) => { if (r.url().endsWith('/api/v1/ratings')) posts++; });
  await click(page, '#rate', 'level:2');
  await waitState(page, '#rate', (s) => s.level === 2);
  await click(page, '#rate', 'submit');
  await page.waitForTimeout(300);
  assert.equal(posts, 0, 'nothing is sent while a reason is missing');
  const s = await state(page, '#rate');
  assert.equal(s.can_submit, false);
  assert.equal(s.why_not.id, 'rating.reason_required');
  assert.equal(await page.locator('#rate .hcpw-why').textContent(), '差评请至少勾选一项理由或填写评价内容');
  assert.equal(await page.locator('#rate .hcpw-submit').getAttribute('aria-disabled'), 'true');
  await page.screenshot({path: path.join(ARTIFACTS, 'desktop-reason-required.png')});

  await click(page, '#rate', 'reason:203');
  assert.deepEqual((await waitState(page, '#rate', (s) => s.reasons.length > 0)).reasons, ['203']);
  assert.equal(await page.locator('#rate .hcpw-reasons input[value="203"]').isChecked(), true);
  await page.screenshot({path: path.join(ARTIFACTS, 'desktop-bad-with-reason.png')});
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/ratings'));
  await click(page, '#rate', 'submit');
  assert.equal((await answer).status(), 201);
  await phase(page, '#rate', 'done');
  assert.equal(await sys.waitCentreTotal(before + 1), before + 1, 'the rating arrives at the centre');
  await context.close();
});

test('Chinese typed through IME composition reaches the comment', async () => {
  const {context, page} = await demoPage();
  await click(page, '#rate', 'level:1');
  await waitState(page, '#rate', (s) => s.level === 1);
  await page.locator('#rate textarea').click();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Input.imeSetComposition', {text: 'deng', selectionStart: 4, selectionEnd: 4});
  await cdp.send('Input.imeSetComposition', {text: '等了', selectionStart: 2, selectionEnd: 2});
  await cdp.send('Input.insertText', {text: '等了很久'});
  await page.waitForFunction(() => HcpWidget.mount(document.getElementById('rate')).state().comment === '等了很久');
  const s = await state(page, '#rate');
  assert.equal(s.can_submit, true, 'a bad rating with a written comment may be sent');
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/ratings'));
  await click(page, '#rate', 'submit');
  const res = await answer;
  assert.equal(res.status(), 201);
  assert.equal(JSON.parse(res.request().postData()).comment, '等了很久');
  await context.close();
});

test('keyboard only, through the accessible form', async () => {
  const {context, page} = await demoPage();
  await page.locator('#search').focus();
  // Tab from the host's search box into the widget, then to the first level.
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement.type === 'radio')) break;
  }
  assert.equal(await page.evaluate(() => document.activeElement.type), 'radio');
  assert.equal(await page.locator('#rate canvas').getAttribute('aria-hidden'), 'true');
  // The first radio (非常满意); arrows move and check: down three times is 不满意 (2).
  await page.keyboard.press('Space');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  assert.equal((await state(page, '#rate')).level, 2, 'the canvas follows the DOM radios');
  await page.keyboard.press('Tab');  // first offered reason
  assert.equal(await page.evaluate(() => document.activeElement.type), 'checkbox');
  await page.keyboard.press('Space');
  assert.equal((await state(page, '#rate')).reasons.length, 1);
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement.classList.contains('hcpw-submit'))) break;
  }
  assert.ok(await page.evaluate(() => document.activeElement.classList.contains('hcpw-submit')));
  await page.screenshot({path: path.join(ARTIFACTS, 'desktop-keyboard-focus.png')});
  await page.keyboard.press('Enter');
  await phase(page, '#rate', 'done');
  assert.match(await page.locator('#rate [aria-live]').textContent(), /评价已提交/);
  const labels = await page.locator('#rate fieldset legend').allTextContents();
  assert.ok(labels.includes('您对本次服务满意吗？'));
  await context.close();
});

test('the WebGL2 context lost mid-rating: the accessible form takes over with what was chosen', async () => {
  const {context, page, errors} = await demoPage();
  await click(page, '#rate', 'level:2');
  await waitState(page, '#rate', (s) => s.level === 2);
  await page.locator('#rate textarea').fill('窗口无人');
  await waitState(page, '#rate', (s) => s.comment === '窗口无人');
  // What a phone does to a background tab's GPU memory, asked for through WEBGL_lose_context.
  await page.evaluate(() => document.querySelector('#rate canvas').getContext('webgl2')
    .getExtension('WEBGL_lose_context').loseContext());
  await page.waitForFunction(() => HcpWidget.mount(document.getElementById('rate')).mode() === 'form', null, {timeout: 5000});
  assert.match(await page.evaluate(() => HcpWidget.mount(document.getElementById('rate')).fallbackReason()), /context was lost/);
  assert.equal(await page.locator('#rate canvas').isVisible(), false);
  // The form is visible now, and holds what was chosen on the canvas and typed.
  assert.equal(await page.locator('#rate fieldset legend').first().isVisible(), true);
  assert.equal(await page.locator('#rate input[type=radio][value="2"]').isChecked(), true);
  assert.equal(await page.locator('#rate textarea').inputValue(), '窗口无人');
  await page.locator('#rate .hcpw-reasons input').first().check();
  await page.locator('#rate .hcpw-submit').click();
  await phase(page, '#rate', 'done');
  await page.screenshot({path: path.join(ARTIFACTS, 'desktop-context-lost.png'), fullPage: true});
  assert.deepEqual(errors, []);
  await context.close();
});

test('touch on a 360 px phone at devicePixelRatio 3', async () => {
  const context = await browser.newContext({viewport: {width: 360, height: 740}, deviceScaleFactor: 3, isMobile: true,
                                            hasTouch: true, locale: 'zh-CN'});
  const page = await context.newPage();
  await page.goto(`${sys.edgeUrl}/widget/m.html?ticket=${encodeURIComponent(sys.ticket('mobile'))}`);
  assert.equal(await widgetReady(page, '#rate'), 'canvas');
  const sizes = await page.evaluate(() => {
    const c = document.querySelector('#rate canvas');
    return {w: c.width, css: c.getBoundingClientRect().width, page: document.documentElement.scrollWidth};
  });
  assert.equal(sizes.w, Math.round(sizes.css * 3), 'the canvas has a backing pixel per device pixel');
  assert.ok(sizes.page <= 360, 'no horizontal scrolling at 360 px');
  const tap = async (key) => {
    const p = await targetCenter(page, '#rate', key);
    await page.touchscreen.tap(p.x, p.y);
  };
  await tap('level:4');
  await waitState(page, '#rate', (s) => s.level === 4);
  await tap('reason:102');
  await waitState(page, '#rate', (s) => s.reasons.length > 0);
  await page.waitForTimeout(300);  // an emulated mouse click after the tap would toggle it back
  assert.deepEqual((await state(page, '#rate')).reasons, ['102'], 'one tap toggles once');
  await page.screenshot({path: path.join(ARTIFACTS, 'mobile.png'), fullPage: true});
  await tap('submit');
  await phase(page, '#rate', 'done');
  await page.screenshot({path: path.join(ARTIFACTS, 'mobile-done.png'), fullPage: true});
  // The container narrows to 320 px (ResizeObserver): the canvas follows, still sharp, no side-scroll.
  await page.setViewportSize({width: 320, height: 740});
  await page.waitForFunction(() => {
    const c = document.querySelector('#rate canvas');
    const css = c.getBoundingClientRect().width;
    return css < 320 && c.width === Math.round(css * 3);
  });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 320);
  await context.close();
});

test('two widgets in a host page on another origin; the host\'s Backspace and Tab keep working', async () => {
  const context = await browser.newContext({viewport: {width: 1000, height: 1400}});
  const page = await context.newPage();
  const [t1, t2] = [sys.ticket(), sys.ticket()];
  const url = sys.hostPage('/two.html', `<!doctype html>
    <html><body><h1>Host page</h1><input id="q" value=""><button id="next">next</button>
    <div id="w1" data-hcp-ticket="${t1}" data-hcp-edge="${sys.edgeUrl}"></div>
    <div id="w2" data-hcp-ticket="${t2}" data-hcp-edge="${sys.edgeUrl}" data-hcp-lang="en"></div>
    <script src="${sys.edgeUrl}/widget/hcp-widget.js" async></script></body></html>`);
  await page.goto(url);
  assert.equal(await widgetReady(page, '#w1'), 'canvas');
  assert.equal(await widgetReady(page, '#w2'), 'canvas');
  await page.locator('#q').click();
  await page.keyboard.type('abc');
  await page.keyboard.press('Backspace');
  assert.equal(await page.locator('#q').inputValue(), 'ab', 'Backspace edits the host\'s input');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'next', 'Tab moves to the host\'s next control');
  await click(page, '#w1', 'level:5');
  assert.equal((await waitState(page, '#w1', (s) => s.level !== null)).level, 5);
  await page.waitForTimeout(300);  // the first panel grows (its reasons appear) and pushes the second down
  await click(page, '#w2', 'level:3');
  assert.equal((await waitState(page, '#w2', (s) => s.level !== null)).level, 3, 'each widget has its own state');
  assert.equal((await state(page, '#w1')).level, 5);
  assert.equal((await state(page, '#w2')).lang, 'en');
  await page.screenshot({path: path.join(ARTIFACTS, 'two-widgets.png'), fullPage: true});
  await click(page, '#w1', 'submit');
  await phase(page, '#w1', 'done');
  await page.waitForTimeout(300);
  await click(page, '#w2', 'submit');
  await phase(page, '#w1', 'done');
  await phase(page, '#w2', 'done');
  await context.close();
});

test('offline, then online: kept in the browser, told, delivered exactly once', async () => {
  const {context, page} = await demoPage();
  const before = sys.centreTotal();
  await context.setOffline(true);
  await click(page, '#rate', 'level:4');
  await waitState(page, '#rate', (s) => s.level === 4);
  await click(page, '#rate', 'submit');
  await phase(page, '#rate', 'queued');
  assert.match(await page.locator('#rate [aria-live]').textContent(), /已保存在本机/);
  const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('hcp-widget-outbox')));
  assert.equal(kept.length, 1);
  await page.screenshot({path: path.join(ARTIFACTS, 'desktop-queued.png')});
  await context.setOffline(false);
  await phase(page, '#rate', 'done', 15000);
  assert.deepEqual(await page.evaluate(() => JSON.parse(localStorage.getItem('hcp-widget-outbox'))), []);
  // A reload must not send it again.
  await page.reload();
  await widgetReady(page, '#rate');
  assert.equal((await state(page, '#rate')).phase, 'already_rated');
  assert.equal(await sys.waitCentreTotal(before + 1), before + 1);
  await page.waitForTimeout(1000);
  assert.equal(sys.centreTotal(), before + 1, 'delivered exactly once');
  await context.close();
});

test('already rated (409) is said kindly; the form alone works without WebGL/WASM', async () => {
  const {context, page, ticket} = await demoPage();
  await click(page, '#rate', 'level:5');
  await waitState(page, '#rate', (s) => s.level === 5);
  await click(page, '#rate', 'submit');
  await phase(page, '#rate', 'done');
  // The same case again, as the DOM form only (what a browser without WebGL2 or WASM gets).
  const page2 = await context.newPage();
  await page2.goto(`${sys.edgeUrl}/widget/demo.html?ticket=${encodeURIComponent(ticket)}`);
  await page2.waitForFunction(() => window.HcpWidget);
  const fresh = sys.ticket();
  await page2.evaluate((t) => {
    const d = document.createElement('div');
    d.id = 'formonly';
    document.body.appendChild(d);
    window.HcpWidget.mount(d, {ticket: t, mode: 'form'});
  }, fresh);
  assert.equal(await widgetReady(page2, '#formonly'), 'form');
  assert.equal(await page2.locator('#formonly fieldset legend').first().isVisible(), true);
  await page2.locator('#formonly input[type=radio][value="2"]').check();
  // aria-disabled, not disabled: the button stays focusable and clickable, and says why.
  await page2.locator('#formonly .hcpw-submit').click({force: true});
  assert.equal(await page2.locator('#formonly .hcpw-why').textContent(), '差评请至少勾选一项理由或填写评价内容');
  await page2.locator('#formonly .hcpw-reasons input').first().check();
  await page2.locator('#formonly .hcpw-submit').click();
  await phase(page2, '#formonly', 'done');
  await page2.screenshot({path: path.join(ARTIFACTS, 'form-only.png'), fullPage: true});
  // Submitting the first case again from the form-only widget: 409, said kindly.
  await page2.evaluate((t) => {
    const d = document.createElement('div');
    d.id = 'again';
    document.body.appendChild(d);
    window.HcpWidget.mount(d, {ticket: t, mode: 'form'});
  }, ticket);
  await widgetReady(page2, '#again');
  assert.equal((await state(page2, '#again')).phase, 'already_rated');
  assert.match(await page2.locator('#again [aria-live]').textContent(), /已经评价过了，感谢您的参与/);
  await context.close();
});

test('an expired ticket: the widget says so and fires hcp:error', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const ticket = sys.ticket('pc', {finished_at: new Date(Date.now() - 3 * 864e5).toISOString().slice(0, 19) + 'Z',
                                   exp: new Date(Date.now() - 864e5).toISOString().slice(0, 19) + 'Z'});
  const url = sys.hostPage('/expired.html', `<!doctype html><html><body><div id="w"></div>
    <script>window.errors = []; document.addEventListener('hcp:error', (e) => window.errors.push(e.detail));</script>
    <script src="${sys.edgeUrl}/widget/hcp-widget.js"></script>
    <script>HcpWidget.mount(document.getElementById('w'), {ticket: ${JSON.stringify(ticket)}, edge: ${JSON.stringify(sys.edgeUrl)}});</script>
    </body></html>`);
  await page.goto(url);
  const err = await page.waitForFunction(() => window.errors[0]).then((h) => h.jsonValue());
  assert.equal(err.id, 'ticket.expired');
  assert.equal(err.status, 410);
  assert.equal(await page.locator('#w [role=alert]').textContent(), '评价凭证已过期，评价期限已过');
  await context.close();
});
