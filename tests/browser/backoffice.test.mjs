// The back office (web/admin, served by the centre at /admin/) in Debian's headless Chromium,
// against a real `hcp demo`: its demo users sign in, and the demo's two bad ratings (given at the
// edge, relayed to the centre) are taken from to-do to closed, one VALID (return visit → valid →
// rectify → feedback → closed) and one INVALID (return visit → invalid → the unit's report → the
// office's review → closed). The pages of issue 7: 报告 lists the demo's report of last month (its
// HTML opens in a new tab, the CSV downloads), the office draws a return-visit sample in 抽样回访,
// and the unit's handler opens an evaluator's phone for one of its own unit's survey tasks (the
// audit row is read from the store). Run on SQLite, and on PostgreSQL (a database of its own in the
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
    // Rows of the centre's store, for checking what the pages cannot show (the audit trail).
    query(sql) {
      const rows = db ? execFileSync('psql', [db, '-qAt', '-F', '|', '-c', sql])
        : execFileSync('sqlite3', ['-separator', '|', path.join(dir, 'central', 'central.db'), sql]);
      return rows.toString().trim().split('\n').filter(Boolean);
    },
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

// YYYY-MM of this month and of last month, in China (the centre's day).
function chinaMonths() {
  const now = new Date(Date.now() + 8 * 3600 * 1000);
  const ym = (d) => d.toISOString().slice(0, 7);
  return {thisMonth: ym(now), lastMonth: ym(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0)))};
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

    test('报告 opens last month\'s report; the office draws a sample; the handler opens a contact of its own task', async () => {
      const {info} = demo;
      const [handler, reviewer] = info.users;
      const [valid] = info.bad_ratings;
      const base = info.back_office;
      const {thisMonth, lastMonth} = chinaMonths();
      const page = await browser.newPage({viewport: {width: 1280, height: 860}});
      const problems = [];
      page.on('pageerror', (e) => problems.push(String(e)));
      page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(m.text()); });

      // ---- 报告: the demo made last month's report at start ----
      await signIn(page, base, reviewer.user, reviewer.password);
      assert.equal((await page.locator('#who-text').textContent()).trim(), `${reviewer.user}（管理局复核人员）`);
      await page.getByRole('link', {name: '报告'}).click();
      await page.locator('h1', {hasText: '报告'}).waitFor();
      const row = page.locator(`tr[data-report="monthly/${lastMonth}"]`);
      await row.waitFor();
      const [y, m] = lastMonth.split('-');
      const name = `${y}年${Number(m)}月月度通报`;
      assert.match(await row.textContent(), new RegExp(`${name}.*${lastMonth}-01 至 ${lastMonth}-\\d\\d`));
      assert.equal(await page.locator('a[aria-current="page"]').textContent(), '报告');
      await shot(page, store, 'reports');
      // The HTML in a new tab, as the centre stored it.
      const [tab] = await Promise.all([page.waitForEvent('popup'),
        page.getByRole('link', {name: `查看通报：${name}（在新窗口打开）`}).click()]);
      await tab.waitForLoadState();
      assert.match(await tab.locator('h1').textContent(), /政务服务“好差评”情况通报/);
      assert.match(await tab.locator('body').textContent(), new RegExp(`统计期间：${lastMonth}-01 至[\\s\\S]*好评率`));
      await tab.screenshot({path: path.join(ARTIFACTS, `backoffice-${store}-report-html.png`), fullPage: false});
      await tab.close();
      // The CSV downloads (UTF-8 with a byte-order mark, for Excel).
      const [download] = await Promise.all([page.waitForEvent('download'),
        page.getByRole('link', {name: `下载表格（CSV）：${name}`}).click()]);
      assert.equal(download.suggestedFilename(), `report-monthly-${lastMonth}.csv`);
      const csv = fs.readFileSync(await download.path());
      assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      assert.match(csv.toString('utf8'), /层级,编码,名称,评价数/);

      // ---- 抽样回访: the office draws this month's sample (the demo's bad ratings are today's) ----
      await page.getByRole('link', {name: '抽样回访'}).click();
      await page.locator('h1', {hasText: '抽样回访'}).waitFor();
      const local = new Date();  // the page's default: last month on the browser's clock
      const pageLastMonth = new Date(local.getFullYear(), local.getMonth() - 1, 15).toISOString().slice(0, 7);
      assert.equal(await page.getByLabel('抽样月份').inputValue(), pageLastMonth, 'last month by default');
      const seed = await page.getByLabel('随机种子').inputValue();
      assert.match(seed, /^20\d{6}$/, 'today\'s date by default');
      assert.match(await page.locator('#seed-explain').textContent(), /同一月份、同一随机种子.*同一批人/);
      await shot(page, store, 'samples-draw');
      await page.getByLabel('样本量（人）').fill('0');
      await page.getByRole('button', {name: '抽取样本'}).click();
      await page.locator('.form-error', {hasText: '样本量'}).waitFor();  // said in words, nothing sent
      await page.getByLabel('抽样月份').fill(thisMonth);
      await page.getByLabel('样本量（人）').fill('1000');  // more than the month's evaluators: everyone
      await page.getByLabel('样本量（人）').press('Enter');
      await page.locator('h1', {hasText: '回访样本'}).waitFor();
      assert.match(await page.locator('.notice').textContent(), /^已抽取.*抽中 \d+ 人/);
      const tasks = page.locator('table.cards tbody tr');
      const ownTasks = await page.locator('table.cards tbody tr', {hasText: valid.unit_name}).count();
      assert.ok(ownTasks >= 2, 'the demo\'s two bad ratings of today are in the sample');
      assert.ok(await tasks.count() >= ownTasks);
      await page.locator(`tr[data-case="${valid.case}"]`).waitFor();
      assert.equal(await page.getByRole('button', {name: /查看联系电话/}).count(), 0, 'the office gets no contact button');
      assert.match(await page.locator('table.compact caption').textContent(), /各承办单位抽中人数/);
      await shot(page, store, 'sample-office');
      // The list shows it; drawing the same month and seed again answers the stored sample.
      await page.getByRole('link', {name: '← 返回样本列表'}).click();
      await page.locator(`tr[data-sample="${thisMonth}/${seed}"]`).waitFor();
      await signOut(page);

      // ---- the unit's handler: its own unit's tasks, and one evaluator's phone ----
      await signIn(page, base, handler.user, handler.password);
      assert.equal((await page.locator('#who-text').textContent()).trim(), `${handler.user}（承办单位经办人，${handler.unit_name}）`);
      await page.getByRole('link', {name: '抽样回访'}).click();
      await page.locator('h1', {hasText: '抽样回访'}).waitFor();
      assert.equal(await page.getByRole('button', {name: '抽取样本'}).count(), 0, 'a handler does not draw');
      await page.locator(`tr[data-sample="${thisMonth}/${seed}"] a`).click();
      await page.locator('h1', {hasText: '回访样本'}).waitFor();
      await page.locator('table.cards tbody tr').first().waitFor();
      assert.equal(await page.locator('table.cards tbody tr').count(), ownTasks, 'its own unit\'s tasks, all of them');
      assert.match(await page.locator('.contact-box').textContent(), /每次查看都会记录查看人和时间/);
      const task = page.locator(`tr[data-case="${valid.case}"]`);
      const position = await task.getAttribute('data-position');
      await task.getByRole('button', {name: /^查看联系电话/}).click();
      await task.locator('.contact-value', {hasText: /^1380013800\d$/}).waitFor();
      assert.match(await task.textContent(), /本次查看已记录/);
      await page.locator('#status', {hasText: '已记入审计日志'}).waitFor();
      await shot(page, store, 'sample-handler');
      // The store has the draw and the opening in its audit trail, and the opening in contact_access.
      const audit = demo.query(`SELECT actor, action, object FROM audit WHERE action IN ('sample.draw', 'contact.open') AND object LIKE 'sample:%' ORDER BY seq`);
      assert.deepEqual(audit, [`${reviewer.user}|sample.draw|sample:${thisMonth}/${seed}`,
                               `${handler.user}|contact.open|sample:${thisMonth}/${seed}/${position}`]);
      assert.deepEqual(demo.query(`SELECT actor, purpose FROM contact_access WHERE case_id = '${valid.case}' AND purpose = 'survey'`),
                       [`${handler.user}|survey`]);
      assert.deepEqual(problems, [], 'no script errors, no CSP violations');

      // On a phone the tasks are cards and the page does not scroll sideways.
      await page.setViewportSize({width: 390, height: 844});
      await page.reload();
      await page.locator('table.cards tbody tr').first().waitFor();
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth + 1), 'no sideways scroll');
      await shot(page, store, 'mobile-sample');
      await page.close();
    });

    test('意见建议: the handler reads the suggestions of its unit from good ratings; the office picks a unit', async () => {
      const {info} = demo;
      const [handler, reviewer] = info.users;
      const stored = Number(demo.query(`SELECT count(*) FROM suggestions WHERE unit = '${handler.unit}'`)[0]);
      assert.ok(stored > 0, 'the demo history has good ratings with text for the handler\'s unit');
      const newest = demo.query(`SELECT text FROM suggestions WHERE unit = '${handler.unit}' AND at_ms = (SELECT max(at_ms) FROM suggestions WHERE unit = '${handler.unit}')`);
      const page = await browser.newPage({viewport: {width: 1280, height: 860}});
      const problems = [];
      page.on('pageerror', (e) => problems.push(String(e)));
      page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(m.text()); });

      await signIn(page, info.back_office, handler.user, handler.password);
      await page.getByRole('link', {name: '意见建议'}).click();
      await page.locator('h1', {hasText: '意见建议'}).waitFor();
      await page.locator('table.cards tbody tr').first().waitFor();
      assert.equal(await page.locator('table.cards tbody tr').count(), stored, 'every suggestion of the unit, once');
      assert.equal(await page.locator('#suggestion-unit').count(), 0, 'a handler does not choose the unit');
      assert.ok(newest.includes((await page.locator('table.cards tbody tr .suggestion-text').first().textContent()).trim()),
                'the newest first');
      await shot(page, store, 'suggestions');
      await page.close();

      const office = await browser.newPage({viewport: {width: 1280, height: 860}});
      office.on('pageerror', (e) => problems.push(String(e)));
      await signIn(office, info.back_office, reviewer.user, reviewer.password);
      await office.getByRole('link', {name: '意见建议'}).click();
      await office.getByLabel('单位代码').fill(handler.unit);
      await office.getByRole('button', {name: '查看意见建议'}).click();
      await office.locator('table.cards tbody tr').first().waitFor();
      assert.equal(await office.locator('table.cards tbody tr').count(), stored);
      await office.getByLabel('单位代码').fill('NO-SUCH-UNIT');
      await office.getByRole('button', {name: '查看意见建议'}).click();
      await office.locator('.empty', {hasText: 'NO-SUCH-UNIT'}).waitFor();
      assert.deepEqual(problems, [], 'no script errors, no CSP violations');
      await office.close();
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
