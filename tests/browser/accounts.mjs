// Browser journey for accounts: first admin sign-in → forced password change (a weak
// password refused, a good one accepted) → create a unit → create a user and read their
// one-time password → sign out → sign in as that user → forced change → profile → no
// admin pages for them.
//
// Usage: node tests/browser/accounts.mjs http://127.0.0.1:PORT
// Run by `cargo test --release --test browser`, which starts a server whose first
// administrator is `admin` / `Start-Admin-2026!` (must change it) and has no units yet.
// Needs Debian's chromium (`apt-get install -y chromium`) and
// `npm ci --prefix tests/browser` (playwright-core; it never downloads a browser).
// Exits 0 on success, 1 with a message (and a screenshot path) on any failure.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, JourneyError, baseFromArgs, check, launch, step } from './chromium.mjs';

const OVERALL_TIMEOUT_MS = 90_000;
const STEP_TIMEOUT_MS = 15_000;

const ADMIN = 'admin';
const ADMIN_START_PASSWORD = 'Start-Admin-2026!';
// Not “Xuefa-Admin-2026!”: the policy refuses passwords containing the username (admin).
const ADMIN_NEW_PASSWORD = 'Xuefa-Guanli-2026!';
const WEAK_PASSWORD = '12345678';
const UNIT = '柱山乡/综合行政执法大队';
const USER = 'zf001';
const USER_NAME = '张执法';
const USER_ROLE = 'officer';
const USER_ROLE_LABEL = '执法人员';
const USER_NEW_PASSWORD = 'Zhifa-Pass-2026!';

const base = baseFromArgs('accounts.mjs');
const url = (path) => new URL(path, base).href;

const profile = mkdtempSync(join(tmpdir(), 'xuefa-chromium-'));
let context;
let page;
let failed = false;

const watchdog = setTimeout(async () => {
  console.error(`FAIL: accounts journey did not finish within ${OVERALL_TIMEOUT_MS / 1000} s`);
  await shoot().catch(() => {});
  process.exit(1);
}, OVERALL_TIMEOUT_MS);

function pathOf(u) {
  try {
    return new URL(u).pathname;
  } catch {
    return '';
  }
}
const isFavicon = (u) => pathOf(u) === '/favicon.ico';

async function shoot() {
  if (!page || page.isClosed()) return;
  const file = join(tmpdir(), `xuefa-accounts-${process.pid}-${Date.now()}.png`);
  await page.screenshot({ path: file, fullPage: true, timeout: 5_000 });
  console.error(`screenshot: ${file}`);
  console.error(`page url at failure: ${page.url()}`);
}

// Everything the pages complain about: console errors, CSP violations (reported by the
// page itself through a binding, and by Chromium on the console), uncaught exceptions,
// failed requests, HTTP errors. Error statuses the journey provokes on purpose (the weak
// password's 400, the officer's 403) are allowed for that path only, once announced.
const problems = [];
const allowed = new Set(); // "STATUS /path"
const allow = (status, path) => allowed.add(`${status} ${path}`);
const isAllowed = (status, u) => allowed.has(`${status} ${pathOf(u)}`);

// The main frame's latest document response (after redirects): status of the page shown.
let docStatus = 0;

try {
  step(`launching ${CHROMIUM}`);
  context = await launch(profile, STEP_TIMEOUT_MS);

  // CSP violations as the page sees them (the binding is CDP-side, so the CSP under test
  // does not block it; the listener is installed before any page script runs).
  await context.exposeBinding('__xuefaCspViolation', ({ page: p }, v) => {
    problems.push(
      `CSP violation on ${p?.url()}: ${v.directive} blocked ${v.blocked || '(inline)'}` +
        (v.sample ? ` “${v.sample}”` : '') +
        (v.source ? ` at ${v.source}:${v.line}` : ''),
    );
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__xuefaCspViolation?.({
        directive: e.effectiveDirective || e.violatedDirective,
        blocked: e.blockedURI,
        sample: e.sample,
        source: e.sourceFile,
        line: e.lineNumber,
      });
    });
  });

  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const src = msg.location()?.url ?? '';
    // Chromium fetches /favicon.ico on its own; the pages never reference it.
    if (isFavicon(src)) return;
    // Chromium logs a document's own error status on the console too.
    const m = /^Failed to load resource: the server responded with a status of (\d+)/.exec(msg.text());
    if (m && isAllowed(Number(m[1]), src)) return;
    problems.push(`console error on ${page.url()}: ${msg.text()}${src ? ` [${src}]` : ''}`);
  });
  page.on('pageerror', (err) => problems.push(`page error on ${page.url()}: ${err.message}`));
  page.on('requestfailed', (req) =>
    problems.push(`request failed: ${req.method()} ${req.url()} (${req.failure()?.errorText})`),
  );
  page.on('response', (res) => {
    const req = res.request();
    if (req.isNavigationRequest() && req.frame() === page.mainFrame() && !(res.status() >= 300 && res.status() < 400))
      docStatus = res.status();
    if (res.status() >= 400 && !isFavicon(res.url()) && !isAllowed(res.status(), res.url()))
      problems.push(`HTTP ${res.status()} for ${req.method()} ${res.url()}`);
  });

  // ── 1. First admin: sign in, forced password change ────────────────────────────────
  step('open /admin/users signed out → the login page');
  await goto('/admin/users');
  let here = new URL(page.url());
  check(here.pathname === '/login', `signed out, /admin/users should redirect to /login?next=…, landed on ${page.url()}`);
  check(
    here.searchParams.get('next') === '/admin/users',
    `login URL should carry next=/admin/users, got ${page.url()}`,
  );
  await assertStylesheetApplied('login page');
  await assertSignedOut('login page');
  const login = page.locator('form#login');
  check((await login.count()) === 1, 'login page: expected one form#login');
  check(
    (await login.locator('input[name="next"]').inputValue()) === '/admin/users',
    'login form should carry the hidden next=/admin/users',
  );

  step(`sign in as ${ADMIN}`);
  await signIn(ADMIN, ADMIN_START_PASSWORD);
  here = new URL(page.url());
  check(
    here.pathname === '/me/password',
    `after the first admin's sign-in expected the forced password change /me/password, landed on ${page.url()} (${await alertText()})`,
  );
  check(here.searchParams.get('next') === '/admin/users', `password change URL should keep next=/admin/users, got ${page.url()}`);
  await assertForcedChangePage('admin');

  step(`try the weak password “${WEAK_PASSWORD}” → refused`);
  allow(400, '/me/password');
  await changePassword(ADMIN_START_PASSWORD, WEAK_PASSWORD);
  here = new URL(page.url());
  check(here.pathname === '/me/password', `a weak new password should keep the password page, landed on ${page.url()}`);
  check(docStatus === 400, `a weak new password should answer 400, got ${docStatus}`);
  const weakError = await alertText();
  check(weakError, 'a weak new password shows no #error message');
  check(/[\u4e00-\u9fff]/.test(weakError), `the weak-password message is not in Chinese: “${weakError}”`);
  step(`  refused: ${weakError}`);
  check(await page.locator('#forced').isVisible(), 'after the refused password the page no longer says the change is forced (#forced)');
  check(
    (await page.locator('form#change-password input[name="next"]').inputValue().catch(() => '')) === '/admin/users',
    'after the refused password the form lost next=/admin/users',
  );

  step(`set a good password → on to /admin/users`);
  await changePassword(ADMIN_START_PASSWORD, ADMIN_NEW_PASSWORD);
  here = new URL(page.url());
  check(
    here.pathname === '/admin/users',
    `after the password change expected next=/admin/users, landed on ${page.url()} (${await alertText()})`,
  );
  check(docStatus === 200, `/admin/users answered ${docStatus}`);
  await assertStylesheetApplied('users page');
  await assertSignedIn('users page', '系统管理员', { admin: true });

  // ── 2. A unit ──────────────────────────────────────────────────────────────────────
  step(`open /admin/units, create ${UNIT}`);
  await goto('/admin/units');
  check(pathOf(page.url()) === '/admin/units' && docStatus === 200, `/admin/units: landed on ${page.url()} (${docStatus})`);
  await assertStylesheetApplied('units page');
  const unitForm = page.locator('form#create-unit');
  await unitForm.locator('input[name="path"]').fill(UNIT);
  await submit(unitForm);
  check(
    pathOf(page.url()) === '/admin/units' && docStatus === 200,
    `after creating the unit landed on ${page.url()} (${docStatus}): ${await alertText()}`,
  );
  const unitNames = (await page.locator('ul#units > li .unit-name').allInnerTexts()).map((t) => t.trim());
  step(`  units: ${unitNames.join(', ')}`);
  const [parent, child] = UNIT.split('/');
  const pi = unitNames.indexOf(parent);
  const ci = unitNames.indexOf(child);
  check(pi >= 0 && ci >= 0, `ul#units should list ${parent} and ${child}, lists: ${unitNames.join(', ') || '(nothing)'}`);
  check(pi < ci, `ul#units lists ${child} before its parent ${parent}`);
  const depth = (i) => page.locator('ul#units > li').nth(i).evaluate((li) => Number((li.className.match(/\bd(\d+)\b/) ?? [])[1] ?? -1));
  check((await depth(ci)) > (await depth(pi)), `${child} is not indented under ${parent} in ul#units`);

  // ── 3. A user ──────────────────────────────────────────────────────────────────────
  step(`open /admin/users, create ${USER} ${USER_NAME} (${UNIT}, ${USER_ROLE_LABEL})`);
  await goto('/admin/users');
  const userForm = page.locator('form#create-user');
  check((await userForm.count()) === 1, `users page has no form#create-user after creating ${UNIT}`);
  const unitOptions = await page.locator('#new-unit option').evaluateAll((os) => os.map((o) => o.value));
  check(unitOptions.includes(UNIT), `#new-unit offers ${unitOptions.join(', ')}, not ${UNIT}`);
  await page.locator('#new-username').fill(USER);
  await page.locator('#new-name').fill(USER_NAME);
  await page.locator('#new-unit').selectOption(UNIT);
  const roleBox = page.locator(`#new-role-${USER_ROLE}`);
  check((await roleBox.count()) === 1, `no role checkbox #new-role-${USER_ROLE}`);
  const roleLabel = (await roleBox.locator('xpath=..').innerText()).trim();
  check(roleLabel.includes(USER_ROLE_LABEL), `#new-role-${USER_ROLE} is labelled “${roleLabel}”, expected ${USER_ROLE_LABEL}`);
  await roleBox.check();
  await submit(userForm);
  check(docStatus === 201, `creating ${USER} answered ${docStatus} on ${page.url()}: ${await alertText()}`);
  check(await page.locator('#created').isVisible(), 'the new user page does not say 用户已创建 (#created)');
  const otpEl = page.locator('#one-time-password');
  check((await otpEl.count()) === 1, 'the new user page shows no #one-time-password');
  const otp = await otpEl.textContent();
  check(otp && otp === otp.trim() && !/\s/.test(otp), `#one-time-password text is not a bare password: ${JSON.stringify(otp)}`);
  check(otp.length >= 8, `one-time password “${otp}” is shorter than 8 characters`);
  step(`  one-time password: ${otp}`);
  const heading = (await page.locator('main h1').first().innerText()).trim();
  check(heading.includes(USER_NAME) && heading.includes(USER), `new user page heading “${heading}” lacks ${USER_NAME} / ${USER}`);
  const status = (await page.locator('#user-status').innerText()).trim();
  check(status.includes(USER_ROLE_LABEL), `new user status line “${status}” lacks ${USER_ROLE_LABEL}`);

  // ── 4. Sign out ────────────────────────────────────────────────────────────────────
  step('sign out from the header');
  await submit(page.locator('header form.logout'));
  await assertSignedOut(`after signing out (${page.url()})`);
  step('  /me now asks to sign in');
  await goto('/me');
  check(pathOf(page.url()) === '/login', `signed out, /me should redirect to /login, landed on ${page.url()}`);

  // ── 5. The new user signs in ───────────────────────────────────────────────────────
  step(`sign in as ${USER} with the one-time password`);
  await goto('/login');
  await signIn(USER, otp);
  here = new URL(page.url());
  check(
    here.pathname === '/me/password',
    `after ${USER}'s first sign-in expected the forced password change, landed on ${page.url()} (${await alertText()})`,
  );
  await assertForcedChangePage(USER);
  step(`set ${USER}'s own password → profile`);
  await changePassword(otp, USER_NEW_PASSWORD);
  here = new URL(page.url());
  check(here.pathname === '/me', `after ${USER}'s password change expected /me, landed on ${page.url()} (${await alertText()})`);
  check(docStatus === 200, `/me answered ${docStatus}`);
  await assertStylesheetApplied('profile page');
  check(await page.locator('#notice').isVisible(), 'the profile does not say 密码已修改 (#notice)');
  const me = {};
  for (const k of ['name', 'username', 'unit', 'roles'])
    me[k] = (await page.locator(`#me-${k}`).innerText()).trim();
  step(`  /me: ${JSON.stringify(me)}`);
  check(me.name === USER_NAME, `#me-name is “${me.name}”, expected ${USER_NAME}`);
  check(me.username === USER, `#me-username is “${me.username}”, expected ${USER}`);
  check(me.unit === UNIT, `#me-unit is “${me.unit}”, expected ${UNIT}`);
  check(me.roles.includes(USER_ROLE_LABEL), `#me-roles is “${me.roles}”, expected it to include ${USER_ROLE_LABEL}`);
  await assertSignedIn('profile page', USER_NAME, { admin: false });

  // ── 6. No admin pages for an officer ───────────────────────────────────────────────
  step(`as ${USER}, open /admin/users → 403`);
  allow(403, '/admin/users');
  await goto('/admin/users');
  check(pathOf(page.url()) === '/admin/users', `as ${USER}, /admin/users went to ${page.url()}`);
  check(docStatus === 403, `as ${USER}, /admin/users answered ${docStatus}, expected 403`);
  check((await page.locator('form#create-user, table#users').count()) === 0, `as ${USER}, /admin/users shows the user administration`);
  const errorText = (await page.locator('main').innerText()).replace(/\s+/g, ' ').trim();
  step(`  403 page: ${errorText.slice(0, 160)}`);
  check(errorText.includes('403'), `the 403 page does not show its status: “${errorText.slice(0, 200)}”`);
  const message = (await page.locator('main .alert').allInnerTexts()).join(' ').trim();
  check(/[\u4e00-\u9fff]/.test(message), `the 403 page has no Chinese message (.alert): “${message}”`);
  await assertStylesheetApplied('403 page');
  await assertNoAdminLink('403 page');
  // Error pages keep the signed-in header.
  await assertSignedIn('403 page', USER_NAME, { admin: false });
  step(`  ${USER} is still signed in: /me`);
  await goto('/me');
  check(pathOf(page.url()) === '/me' && docStatus === 200, `after the 403, /me went to ${page.url()} (${docStatus})`);
  await assertSignedIn('profile page after the 403', USER_NAME, { admin: false });

  // ── Nothing complained along the way. ──────────────────────────────────────────────
  check(problems.length === 0, `the pages reported problems:\n    ${problems.join('\n    ')}`);

  console.log('OK: accounts journey passed');
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

// ── helpers ────────────────────────────────────────────────────────────────────────

async function goto(path) {
  await page.goto(url(path), { waitUntil: 'load' });
}

// Clicks the form's submit button and waits for the next document to load (after any
// redirects); the status of that document is in `docStatus`.
async function submit(form) {
  check((await form.count()) === 1, `expected one ${form}, found ${await form.count()} on ${page.url()}`);
  docStatus = 0;
  await Promise.all([page.waitForEvent('load'), form.locator('button[type="submit"]').click()]);
}

async function signIn(username, password) {
  const form = page.locator('form#login');
  check((await form.count()) === 1, `no form#login on ${page.url()}`);
  await form.locator('#username').fill(username);
  await form.locator('#password').fill(password);
  await submit(form);
}

async function changePassword(oldPassword, newPassword) {
  const form = page.locator('form#change-password');
  check((await form.count()) === 1, `no form#change-password on ${page.url()}`);
  await form.locator('#old_password').fill(oldPassword);
  await form.locator('#new_password').fill(newPassword);
  await form.locator('#confirm_password').fill(newPassword);
  await submit(form);
}

async function assertForcedChangePage(who) {
  check(docStatus === 200, `${who}'s password change page answered ${docStatus}`);
  check(await page.locator('#forced').isVisible(), `${who}'s password change page does not say the change is forced (#forced)`);
  await assertStylesheetApplied(`${who}'s password change page`);
  // Only the change itself (and signing out) is open while it is due: no way back.
  check(
    (await page.locator('main a[href="/me"]').count()) === 0,
    `${who}'s forced password change page offers a way back to the profile`,
  );
}

async function alertText() {
  const texts = await page.locator('#error, .alert').allInnerTexts().catch(() => []);
  return texts.map((t) => t.trim()).filter(Boolean).join(' / ');
}

function header() {
  return page.locator('header.site');
}

async function assertSignedOut(where) {
  const loginLink = header().locator('a[href="/login"]');
  check((await loginLink.count()) === 1, `${where}: the header has no 登录 link`);
  check((await loginLink.innerText()).trim() === '登录', `${where}: the header's login link reads “${await loginLink.innerText()}”`);
  check((await header().locator('form.logout').count()) === 0, `${where}: the header still has a 退出 button`);
  check((await header().locator('a.me').count()) === 0, `${where}: the header still shows a signed-in user`);
}

async function assertSignedIn(where, name, { admin }) {
  const meLink = header().locator('a.me[href="/me"]');
  check((await meLink.count()) === 1, `${where}: the header has no link to /me`);
  const shown = (await meLink.innerText()).trim();
  check(shown === name, `${where}: the header shows “${shown}”, expected ${name}`);
  check((await header().locator('form.logout button').count()) === 1, `${where}: the header has no 退出 button`);
  check((await header().locator('a[href="/login"]').count()) === 0, `${where}: the header still shows 登录`);
  if (admin) {
    const links = await adminLinks();
    check(links.length === 1, `${where}: the header should have one 管理 link, has: ${links.join(' ') || '(none)'}`);
  } else {
    await assertNoAdminLink(where);
  }
}

async function adminLinks() {
  return header()
    .locator('a')
    .evaluateAll((as) =>
      as.filter((a) => a.getAttribute('href')?.startsWith('/admin') || a.textContent.trim() === '管理').map((a) => a.outerHTML),
    );
}

async function assertNoAdminLink(where) {
  const links = await adminLinks();
  check(links.length === 0, `${where}: the header offers ${links.join(' ')} to a non-administrator`);
}

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
