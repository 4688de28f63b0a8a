// Drives the broker's MFA pages in Chromium through their stable HTML hooks
// (ARCHITECTURE §6): the enrolment page's [data-otpauth-uri] holding the
// otpauth:// URI, and the code input name="otp". Codes come from otplib, as
// an authenticator app would compute them.
import { setTimeout as sleep } from 'node:timers/promises';

import { generate } from 'otplib';

// The acr of tokens whose session passed MFA.
export const kMultiFactor = 'http://schemas.openid.net/pape/policies/2007/06/multi-factor';

const kPeriod = 30;
const lastStepBySecret = new Map();

// Reads the base32 secret from the enrolment page's otpauth:// URI.
export async function readEnrolmentSecret(page) {
  const element = page.locator('[data-otpauth-uri]');
  await element.waitFor();
  const uri = new URL(await element.getAttribute('data-otpauth-uri'));
  if (uri.protocol !== 'otpauth:') throw new Error(`not an otpauth URI: ${uri}`);
  return uri.searchParams.get('secret');
}

// A code the broker has not accepted yet: the broker takes each code once,
// so a second code for one secret comes from the next time step (within
// the ±1 step window), or after waiting for a new step.
export async function nextCode(secret) {
  for (;;) {
    const now = Math.floor(Date.now() / 1000);
    const step = Math.floor(now / kPeriod);
    const last = lastStepBySecret.get(secret) ?? -1;
    const use = Math.max(step, last + 1);
    if (use <= step + 1) {
      lastStepBySecret.set(secret, use);
      return generate({ secret, epoch: use * kPeriod });
    }
    await sleep((kPeriod - (now % kPeriod)) * 1000 + 200);
  }
}

// A six-digit code that is certainly wrong for `secret` around now.
export async function wrongCode(secret) {
  const now = Math.floor(Date.now() / 1000);
  const near = new Set();
  for (const delta of [-2, -1, 0, 1, 2]) near.add(await generate({ secret, epoch: now + delta * kPeriod }));
  for (let n = 0; ; n += 1) {
    const candidate = String(n).padStart(6, '0');
    if (!near.has(candidate)) return candidate;
  }
}

// Fills the code on the page's form (enrolment or verification) and submits it.
export async function submitCode(page, code, { remember = false } = {}) {
  const input = page.locator('input[name="otp"]');
  await input.waitFor({ state: 'visible' });
  await input.fill(code);
  if (remember) await page.locator('input[name="remember"]').check();
  await input.press('Enter');
}

// Submits a code on the verification page and returns the HTTP status of
// the answer once the page it brought has loaded (401 wrong, 429 blocked).
export async function submitCodeForStatus(page, code) {
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/mfa');
  await submitCode(page, code);
  const response = await answered;
  await page.waitForLoadState();
  return response.status();
}

// On the enrolment page: scans (reads) the secret, confirms it with a first
// code, and leaves the recovery-codes page. Returns { secret, recoveryCodes }.
export async function enrolAuthenticator(page) {
  const secret = await readEnrolmentSecret(page);
  await submitCode(page, await nextCode(secret));
  const list = page.locator('[data-recovery-codes]');
  await list.waitFor();
  const recoveryCodes = (await list.locator('li').allTextContents()).map((text) => text.trim());
  await page.locator('form#recovery-codes-form button[type="submit"]').click();
  return { secret, recoveryCodes };
}
