// MFA in a real browser (S8): a password login then a TOTP enrolment, with
// codes computed by otplib from the secret the enrolment page shows; silent
// re-entry after MFA; a client requiring MFA asks a password-only session
// for the code only; max_age=0 forces a full login with a new session; and
// wrong codes are blocked.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as oidc from 'openid-client';

import { newPage } from './lib/browser.mjs';
import { verifyIdToken } from './lib/jwt.mjs';
import { authorizeSilently, describePage, loginForm, logInThroughBrowser, submitLogin } from './lib/login-page.mjs';
import {
  enrolAuthenticator, kMultiFactor, nextCode, submitCode, submitCodeForStatus, wrongCode,
} from './lib/mfa-page.mjs';
import { authorizationRequest, discoverClient, kUser, useTestBed, webClient } from './lib/test-bed.mjs';

// Test fixtures, valid only for the broker these tests start.
const kBob = { email: 'bob@example.test', password: 'test-fixture-password-bob' };
const kCarol = { email: 'carol@example.test', password: 'test-fixture-password-carol' };
const kDave = { email: 'dave@example.test', password: 'test-fixture-password-dave' };

const bed = useTestBed({
  browser: true,
  extraClients: (rp) => ({
    secure: {
      ...webClient(rp),
      client_id: 'e2e-secure',
      client_secret: 'test-fixture-secret-e2e-secure',
      name: 'End-to-end app requiring MFA',
      require_mfa: true,
    },
  }),
  extraUsers: [kBob, kCarol, kDave],
});

async function freshPage(t) {
  const { context, page } = await newPage(bed.chromium.browser);
  t.after(() => context.close());
  return { context, page };
}

async function exchange(config, callback, request) {
  return oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
    idTokenExpected: true,
  });
}

// Waits for the relying party's callback after an action in the page.
function callbackAfter(page, since) {
  return bed.rp.nextVisit('/callback', { since, describe: () => describePage(page) });
}

async function sessionCookie(context) {
  return (await context.cookies()).find((c) => c.name === 'passerelle_session')?.value;
}

// Logs `user` in for the MFA client in a fresh page, enrolling the
// authenticator. Returns { context, page, secret, tokens, config }.
async function enrolledLogin(t, user) {
  const { context, page } = await freshPage(t);
  const config = await discoverClient(bed.broker.issuer, bed.clients.secure);
  const request = await authorizationRequest(config, bed.rp.callbackUrl);
  const since = bed.rp.visits.length;
  await page.goto(request.url.href);
  await submitLogin(page, user);
  const { secret, recoveryCodes } = await enrolAuthenticator(page);
  assert.equal(recoveryCodes.length, 10, 'ten recovery codes are shown once');
  const callback = await callbackAfter(page, since);
  const tokens = await exchange(config, callback, request);
  return { context, page, secret, tokens, config };
}

test('password login, TOTP enrolment with an otplib code, then silent re-entry', async (t) => {
  const { page, tokens, config } = await enrolledLogin(t, kUser);
  const claims = (await verifyIdToken(tokens.id_token, bed.metadata, bed.clients.secure.client_id)).payload;
  assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
  assert.equal(claims.acr, kMultiFactor);

  // The same browser comes back: no page at all, with or without prompt=none.
  for (const extra of [{}, { prompt: 'none' }]) {
    const again = await authorizationRequest(config, bed.rp.callbackUrl, extra);
    const callback = await authorizeSilently(page, bed.rp, again.url);
    assert.ok(callback.searchParams.get('code'), `silent code for ${JSON.stringify(extra)}: ${callback.search}`);
    const silent = await exchange(config, callback, again);
    assert.equal(silent.claims().sid, claims.sid, 'the same broker session');
  }
});

test('a client requiring MFA asks a password-only session for the code only', async (t) => {
  const { secret } = await enrolledLogin(t, kBob);

  // Another browser logs Bob in with his password for a client without MFA...
  const { page } = await freshPage(t);
  const web = await discoverClient(bed.broker.issuer, bed.clients.web);
  const first = await authorizationRequest(web, bed.rp.callbackUrl);
  const webCallback = await logInThroughBrowser(page, bed.rp, first.url, kBob);
  const webTokens = await exchange(web, webCallback, first);
  assert.deepEqual(webTokens.claims().amr, ['pwd']);

  // ...then visits the client that requires MFA: only the code is asked for.
  const secure = await discoverClient(bed.broker.issuer, bed.clients.secure);
  const second = await authorizationRequest(secure, bed.rp.callbackUrl);
  const since = bed.rp.visits.length;
  await page.goto(second.url.href);
  await page.locator('input[name="otp"]').waitFor({ state: 'visible' });
  assert.equal(await page.locator('input[name="password"]').count(), 0, 'no password field');
  assert.equal(await loginForm(page).count(), 0, 'no login form');
  await submitCode(page, await nextCode(secret));
  const callback = await callbackAfter(page, since);
  const tokens = await exchange(secure, callback, second);
  assert.deepEqual(tokens.claims().amr, ['pwd', 'otp', 'mfa']);
  assert.equal(tokens.claims().sid, webTokens.claims().sid, 'the step-up keeps the session');
});

test('max_age=0 forces a full login and a new broker session', async (t) => {
  const { context, page, secret, tokens, config } = await enrolledLogin(t, kCarol);
  const before = tokens.claims();
  const cookieBefore = await sessionCookie(context);

  const request = await authorizationRequest(config, bed.rp.callbackUrl, { max_age: '0' });
  const since = bed.rp.visits.length;
  await page.goto(request.url.href);
  await submitLogin(page, kCarol);  // the password again...
  await submitCode(page, await nextCode(secret));  // ...and, in the new session, the code
  const callback = await callbackAfter(page, since);
  const after = (await exchange(config, callback, request)).claims();

  assert.notEqual(after.sid, before.sid, 'a new session id (S3)');
  assert.notEqual(await sessionCookie(context), cookieBefore, 'a new session cookie');
  assert.ok(after.auth_time >= before.auth_time, 'auth_time of the new login');
  assert.deepEqual(after.amr, ['pwd', 'otp', 'mfa']);
});

test('five wrong codes block the code prompt, and then even the right code is refused', async (t) => {
  const { secret } = await enrolledLogin(t, kDave);
  const { page } = await freshPage(t);
  const config = await discoverClient(bed.broker.issuer, bed.clients.secure);
  const request = await authorizationRequest(config, bed.rp.callbackUrl);
  const since = bed.rp.visits.length;
  await page.goto(request.url.href);
  await submitLogin(page, kDave);

  const wrong = await wrongCode(secret);
  const statuses = [];
  for (let i = 0; i < 5; i += 1) statuses.push(await submitCodeForStatus(page, wrong));
  assert.deepEqual(statuses, [401, 401, 401, 401, 429]);
  const alert = page.locator('[role="alert"]');
  assert.match(await alert.textContent(), /Too many wrong codes/);

  assert.equal(await submitCodeForStatus(page, await nextCode(secret)), 429, 'the right code is refused too');
  assert.match(await alert.textContent(), /Too many wrong codes/);
  assert.deepEqual(bed.rp.visits.slice(since).map(String), [], 'no callback while blocked');
});
