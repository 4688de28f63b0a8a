// Launches Debian's Chromium through playwright-core. No browser is ever
// downloaded; Chromium's temporary files go to a folder of this run, removed
// on close, so a failed launch leaves nothing behind.
import { chromium } from 'playwright-core';

import { makeTempDir } from './env.mjs';

const kChromiumPath = '/usr/bin/chromium';

// The flags keep Chromium headless and quiet on a machine whose network is
// closed: without the background-networking ones it keeps trying to reach
// outside hosts.
const kChromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Returns { browser, close() }.
export async function launchBrowser() {
  const temp = makeTempDir('chromium');
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: kChromiumPath,
      args: kChromiumArgs,
      env: { ...process.env, TMPDIR: temp.dir },
      timeout: 30_000,
    });
  } catch (error) {
    temp.remove();
    throw new Error(`could not launch ${kChromiumPath} (is Debian's chromium installed? run .ci/install-deps): ${error.message}`);
  }
  return {
    browser,
    close: async () => {
      await browser.close().catch(() => {});
      temp.remove();
    },
  };
}

// A new isolated browser profile (own cookies) with one page, and short
// timeouts so a missing element fails fast with Playwright's own message.
export async function newPage(browser) {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  const page = await context.newPage();
  return { context, page };
}
