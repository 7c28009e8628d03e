// Browser journey for the administration pages' layout and confirmations.
// On a 1366 px desktop: the admin pages use the width (not a 700 px column), question ids and
// IP addresses stay on one line; on a 390 px phone the pages do not scroll sideways (wide
// tables scroll inside their box). Destructive actions (停用 a user) open a confirmation that
// says what they touch, and nothing happens until it is confirmed.
//
// Usage: node tests/browser/admin_layout.mjs http://127.0.0.1:PORT
// Run by `cargo test --release --test browser`, which starts a server with 信访工作条例, the
// project's question bank, the first administrator `admin` / `Start-Admin-2026!` (changed to
// `Xuefa-Guanli-2026!` at the forced change) and a user `zs001` in 柱山乡.
// Exits 0 on success, 1 with a message (and a screenshot path) on any failure.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, JourneyError, baseFromArgs, check, launch, step } from './chromium.mjs';

const OVERALL_TIMEOUT_MS = 90_000;
const STEP_TIMEOUT_MS = 15_000;
const ADMIN = 'admin';
const ADMIN_START_PASSWORD = 'Start-Admin-2026!';
const ADMIN_PASSWORD = 'Xuefa-Guanli-2026!';

const base = baseFromArgs('admin_layout.mjs');
const url = (path) => new URL(path, base).href;

const profile = mkdtempSync(join(tmpdir(), 'xuefa-chromium-'));
let context;
let page;
let failed = false;

const watchdog = setTimeout(async () => {
  console.error(`FAIL: layout journey did not finish within ${OVERALL_TIMEOUT_MS / 1000} s`);
  await shoot().catch(() => {});
  process.exit(1);
}, OVERALL_TIMEOUT_MS);

async function shoot() {
  if (!page || page.isClosed()) return;
  const file = join(tmpdir(), `xuefa-layout-${process.pid}-${Date.now()}.png`);
  await page.screenshot({ path: file, fullPage: true, timeout: 5_000 });
  console.error(`screenshot: ${file}`);
  console.error(`page url at failure: ${page.url()}`);
}

async function goto(path) {
  const res = await page.goto(url(path), { waitUntil: 'load' });
  check(res && res.status() === 200, `${path} answered ${res?.status()}`);
}

/** How many lines the text of each matching element takes (1 = no wrapping). */
async function lineCounts(selector) {
  return page.$$eval(selector, (els) =>
    els.map((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      return { text: el.textContent.trim(), lines: tops.size };
    }),
  );
}

async function mainWidth() {
  // The content box: what a table inside may fill.
  return page.$eval('main', (m) => {
    const css = getComputedStyle(m);
    return m.clientWidth - parseFloat(css.paddingLeft) - parseFloat(css.paddingRight);
  });
}

async function sidewaysOverflow() {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

try {
  step(`launching ${CHROMIUM}`);
  context = await launch(profile, STEP_TIMEOUT_MS);
  page = context.pages()[0] ?? (await context.newPage());
  await page.setViewportSize({ width: 1366, height: 768 });

  step(`sign in as ${ADMIN}`);
  await goto('/login');
  await page.locator('#username').fill(ADMIN);
  await page.locator('#password').fill(ADMIN_START_PASSWORD);
  await Promise.all([page.waitForEvent('load'), page.locator('form#login button[type="submit"]').click()]);
  check(new URL(page.url()).pathname === '/me/password', `expected the forced change, on ${page.url()}`);
  await page.locator('#old_password').fill(ADMIN_START_PASSWORD);
  await page.locator('#new_password').fill(ADMIN_PASSWORD);
  await page.locator('#confirm_password').fill(ADMIN_PASSWORD);
  await Promise.all([page.waitForEvent('load'), page.locator('form#change-password button[type="submit"]').click()]);
  check(new URL(page.url()).pathname !== '/me/password', `password change failed: still on ${page.url()}`);

  step('1366 px: the question list uses the width and ids stay on one line');
  await goto('/admin/questions');
  const width = await mainWidth();
  check(width >= 1200, `the question list is a ${Math.round(width)} px column on a 1366 px screen`);
  const ids = await lineCounts('#questions tbody tr td:first-child');
  check(ids.length > 0, 'the question list shows no questions');
  const wrapped = ids.filter((c) => c.lines > 1);
  check(wrapped.length === 0, `question ids wrap: ${JSON.stringify(wrapped.slice(0, 3))}`);
  const tableWidth = await page.$eval('#questions', (t) => t.getBoundingClientRect().width);
  check(tableWidth >= width - 2, `the question table is ${Math.round(tableWidth)} px of ${Math.round(width)}`);

  step('1366 px: audit log IP addresses and times on one line');
  await goto('/admin/audit');
  check((await mainWidth()) >= 1200, 'the audit log is a narrow column');
  for (const col of [1, 6]) {
    const cells = await lineCounts(`#audit tbody tr td:nth-child(${col})`);
    check(cells.length > 0, 'the audit log is empty');
    const bad = cells.filter((c) => c.text && c.lines > 1);
    check(bad.length === 0, `audit column ${col} wraps: ${JSON.stringify(bad.slice(0, 3))}`);
  }

  step('停用 asks for confirmation and says whom it touches');
  await goto('/admin/users?q=zs001');
  await Promise.all([page.waitForEvent('load'), page.locator('#users a', { hasText: 'zs001' }).first().click()]);
  const confirm = page.locator('details.confirm', { has: page.locator('summary', { hasText: '停用' }) });
  check((await confirm.count()) === 1, `no 停用 confirmation on ${page.url()}`);
  const button = confirm.locator('button[type="submit"]');
  check(!(await button.isVisible()), 'the 停用 submit button is visible before the confirmation opens');
  await confirm.locator('summary').click();
  check(await button.isVisible(), 'opening the 停用 confirmation shows no submit button');
  const says = await confirm.locator('.confirm-body').innerText();
  check(/zs001|测试用户/.test(says) && /1/.test(says), `the confirmation does not say whom it touches: “${says}”`);

  step('390 px phone: no page scrolls sideways');
  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of ['/', '/laws', '/admin/users', '/admin/questions', '/admin/audit', '/me']) {
    await goto(path);
    const over = await sidewaysOverflow();
    check(over <= 1, `${path} scrolls sideways by ${over} px on a phone`);
  }
  console.log('OK: admin layout journey passed');
} catch (e) {
  failed = true;
  console.error(`FAIL: ${e instanceof JourneyError ? e.message : e.stack || e}`);
  await shoot().catch(() => {});
} finally {
  clearTimeout(watchdog);
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
  process.exit(failed ? 1 : 0);
}
