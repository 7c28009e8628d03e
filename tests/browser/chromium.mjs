// The one way the journeys start Debian's Chromium: headless, with the flags this
// workplace requires, a fresh profile folder, Chinese locale and a desktop viewport.

import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Launches Chromium on `profile` (a fresh folder); every step waits at most `stepMs`. */
export async function launch(profile, stepMs) {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true, // → --headless
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    locale: 'zh-CN',
    viewport: { width: 1280, height: 900 },
    timeout: stepMs,
  });
  context.setDefaultTimeout(stepMs);
  context.setDefaultNavigationTimeout(stepMs);
  return context;
}

/** The server's base URL from the command line; exits 2 with the usage line otherwise. */
export function baseFromArgs(script) {
  const base = process.argv[2];
  if (!base || !/^https?:\/\//.test(base)) {
    console.error(`usage: node tests/browser/${script} http://127.0.0.1:PORT`);
    process.exit(2);
  }
  return base;
}

/** A failed expectation of a journey (reported without a stack trace). */
export class JourneyError extends Error {}

export function check(cond, msg) {
  if (!cond) throw new JourneyError(msg);
}

export const step = (msg) => console.log(`• ${msg}`);
