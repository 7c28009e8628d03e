// Browser journey for learning records (issue 11's "done means"): an official reads a law
// page for a while and sees the credited reading time on /me; the administrator records a
// 集中学法 and reads its check-in code; the official signs in to it with the code and /me counts
// the session; the administrator exports the unit report as .xlsx (saved to DOWNLOAD, which
// the Rust test opens and checks).
//
// Usage: node tests/browser/study.mjs http://127.0.0.1:PORT DOWNLOAD.xlsx
// Run by `cargo test --release --test browser study_journey` (tests/browser.rs sets up the
// app: 信访工作条例, admin with Start-Admin-2026!, official zs001 in 柱山乡 with
// Study-Start-2026!, both to change at first sign-in).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, JourneyError, baseFromArgs, check, launch, step } from './chromium.mjs';

const OVERALL_TIMEOUT_MS = 100_000;
const STEP_TIMEOUT_MS = 15_000;
// Two heartbeats 30 s apart: the first starts the run, the second earns 30 s.
const READ_MS = 33_000;

const base = baseFromArgs('study.mjs');
const download = process.argv[3];
const url = (path) => new URL(path, base).href;
const profile = mkdtempSync(join(tmpdir(), 'xuefa-chromium-'));
let context;
let page;
let failed = false;
const problems = [];

const watchdog = setTimeout(() => {
  console.error(`FAIL: study journey did not finish within ${OVERALL_TIMEOUT_MS / 1000} s (at ${page?.url()})`);
  process.exit(1);
}, OVERALL_TIMEOUT_MS);

try {
  check(download, 'usage: node tests/browser/study.mjs BASE DOWNLOAD.xlsx');
  step(`launching ${CHROMIUM}`);
  context = await launch(profile, STEP_TIMEOUT_MS);
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (err) => problems.push(`page error on ${page.url()}: ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 400 && !res.url().endsWith('/favicon.ico')) problems.push(`HTTP ${res.status()} for ${res.url()}`);
  });

  // ── 1. The official reads 信访工作条例 for half a minute ─────────────────────────────
  await signIn('zs001', 'Study-Start-2026!', 'Zs-Study-2026-Read!');
  step('open 信访工作条例 and read it');
  await page.goto(url('/search?q=' + encodeURIComponent('信访工作条例第一条')), { waitUntil: 'load' });
  await click(page.locator('a[href^="/laws/"]'));
  check((await page.locator('#study').count()) === 1, `the law page has no study timer: ${page.url()}`);
  const beats = [];
  page.on('response', (res) => {
    if (res.url().endsWith('/api/study/heartbeat')) beats.push(res.status());
  });
  const started = Date.now();
  while (Date.now() - started < READ_MS) {
    // A reader scrolls now and then: active, so the heartbeats count.
    await page.mouse.wheel(0, 300);
    await page.waitForTimeout(3_000);
  }
  check(beats.length >= 1 && beats.every((s) => s === 200), `heartbeats answered ${beats.join(', ')}`);
  step(`  ${beats.length} heartbeat(s) after ${Math.round((Date.now() - started) / 1000)} s`);
  await page.goto(url('/me'), { waitUntil: 'load' });
  const row = page.locator('#me-laws tr', { hasText: '信访工作条例' });
  check((await row.count()) >= 1, '/me does not list 信访工作条例 among the required laws');
  const read = (await row.first().locator('td').nth(1).innerText()).trim();
  const secs = /^(\d+) 秒$/.exec(read) ? Number(/^(\d+)/.exec(read)[1]) : /分钟/.test(read) ? 60 * Number(/^(\d+)/.exec(read)[1]) : 0;
  check(secs >= 25, `/me shows “${read}” read of 信访工作条例, expected about 30 s`);
  step(`  /me: 信访工作条例 read ${read}`);
  await signOut();

  // ── 2. The administrator records a session and reads its code ─────────────────────
  await signIn('admin', 'Start-Admin-2026!', 'Fazhi-Guan-2026-Run!');
  step('record a 集中学法 for 柱山乡');
  await page.goto(url('/admin/trainings'), { waitUntil: 'load' });
  const form = page.locator('form[action="/admin/trainings"]');
  await form.locator('input[name="title"]').fill('信访工作条例专题学法');
  await form.locator('select[name="kind"]').selectOption('concentrated');
  await form.locator('input[name="starts_at"]').fill(beijing(-10));
  await form.locator('input[name="ends_at"]').fill(beijing(60));
  await form.locator('input[name="hours"]').fill('2');
  await form.locator('input[name="laws"]').fill('信访工作条例');
  await form.locator('textarea[name="units"]').fill('柱山乡');
  await submit(form);
  const code = (await page.locator('#code').innerText()).trim();
  check(/^[A-Z2-9]{6}$/.test(code), `no check-in code on ${page.url()}: “${code}”`);
  step(`  session ${page.url()}, code ${code}`);
  await signOut();

  // ── 3. The official signs in to it with the code ──────────────────────────────────
  await signIn('zs001', 'Zs-Study-2026-Read!');
  step('check in with the code');
  await page.goto(url('/checkin'), { waitUntil: 'load' });
  await page.locator('form[action="/checkin"] input[name="code"]').fill(code.toLowerCase());
  await submit(page.locator('form[action="/checkin"]'));
  const done = (await page.locator('#done').innerText()).trim();
  check(done.includes('签到成功') && done.includes('2'), `check-in said “${done}”`);
  await page.goto(url('/me'), { waitUntil: 'load' });
  const sessions = (await page.locator('#me-sessions').innerText()).trim();
  check(/已参加\s*1\s*次/.test(sessions), `/me says “${sessions}” about sessions`);
  step(`  ${done} / ${sessions}`);
  await signOut();

  // ── 4. The administrator exports the unit report ──────────────────────────────────
  await signIn('admin', 'Fazhi-Guan-2026-Run!');
  step('export the unit report as .xlsx');
  await page.goto(url('/admin/reports?unit=' + encodeURIComponent('柱山乡')), { waitUntil: 'load' });
  const summary = (await page.locator('#report-summary').innerText()).trim();
  check(summary.includes('参学 1 人'), `the report summary says “${summary}”`);
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator('#export-units-xlsx').click()]);
  check(/\.xlsx$/.test(file.suggestedFilename()), `the download is named ${file.suggestedFilename()}`);
  await file.saveAs(download);
  step(`  saved ${file.suggestedFilename()} to ${download}`);

  check(problems.length === 0, `problems seen:\n  ${problems.join('\n  ')}`);
  step('PASS');
} catch (err) {
  failed = true;
  console.error(err instanceof JourneyError ? `FAIL: ${err.message}` : err);
  if (page && !page.isClosed()) {
    const text = await page.locator('main').innerText().catch(() => '');
    console.error(`page ${page.url()}:\n${text.slice(0, 600)}`);
  }
} finally {
  clearTimeout(watchdog);
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

// ── helpers ────────────────────────────────────────────────────────────────────────

/** Signs in; on a first sign-in (`next` given and asked for) sets the new password. */
async function signIn(user, password, next) {
  step(`sign in as ${user}`);
  await page.goto(url('/login'), { waitUntil: 'load' });
  await page.locator('form#login #username').fill(user);
  await page.locator('form#login #password').fill(password);
  await submit(page.locator('form#login'));
  if (new URL(page.url()).pathname === '/me/password') {
    check(next, `${user} was asked to change the password again`);
    const change = page.locator('form#change-password');
    await change.locator('#old_password').fill(password);
    await change.locator('#new_password').fill(next);
    await change.locator('#confirm_password').fill(next);
    await submit(change);
  }
  check(!new URL(page.url()).pathname.startsWith('/login'), `${user} could not sign in: ${page.url()}`);
}

async function signOut() {
  await page.goto(url('/me'), { waitUntil: 'load' });
  await submit(page.locator('form[action="/logout"]'));
}

/** `datetime-local` value of now + `minutes`, Beijing time (what the form reads). */
function beijing(minutes) {
  return new Date(Date.now() + (minutes + 480) * 60_000).toISOString().slice(0, 16);
}

async function submit(form) {
  check((await form.count()) === 1, `expected one ${form} on ${page.url()}`);
  await Promise.all([page.waitForEvent('load'), form.locator('button[type="submit"]').first().click()]);
}

async function click(link) {
  check((await link.count()) >= 1, `nothing to click: ${link} on ${page.url()}`);
  await Promise.all([page.waitForEvent('load'), link.first().click()]);
}
