// A real browser logs a user in through the broker for a confidential client
// (Authorization Code + PKCE), the tokens are checked by openid-client and,
// independently, by jose; then RP-Initiated Logout ends the broker session.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as oidc from 'openid-client';

import { newPage } from './lib/browser.mjs';
import { decodeProtectedHeader, verifyAccessToken, verifyIdToken } from './lib/jwt.mjs';
import { authorizeSilently, describePage, logInThroughBrowser, loginForm } from './lib/login-page.mjs';
import { authorizationRequest, discoverClient, kUser, useTestBed } from './lib/test-bed.mjs';

const bed = useTestBed({ browser: true });

// Logs kUser in with a fresh browser profile; returns the page, the request
// and the token response.
async function logIn(config, t) {
  const { context, page } = await newPage(bed.chromium.browser);
  t.after(() => context.close());
  const request = await authorizationRequest(config, bed.rp.callbackUrl);
  const callback = await logInThroughBrowser(page, bed.rp, request.url, kUser);
  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
    idTokenExpected: true,
  });
  return { page, request, callback, tokens };
}

test('a confidential client logs a user in with code + PKCE and gets tokens that verify', async (t) => {
  const { web } = bed.clients;
  const { issuer } = bed.broker;
  const config = await discoverClient(issuer, web);
  const startedAt = Math.floor(Date.now() / 1000);

  const { callback, request, tokens } = await logIn(config, t);

  // RFC 9207: the authorization response names its issuer.
  assert.ok(callback.searchParams.get('code'), 'callback has a code');
  assert.equal(callback.searchParams.get('state'), request.state);
  assert.equal(callback.searchParams.get('iss'), issuer);
  assert.equal(tokens.token_type.toLowerCase(), 'bearer');

  // The ID token, verified by jose on its own against the published keys.
  const idToken = await verifyIdToken(tokens.id_token, bed.metadata, web.client_id);
  const claims = idToken.payload;
  assert.equal(idToken.protectedHeader.alg, 'RS256');
  assert.ok(idToken.protectedHeader.kid, 'ID token header has a kid');
  assert.equal(claims.nonce, request.nonce);
  assert.ok(typeof claims.sub === 'string' && claims.sub.length > 0, 'sub');
  assert.ok(typeof claims.sid === 'string' && claims.sid.length > 0, 'sid');
  assert.ok(Number.isInteger(claims.auth_time), 'auth_time is a number of seconds');
  assert.ok(claims.auth_time >= startedAt - 5 && claims.auth_time <= claims.iat + 5,
    `auth_time ${claims.auth_time} is the time of this login`);
  assert.ok(Array.isArray(claims.amr) && claims.amr.length > 0, `amr lists methods: ${JSON.stringify(claims.amr)}`);
  assert.ok(claims.exp > claims.iat, 'exp after iat');

  const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
  assert.equal(userinfo.sub, claims.sub);
  assert.equal(userinfo.email, kUser.email);
  assert.equal(typeof userinfo.email_verified, 'boolean');

  const accessToken = await verifyAccessToken(tokens.access_token, bed.metadata);
  assert.match(decodeProtectedHeader(tokens.access_token).typ, /^(application\/)?at\+jwt$/i);
  assert.equal(accessToken.payload.sub, claims.sub);
  assert.equal(accessToken.payload.client_id, web.client_id);
  for (const claim of ['aud', 'exp', 'iat', 'jti']) {
    assert.ok(accessToken.payload[claim] !== undefined, `RFC 9068 §2.2 claim ${claim}`);
  }
});

test('RP-initiated logout ends the broker session and returns to the app with its state', async (t) => {
  const { web } = bed.clients;
  const { issuer } = bed.broker;
  const config = await discoverClient(issuer, web);
  const { page, tokens } = await logIn(config, t);

  // While the broker session lives, prompt=none succeeds silently.
  const silent = await authorizationRequest(config, bed.rp.callbackUrl, { prompt: 'none' });
  const silentCallback = await authorizeSilently(page, bed.rp, silent.url);
  assert.ok(silentCallback.searchParams.get('code'),
    `prompt=none with a live session gives a code, got ${silentCallback.search}`);

  const logoutState = oidc.randomState();
  const logoutUrl = oidc.buildEndSessionUrl(config, {
    id_token_hint: tokens.id_token,
    post_logout_redirect_uri: bed.rp.logoutUrl,
    state: logoutState,
  });
  assert.equal(`${logoutUrl.origin}${logoutUrl.pathname}`, `${issuer}/oidc/logout`);
  const since = bed.rp.visits.length;
  await page.goto(logoutUrl.href);
  const back = await bed.rp.nextVisit('/logged-out', { since, describe: () => describePage(page) });
  assert.equal(back.searchParams.get('state'), logoutState);

  // The session is gone: an interactive request shows the login form again...
  const again = await authorizationRequest(config, bed.rp.callbackUrl);
  const sinceAgain = bed.rp.visits.length;
  await page.goto(again.url.href);
  await loginForm(page).waitFor({ state: 'visible' });
  assert.equal(new URL(page.url()).origin, issuer, 'the login form is the broker\'s');
  assert.deepEqual(bed.rp.visits.slice(sinceAgain).map(String), [], 'no callback without logging in');

  // ...and a silent one is told to log in (OIDC Core §3.1.2.6).
  const none = await authorizationRequest(config, bed.rp.callbackUrl, { prompt: 'none' });
  const refused = await authorizeSilently(page, bed.rp, none.url);
  assert.equal(refused.searchParams.get('error'), 'login_required');
  assert.equal(refused.searchParams.get('state'), none.state);
  assert.equal(refused.searchParams.get('iss'), issuer);
  assert.equal(refused.searchParams.get('code'), null);
});
