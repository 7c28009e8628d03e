// Browser journey for practice and exams (issue 10's "done means"): an officer signs in,
// practises two questions and sees the basis article's text; then, on a phone viewport,
// sits a short qualification exam, loses the connection once (the answer waits and is
// saved when it is back), reloads mid-exam and finds the answers kept, answers the rest,
// submits, passes, opens the certificate and its verify page (有效).
//
// Usage: node tests/browser/exam.mjs http://127.0.0.1:PORT
// Run by `cargo test --release --test browser exam_journey`, which sets the app up
// (tests/browser.rs): user zf001 with password Exam-Start-2026! (to change at first sign-in),
// four questions (single: the right option's text starts with 正确; judge: 对), one exam.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, JourneyError, baseFromArgs, check, launch, step } from './chromium.mjs';

const USER = 'zf001';
const FIRST_PASSWORD = 'Exam-Start-2026!';
const PASSWORD = 'Li-Zhifa-Exam-2026!';
const EXAM = '行政执法资格考试（测试）';
const OVERALL_TIMEOUT_MS = 60_000;
const STEP_TIMEOUT_MS = 15_000;

const base = baseFromArgs('exam.mjs');
const url = (path) => new URL(path, base).href;
const profile = mkdtempSync(join(tmpdir(), 'xuefa-chromium-'));
let context;
let page;
let failed = false;
// While the connection is cut on purpose, failed requests are expected.
let offline = false;
const problems = [];

const watchdog = setTimeout(async () => {
  console.error(`FAIL: exam journey did not finish within ${OVERALL_TIMEOUT_MS / 1000} s`);
  await shoot().catch(() => {});
  process.exit(1);
}, OVERALL_TIMEOUT_MS);

async function shoot() {
  if (!page || page.isClosed()) return;
  const file = join(tmpdir(), `xuefa-exam-${process.pid}-${Date.now()}.png`);
  await page.screenshot({ path: file, fullPage: true, timeout: 5_000 });
  console.error(`screenshot: ${file}`);
  console.error(`page url at failure: ${page.url()}`);
}

const isFavicon = (u) => {
  try {
    return new URL(u).pathname === '/favicon.ico';
  } catch {
    return false;
  }
};

try {
  step(`launching ${CHROMIUM}`);
  context = await launch(profile, STEP_TIMEOUT_MS);
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (msg) => {
    if (msg.type() !== 'error' || offline) return;
    const src = msg.location()?.url ?? '';
    if (isFavicon(src)) return;
    problems.push(`console error on ${page.url()}: ${msg.text()}${src ? ` [${src}]` : ''}`);
  });
  page.on('pageerror', (err) => problems.push(`page error on ${page.url()}: ${err.message}`));
  page.on('requestfailed', (req) => {
    if (!offline) problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && !isFavicon(res.url())) problems.push(`HTTP ${res.status()} for ${res.url()}`);
  });

  // ── 1. Sign in, forced password change ──────────────────────────────────────────────
  step(`sign in as ${USER} and set a password`);
  await page.goto(url('/login'), { waitUntil: 'load' });
  await page.locator('form#login #username').fill(USER);
  await page.locator('form#login #password').fill(FIRST_PASSWORD);
  await submit(page.locator('form#login'));
  check(new URL(page.url()).pathname === '/me/password', `expected the forced password change, got ${page.url()}`);
  const change = page.locator('form#change-password');
  await change.locator('#old_password').fill(FIRST_PASSWORD);
  await change.locator('#new_password').fill(PASSWORD);
  await change.locator('#confirm_password').fill(PASSWORD);
  await submit(change);
  check(new URL(page.url()).pathname === '/me', `after the change expected /me, got ${page.url()}`);
  check((await page.locator('nav a[href="/exams"]').count()) === 1, 'the nav has no 考试 link');

  // ── 2. Practise two questions of 信访工作条例, each showing the basis article ────────
  step('practise two questions');
  await page.goto(url('/practice'), { waitUntil: 'load' });
  await click(page.locator('#law-choices a', { hasText: '信访工作条例' }));
  await submit(page.locator('form#offer'));
  check(new URL(page.url()).pathname.startsWith('/practice/sessions/'), `no practice session: ${page.url()}`);
  for (let n = 1; n <= 2; n++) {
    const form = page.locator('form#answer-form');
    check((await form.count()) === 1, `practice question ${n}: no answer form on ${page.url()}`);
    await pickRight(form);
    await submit(form);
    const basis = page.locator('#feedback blockquote.basis');
    check((await basis.count()) >= 1, `practice question ${n}: no basis article after answering`);
    const text = (await basis.first().innerText()).trim();
    check(/《信访工作条例》第.+条/.test(text) && text.length > 30, `practice question ${n}: basis without the article's text: “${text}”`);
    step(`  question ${n}: ${await page.locator('#verdict').innerText()}; basis ${text.slice(0, 40)}…`);
    if (n === 1) await click(page.locator('#next'));
  }

  // ── 3. The exam on a phone ───────────────────────────────────────────────────────────
  await page.setViewportSize({ width: 390, height: 844 });
  step('open /exams on a phone viewport');
  await page.goto(url('/exams'), { waitUntil: 'load' });
  const card = page.locator('.exam-card', { hasText: EXAM });
  check((await card.count()) === 1, `/exams does not list ${EXAM}`);
  check((await card.innerText()).includes('执法资格考试'), 'the exam card does not say its kind');
  await click(card.locator('a.button'));
  const rules = await page.locator('#rules').innerText();
  check(rules.includes('10 分钟') && rules.includes('60 分及格'), `the rules page lacks the time limit or pass mark: ${rules}`);
  await submit(page.locator('form#start-form'));
  const paperPath = new URL(page.url()).pathname;
  check(/^\/attempts\/\d+$/.test(paperPath), `starting did not open the paper: ${page.url()}`);
  const html = await page.content();
  check(!html.includes('依据信访工作条例作答') && !html.includes('正确答案'), 'the paper HTML carries the key or explanation');
  await page.locator('#paper.js.one').waitFor();
  const questions = page.locator('form.exam-q');
  const total = await questions.count();
  check(total === 4, `the paper has ${total} questions, expected 4`);
  check((await page.locator('form.exam-q:visible').count()) === 1, 'a phone shows one question a page');
  const clock = (await page.locator('#countdown').innerText()).trim();
  check(/^(09:[0-5]\d|10:00)$/.test(clock), `the countdown shows “${clock}”, expected just under 10:00`);
  step(`  paper ${paperPath}, 4 questions, countdown ${clock}`);

  step('answer question 1');
  await answerCurrent(0);
  await expectSaved(0);
  // 下一题 turns the page in the script; nothing loads.
  await questions.nth(0).locator('button.next').click();
  await questions.nth(1).waitFor({ state: 'visible' });

  step('answer question 2 with the connection cut, flag it, reconnect');
  offline = true;
  await context.setOffline(true);
  await answerCurrent(1);
  await page.locator('form.exam-q').nth(1).locator('.save-state', { hasText: '未保存（网络中断，正在重试）' }).waitFor();
  await context.setOffline(false);
  await expectSaved(1);
  offline = false;
  await questions.nth(1).locator('input[name="flagged"]').check();
  await expectSaved(1);

  step('reload mid-exam: the answers are kept');
  await page.reload({ waitUntil: 'load' });
  await page.locator('#paper.js').waitFor();
  for (const i of [0, 1]) {
    const q = page.locator('form.exam-q').nth(i);
    check((await q.locator('input[name="answer"]:checked').count()) === 1, `after the reload question ${i + 1} lost its answer`);
    check((await q.locator('.save-state').innerText()).includes('已保存'), `after the reload question ${i + 1} is not shown as saved`);
  }
  check(await page.locator('form.exam-q').nth(1).locator('input[name="flagged"]').isChecked(), 'the flag was lost on reload');
  const nav = page.locator('#navigator a');
  check((await nav.nth(0).getAttribute('class')).includes('answered'), 'the navigator does not mark question 1 answered');
  check((await nav.nth(1).getAttribute('class')).includes('flagged'), 'the navigator does not mark question 2 flagged');
  check(!(await nav.nth(2).getAttribute('class')).includes('answered'), 'question 3 is marked answered');

  step('answer questions 3 and 4 through the navigator');
  for (const i of [2, 3]) {
    await nav.nth(i).click();
    await answerCurrent(i);
    await expectSaved(i);
  }

  step('summary and submit');
  await page.locator('#submit-open').click();
  const summary = await page.locator('#summary').innerText();
  check(summary.includes('未答 0 题') && summary.includes('已标记 1 题'), `the summary says “${summary}”`);
  await submit(page.locator('form#submit-form'));
  check(new URL(page.url()).pathname === paperPath, `the result is not at the paper's address: ${page.url()}`);
  const verdict = (await page.locator('#verdict').innerText()).replace(/\s+/g, ' ');
  check(verdict.includes('100 / 100') && verdict.includes('通过') && !verdict.includes('未通过'), `the result says “${verdict}”`);
  check((await page.locator('.result-item .basis').count()) === 4, 'the review shows no basis per question');
  step(`  result: ${verdict}`);

  step('the certificate and its verify page');
  await click(page.locator('#certificate-link'));
  const number = (await page.locator('#c-number').innerText()).trim();
  check(number.length > 8, `no certificate number on ${page.url()}`);
  check((await page.locator('#c-category').innerText()).includes('综合行政执法'), 'the certificate lacks its 执法类别');
  check((await page.locator('#c-holder').innerText()).includes('李执法'), 'the certificate lacks the holder');
  await page.goto(url(`/verify/${encodeURIComponent(number)}`), { waitUntil: 'load' });
  const valid = (await page.locator('#verdict').innerText()).trim();
  check(valid.includes('有效') && (await page.locator('#verdict').getAttribute('data-status')) === 'valid', `/verify/${number} says “${valid}”`);
  step(`  ${number}: ${valid}`);

  check(problems.length === 0, `the pages complained:\n  ${problems.join('\n  ')}`);
  step('exam journey passed');
} catch (e) {
  failed = true;
  console.error(e instanceof JourneyError ? `FAIL: ${e.message}` : e);
  if (problems.length) console.error(`problems seen:\n  ${problems.join('\n  ')}`);
  await shoot().catch(() => {});
} finally {
  clearTimeout(watchdog);
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

// ── helpers ────────────────────────────────────────────────────────────────────────

async function submit(form) {
  check((await form.count()) === 1, `expected one ${form} on ${page.url()}`);
  await Promise.all([page.waitForEvent('load'), form.locator('button[type="submit"]').first().click()]);
}

async function click(link) {
  check((await link.count()) >= 1, `nothing to click: ${link} on ${page.url()}`);
  await Promise.all([page.waitForEvent('load'), link.first().click()]);
}

// The right answer as the journey's bank has it: the option whose text starts 正确, or 对.
async function pickRight(form) {
  const right = form.locator('label', { hasText: /正确：|^\s*对\s*$/ });
  check((await right.count()) >= 1, `no right option to pick on ${page.url()}`);
  await right.first().locator('input').check();
}

async function answerCurrent(i) {
  const q = page.locator('form.exam-q').nth(i);
  check(await q.isVisible(), `question ${i + 1} is not the one shown`);
  await pickRight(q);
}

async function expectSaved(i) {
  await page.locator('form.exam-q').nth(i).locator('.save-state.saved', { hasText: '已保存' }).waitFor();
}
