// Browser journey: type part of a law's title in the search box, see the law-name
// suggestions (suggest.js), pick one with the keyboard and land on that law's page; then,
// on a phone viewport, tap a suggestion.
//
// Usage: node tests/browser/suggest.mjs http://127.0.0.1:PORT
// Run by `cargo test --release --test browser`, which starts the server.
// Exits 0 on success, 1 with a message (and a screenshot path) on any failure.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, JourneyError, baseFromArgs, check, launch, step } from './chromium.mjs';

const TYPED = '信访工';
const LAW = '信访工作条例';
const OVERALL_TIMEOUT_MS = 60_000;
const STEP_TIMEOUT_MS = 15_000;

const base = baseFromArgs('suggest.mjs');
const profile = mkdtempSync(join(tmpdir(), 'xuefa-chromium-'));
let context;
let page;
let failed = false;

const watchdog = setTimeout(async () => {
  console.error(`FAIL: suggest journey did not finish within ${OVERALL_TIMEOUT_MS / 1000} s`);
  await shoot().catch(() => {});
  process.exit(1);
}, OVERALL_TIMEOUT_MS);

async function shoot() {
  if (!page || page.isClosed()) return;
  const file = join(tmpdir(), `xuefa-suggest-${process.pid}-${Date.now()}.png`);
  await page.screenshot({ path: file, fullPage: true, timeout: 5_000 });
  console.error(`screenshot: ${file}`);
  console.error(`page url at failure: ${page.url()}`);
}

const problems = [];

/** Types `text` key by key into the search box and waits for the suggestion list. */
async function typeAndWait(text) {
  const box = page.locator('input#q[data-suggest]');
  check((await box.count()) === 1, 'expected one search box input#q[data-suggest]');
  await box.click();
  await box.pressSequentially(text, { delay: 60 });
  const options = page.locator('ul.suggest li[role="option"]');
  await options.first().waitFor({ state: 'visible' });
  const shown = (await options.allInnerTexts()).map((t) => t.trim());
  step(`suggestions for “${text}”:\n    ${shown.join('\n    ')}`);
  check(shown.length > 0 && shown.length <= 8, `expected 1–8 suggestions, got ${shown.length}`);
  check(shown[0].includes(LAW), `first suggestion is “${shown[0]}”, expected 《${LAW}》`);
  return { box, options };
}

async function assertOnLaw() {
  const url = new URL(page.url());
  check(/^\/laws\/\d+$/.test(url.pathname), `expected a law page, got ${page.url()}`);
  const h1 = (await page.locator('article.law h1').first().innerText()).trim();
  check(h1.includes(LAW), `law page title is “${h1}”, expected ${LAW}`);
}

try {
  step(`launching ${CHROMIUM}`);
  context = await launch(profile, STEP_TIMEOUT_MS);
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.location()?.url?.endsWith('/favicon.ico'))
      problems.push(`console error on ${page.url()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error on ${page.url()}: ${err.message}`));

  // 1. Desktop: the search page, type, arrow down, Enter.
  step(`open ${base}/search`);
  const res = await page.goto(new URL('/search', base).href, { waitUntil: 'load' });
  check(res && res.ok(), `GET /search answered ${res?.status()}`);
  const { box } = await typeAndWait(TYPED);
  check((await box.getAttribute('aria-expanded')) === 'true', 'combobox not marked expanded');
  await box.press('ArrowDown');
  const highlighted = page.locator('ul.suggest li.on');
  check((await highlighted.count()) === 1, 'ArrowDown highlights no suggestion');
  await box.press('ArrowDown');
  await box.press('ArrowUp');
  check(
    (await box.getAttribute('aria-activedescendant')) === (await page.locator('ul.suggest li').first().getAttribute('id')),
    'ArrowDown, ArrowDown, ArrowUp should come back to the first suggestion',
  );
  step('Enter on the first suggestion');
  await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/laws/'), { waitUntil: 'load' }), box.press('Enter')]);
  await assertOnLaw();

  // 2. Phone: the home page's box, tap a suggestion.
  await page.setViewportSize({ width: 375, height: 740 });
  step(`open ${base}/ on a 375 px viewport`);
  await page.goto(new URL('/', base).href, { waitUntil: 'load' });
  const { options } = await typeAndWait(TYPED);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 375, `the suggestion list makes the phone page ${width} px wide`);
  step('choose the first suggestion on the phone');
  await Promise.all([
    page.waitForURL((u) => u.pathname.startsWith('/laws/'), { waitUntil: 'load' }),
    options.first().locator('a').click(), // the shared context has no touch; a click is what a tap dispatches last
  ]);
  await assertOnLaw();

  check(problems.length === 0, `the pages reported problems:\n    ${problems.join('\n    ')}`);
  console.log('OK: suggest journey passed');
} catch (e) {
  failed = true;
  console.error(e instanceof JourneyError ? `FAIL: ${e.message}` : `FAIL (unexpected): ${e.stack ?? e}`);
  await shoot().catch((err) => console.error(`(screenshot failed: ${err.message})`));
} finally {
  clearTimeout(watchdog);
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
