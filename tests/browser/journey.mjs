// Browser journey: home → search → click a 信访工作条例 hit → land on the article anchor.
//
// Usage: node tests/browser/journey.mjs http://127.0.0.1:PORT
// Run by `cargo test --release --test browser`, which starts the server.
// Needs Debian's chromium (`apt-get install -y chromium`) and
// `npm ci --prefix tests/browser` (playwright-core; it never downloads a browser).
// Exits 0 on success, 1 with a message (and a screenshot path) on any failure.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, JourneyError, baseFromArgs, check, launch, step } from './chromium.mjs';

const QUERY = '信访事项 办理期限';
const LAW = '信访工作条例';
const OVERALL_TIMEOUT_MS = 60_000;
const STEP_TIMEOUT_MS = 15_000;

const base = baseFromArgs('journey.mjs');

const profile = mkdtempSync(join(tmpdir(), 'xuefa-chromium-'));
let context;
let page;
let failed = false;

const watchdog = setTimeout(async () => {
  console.error(`FAIL: journey did not finish within ${OVERALL_TIMEOUT_MS / 1000} s`);
  await shoot().catch(() => {});
  process.exit(1);
}, OVERALL_TIMEOUT_MS);

function isFavicon(url) {
  try {
    return new URL(url).pathname === '/favicon.ico';
  } catch {
    return false;
  }
}

async function shoot() {
  if (!page || page.isClosed()) return;
  const file = join(tmpdir(), `xuefa-journey-${process.pid}-${Date.now()}.png`);
  await page.screenshot({ path: file, fullPage: true, timeout: 5_000 });
  console.error(`screenshot: ${file}`);
  console.error(`page url at failure: ${page.url()}`);
}

// Everything the page complains about: console errors (CSP violations land here too),
// uncaught exceptions, failed requests, HTTP errors on subresources.
const problems = [];

try {
  step(`launching ${CHROMIUM}`);
  context = await launch(profile, STEP_TIMEOUT_MS);
  page = context.pages()[0] ?? (await context.newPage());

  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const src = msg.location()?.url ?? '';
    // Chromium fetches /favicon.ico on its own and logs the app's 404 for it; the
    // pages never reference it, so it is not a page error.
    if (isFavicon(src)) return;
    problems.push(`console error on ${page.url()}: ${msg.text()}${src ? ` [${src}]` : ''}`);
  });
  page.on('pageerror', (err) => problems.push(`page error on ${page.url()}: ${err.message}`));
  page.on('requestfailed', (req) => {
    // A suggestion request in flight when the search leaves the page is cancelled by the browser.
    const aborted = req.failure()?.errorText === 'net::ERR_ABORTED' && req.url().includes('/api/suggest');
    if (!aborted) problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
  });
  page.on('response', (res) => {
    // The browser fetches /favicon.ico on its own; the app serves none.
    if (res.status() >= 400 && !isFavicon(res.url()))
      problems.push(`HTTP ${res.status()} for ${res.url()}`);
  });

  // 1. Home page.
  step(`open ${base}/`);
  const home = await page.goto(new URL('/', base).href, { waitUntil: 'load' });
  check(home && home.ok(), `GET / answered ${home?.status()}`);
  await assertStylesheetApplied('home page');

  // 2. Search from the big search box.
  const box = page.locator('input#q[name="q"]');
  check((await box.count()) === 1, 'home page: expected exactly one search box input#q[name=q]');
  await box.fill(QUERY);
  step(`search for “${QUERY}” (Enter)`);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/search', { waitUntil: 'load' }),
    box.press('Enter'),
  ]);
  const searchUrl = new URL(page.url());
  check(
    searchUrl.searchParams.get('q') === QUERY,
    `search URL should carry q=${QUERY}, got ${page.url()}`,
  );
  await assertStylesheetApplied('search page');

  // 3. Results.
  const hitLinks = page.locator('ol.hits > li.hit h2 a');
  const n = await hitLinks.count();
  const alert = await page.locator('.alert').allInnerTexts();
  check(
    n > 0,
    `search “${QUERY}” has no hits` + (alert.length ? ` (alert: ${alert.join(' / ')})` : ''),
  );
  const titles = (await hitLinks.allInnerTexts()).map((t) => t.trim());
  const hrefs = await hitLinks.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  step(`${n} hits on the first page:\n    ${titles.map((t, i) => `${i + 1}. ${t}  → ${hrefs[i]}`).join('\n    ')}`);
  const idx = titles.findIndex((t) => t.includes(LAW));
  check(
    idx >= 0,
    `no hit from 《${LAW}》 on the first page of “${QUERY}”; first-page titles:\n    ${titles.join('\n    ')}`,
  );
  const href = hrefs[idx];
  check(
    /^\/laws\/[^/?#]+(\?art=art-[\d-]+)?#art-\d+$/.test(href),
    `hit “${titles[idx]}” links to ${href}, expected /laws/{law_id}?art=art-N#art-N (the part of a long law holding it)`,
  );

  // 4. Follow the hit.
  step(`click hit #${idx + 1}: ${titles[idx]}`);
  const want = new URL(href, page.url());
  await Promise.all([
    page.waitForURL((u) => u.pathname === want.pathname, { waitUntil: 'load' }),
    hitLinks.nth(idx).click(),
  ]);
  const landed = new URL(page.url());
  check(/^#art-\d+$/.test(landed.hash), `law page URL hash should be #art-N, got “${landed.hash}” (${page.url()})`);
  check(landed.hash === href.slice(href.indexOf('#')), `landed on ${landed.hash}, hit linked ${href}`);
  const h1 = (await page.locator('article.law h1').first().innerText()).trim();
  check(h1.includes(LAW), `law page title is “${h1}”, expected it to contain ${LAW}`);
  await assertStylesheetApplied('law page');

  // 5. The target article.
  const id = landed.hash.slice(1);
  const target = page.locator(`[id="${id}"]`);
  check((await target.count()) === 1, `law page has ${await target.count()} elements with id="${id}", expected 1`);
  await target.waitFor({ state: 'visible' });
  check(await target.isVisible(), `#${id} is not visible`);
  const text = (await target.innerText()).replace(/\s+/g, ' ').trim();
  step(`#${id}: ${text.slice(0, 120)}${text.length > 120 ? '…' : ''}`);
  check(/第[一二三四五六七八九十百千零〇两\d]+条/.test(text), `#${id} text lacks “第…条”: ${text.slice(0, 200)}`);
  check(/信访事项|办理/.test(text), `#${id} text mentions neither 信访事项 nor 办理: ${text.slice(0, 200)}`);
  // The browser scrolled to the anchor: the article is (at least partly) in the viewport.
  const inView = await target.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight;
  });
  check(inView, `#${id} is not scrolled into view`);

  // 6. Nothing complained along the way.
  check(problems.length === 0, `the pages reported problems:\n    ${problems.join('\n    ')}`);

  console.log('OK: journey passed');
} catch (e) {
  failed = true;
  console.error(e instanceof JourneyError ? `FAIL: ${e.message}` : `FAIL (unexpected): ${e.stack ?? e}`);
  if (problems.length && !(e instanceof JourneyError && e.message.includes('reported problems')))
    console.error(`also seen:\n    ${problems.join('\n    ')}`);
  await shoot().catch((err) => console.error(`(screenshot failed: ${err.message})`));
} finally {
  clearTimeout(watchdog);
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

// The CSP (style-src 'self') must let /static/app.css load, and it must be applied:
// app.css sets body{margin:0; font: … system-ui …}, the browser default is 8px / serif.
async function assertStylesheetApplied(where) {
  const s = await page.evaluate(() => {
    const link = document.querySelector('link[rel="stylesheet"]');
    let rules = -1;
    try {
      rules = link?.sheet?.cssRules?.length ?? -1;
    } catch {
      rules = -2;
    }
    const cs = getComputedStyle(document.body);
    return { href: link?.getAttribute('href'), rules, margin: cs.margin, font: cs.fontFamily };
  });
  check(s.href && s.href.startsWith('/static/app.css'), `${where}: no <link rel=stylesheet href=/static/app.css…> (got ${s.href})`);
  check(s.rules > 0, `${where}: stylesheet ${s.href} did not load (cssRules: ${s.rules}); blocked by CSP?`);
  check(
    s.margin === '0px' && /system-ui/.test(s.font),
    `${where}: app.css not applied to body (margin ${s.margin}, font-family ${s.font})`,
  );
}
