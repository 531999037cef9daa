// The back office (web/admin, served by the centre at /admin/) in Debian's headless Chromium,
// against a real `hcp demo`: its demo users sign in, and the demo's two bad ratings (given at the
// edge, relayed to the centre) are taken from to-do to closed, one VALID (return visit → valid →
// rectify → feedback → closed) and one INVALID (return visit → invalid → the unit's report → the
// office's review → closed). Run on SQLite, and on PostgreSQL (a database of its own in the
// cluster HCP_TEST_PG points at; without it the test fails, unless HCP_TEST_PG_OPTIONAL=1).
// Screenshots, desktop and a phone, go to HCP_ARTIFACT_DIR/backoffice-<store>-*.png.
import assert from 'node:assert/strict';
import {execFileSync, spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {ARTIFACTS, HCP, launchBrowser} from './harness.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { if (browser) await browser.close(); });

async function startDemo(db) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp-backoffice-'));
  const args = ['demo', '--dir', dir, '--edge-port', '0', '--central-port', '0'];
  if (db) args.push('--db', db);
  const child = spawn(HCP, args, {stdio: ['ignore', 'pipe', 'pipe']});
  let out = '', err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  const end = Date.now() + 30000;
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

// A PostgreSQL database of its own in the cluster of HCP_TEST_PG (psql from Debian's postgresql-client).
function pgDatabase() {
  const base = process.env.HCP_TEST_PG;
  if (!base) return null;
  const name = `hcp_backoffice_${process.pid}`;
  execFileSync('psql', [base, '-q', '-c', `CREATE DATABASE ${name}`]);
  const u = new URL(base);
  u.pathname = '/' + name;
  return {url: u.toString(), drop() { execFileSync('psql', [base, '-q', '-c', `DROP DATABASE ${name} WITH (FORCE)`]); }};
}

async function signIn(page, base, user, password) {
  await page.goto(base);
  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码').fill(password);
  await page.getByLabel('密码').press('Enter');  // the keyboard is enough
  await page.waitForSelector('#who:not([hidden])');
}

async function signOut(page) {
  await page.getByRole('button', {name: '退出登录'}).click();
  await page.waitForSelector('#login-view:not([hidden])');
}

// Opens the action's form, fills it, submits, and waits until the case shows `state` (its badge).
async function act(page, button, fill, state) {
  await page.getByRole('button', {name: button, exact: true}).click();
  await fill();
  await page.getByRole('button', {name: `提交：${button}`}).click();
  await page.locator('.summary-line .badge', {hasText: state}).first().waitFor();
}

async function shot(page, store, name) {
  await page.screenshot({path: path.join(ARTIFACTS, `backoffice-${store}-${name}.png`), fullPage: true});
}

const stores = [['sqlite', () => null]];
if (process.env.HCP_TEST_PG || process.env.HCP_TEST_PG_OPTIONAL !== '1') stores.push(['postgresql', pgDatabase]);

for (const [store, makeDb] of stores) {
  describe(`the back office on ${store}`, () => {
    let demo, db;
    before(async () => {
      if (store === 'postgresql') {
        db = makeDb();
        assert.ok(db, 'HCP_TEST_PG is not set: point it at PostgreSQL (scripts/pg_cluster), or set HCP_TEST_PG_OPTIONAL=1');
      }
      demo = await startDemo(db && db.url);
    });
    after(async () => {
      if (demo) await demo.stop();
      if (db) db.drop();
    });

    test('hcp demo prints the back office and its demo users, and two bad ratings wait', () => {
      const {info, out} = demo;
      assert.match(out, /\/admin\//);
      assert.equal(info.back_office, `${info.central}/admin/`);
      assert.deepEqual(info.users.map((u) => u.role), ['handler', 'reviewer']);
      for (const u of info.users) assert.ok(out.includes(u.password), `the password of ${u.user} is printed`);
      assert.equal(info.bad_ratings.length, 2);
    });

    test('a handler takes a VALID bad rating from to-do to closed; an INVALID one goes through the office', async () => {
      const {info} = demo;
      const [handler, reviewer] = info.users;
      const [valid, invalid] = info.bad_ratings;
      const base = info.back_office;
      const page = await browser.newPage({viewport: {width: 1280, height: 860}});
      const problems = [];
      page.on('pageerror', (e) => problems.push(String(e)));
      // A 401 (not signed in yet, a wrong password) is logged by Chromium as a failed resource: not a problem.
      page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(m.text()); });

      // Signing in: a wrong password is said in words, on the page.
      await page.goto(base);
      await page.waitForSelector('#login-view:not([hidden])');
      await shot(page, store, 'login');
      await page.getByLabel('用户名').fill(handler.user);
      await page.getByLabel('密码').fill('not the password');
      await page.getByRole('button', {name: '登录', exact: true}).click();
      await page.locator('#login-error', {hasText: '用户名或密码错误'}).waitFor();

      await signIn(page, base, handler.user, handler.password);
      await page.waitForSelector('table.cards tbody tr');
      assert.equal(await page.locator('#view h1').first().textContent(), '待办差评');
      for (const c of [valid, invalid]) {
        const row = page.locator(`tr[data-case="${c.case}"]`);
        assert.equal(await row.count(), 1, c.case);
        assert.match(await row.textContent(), /回访核实 \d{4}-\d\d-\d\d.*(剩余 \d+ 个工作日|今日到期)/, 'the deadline and the working days left');
      }
      await shot(page, store, 'todo');

      // ---- VALID: return visit (valid) → rectify → feedback → closed ----
      await page.locator(`tr[data-case="${valid.case}"] a.case-link`).click();
      await page.locator('h1', {hasText: valid.case}).waitFor();
      assert.match(await page.locator('.comment').textContent(), /材料交了三次/);
      const facts = await page.locator('dl.facts').textContent();
      assert.match(facts, /评价事项个体工商户设立登记（330100-0001）/);
      assert.match(facts, /差评原因办理时间长或超时办结、需要多次跑腿/);
      assert.doesNotMatch(facts, /object|undefined/);
      assert.deepEqual(await page.locator('.action-buttons button').allTextContents(), ['登记回访核实', '提出申诉']);
      // The evaluator's phone, for the return visit only, on request (the centre logs it).
      await page.getByRole('button', {name: '查看评价人联系电话'}).click();
      await page.locator('.contact-value', {hasText: /^1380013800\d$/}).waitFor();
      await shot(page, store, 'case-valid-pushed');
      await act(page, '登记回访核实', async () => {
        await page.getByLabel('电话', {exact: true}).check();
        await page.getByLabel('属实：有效差评，进入整改', {exact: true}).check();
        await page.getByLabel('回访记录').fill('已电话联系评价人，情况属实。');
      }, '整改中');
      assert.equal(await page.locator('.contact-box button').count(), 0, 'no contact once the return visit is done');
      await act(page, '登记整改完成', async () => {
        await page.getByLabel(/整改结果/).fill('已统一网上与窗口的材料清单，窗口增设一次性告知单。');
      }, '待反馈评价人');
      await act(page, '反馈评价人并办结', async () => {
        await page.getByLabel('短信', {exact: true}).check();
      }, '已办结·已整改');
      assert.equal(await page.locator('ol.timeline li').count(), 4);
      assert.match(await page.locator('ol.timeline').textContent(), /回访核实[\s\S]*整改完成[\s\S]*反馈评价人/);
      await shot(page, store, 'case-valid-closed');

      // ---- INVALID: return visit (invalid) → the unit's report → the office's review → closed ----
      await page.getByRole('link', {name: '待办差评'}).click();
      await page.locator(`tr[data-case="${invalid.case}"] a.case-link`).click();
      await page.locator('h1', {hasText: invalid.case}).waitFor();
      await act(page, '登记回访核实', async () => {
        await page.getByLabel('当面', {exact: true}).check();
        await page.getByLabel('不属实：无效差评，报送说明').check();
      }, '待报送无效差评说明');
      await act(page, '报送无效差评说明', async () => {
        await page.getByLabel(/情况说明/).fill('网上办事指南与窗口材料清单一致，评价人所述不属实。');
      }, '待复核');
      assert.deepEqual(await page.locator('.action-buttons button').allTextContents(), ['提出申诉'],
                       'the unit cannot review its own report (it may still appeal)');
      await signOut(page);

      await signIn(page, base, reviewer.user, reviewer.password);
      await page.locator('h1', {hasText: '复核队列'}).waitFor();
      await page.locator(`tr[data-case="${invalid.case}"]`).waitFor();
      await shot(page, store, 'review-queue');
      await page.locator(`tr[data-case="${invalid.case}"] a.case-link`).click();
      await page.locator('h1', {hasText: invalid.case}).waitFor();
      assert.equal(await page.locator('.contact-box').count(), 0, 'the office never sees the contact');
      await act(page, '复核', async () => {
        await page.getByLabel('同意，认定无效差评').check();
        await page.getByLabel('复核意见').fill('同意承办单位意见。');
      }, '已办结·无效差评');
      await shot(page, store, 'case-invalid-closed');

      // Search: both closed cases, by state.
      await page.getByRole('link', {name: '差评查询'}).click();
      await page.getByLabel('状态', {exact: true}).selectOption('closed');
      await page.getByRole('button', {name: '查询', exact: true}).click();
      for (const c of [valid, invalid]) await page.locator(`tr[data-case="${c.case}"]`).waitFor();
      await shot(page, store, 'search-closed');
      assert.deepEqual(problems, [], 'no script errors, no CSP violations');
      await page.close();
    });

    test('on a phone the to-do list is readable and the case detail usable', async () => {
      const {info} = demo;
      const [handler] = info.users;
      const page = await browser.newPage({viewport: {width: 390, height: 844}, deviceScaleFactor: 2, isMobile: true, hasTouch: true});
      await signIn(page, info.back_office, handler.user, handler.password);
      await page.getByRole('link', {name: '差评查询'}).click();
      await page.waitForSelector('table.cards tbody tr');
      // Table rows become cards: no horizontal scrolling of the page.
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth + 1), 'no sideways scroll');
      await shot(page, store, 'mobile-list');
      await page.locator('table.cards tbody tr a.case-link').first().click();
      await page.waitForSelector('ol.timeline li');
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth + 1), 'no sideways scroll');
      await shot(page, store, 'mobile-case');
      await page.close();
    });
  });
}
