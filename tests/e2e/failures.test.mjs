// What the broker must refuse, seen from a browser and from real clients:
// wrong passwords, unregistered redirect URIs, missing PKCE, replayed codes
// and tampered tokens.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { errors as joseErrors } from 'jose';
import * as oidc from 'openid-client';

import { newPage } from './lib/browser.mjs';
import { verifyIdToken, withPayloadChanged, withSignatureFlipped } from './lib/jwt.mjs';
import { logInThroughBrowser, loginForm, submitLogin } from './lib/login-page.mjs';
import { authorizationRequest, discoverClient, kUser, useTestBed } from './lib/test-bed.mjs';

const bed = useTestBed({ browser: true });

async function freshPage(t) {
  const { context, page } = await newPage(bed.chromium.browser);
  t.after(() => context.close());
  return page;
}

async function logInWebClient(t) {
  const config = await discoverClient(bed.broker.issuer, bed.clients.web);
  const page = await freshPage(t);
  const request = await authorizationRequest(config, bed.rp.callbackUrl);
  const callback = await logInThroughBrowser(page, bed.rp, request.url, kUser);
  return { config, request, callback };
}

async function userinfo(accessToken) {
  const response = await fetch(bed.metadata.userinfo_endpoint, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  await response.arrayBuffer();
  return response;
}

test('a wrong password shows the login form again with an alert, and no redirect', async (t) => {
  const config = await discoverClient(bed.broker.issuer, bed.clients.web);
  const page = await freshPage(t);
  const request = await authorizationRequest(config, bed.rp.callbackUrl);
  const since = bed.rp.visits.length;

  await page.goto(request.url.href);
  await submitLogin(page, { email: kUser.email, password: 'not-the-password' });

  await page.locator('[role="alert"]').first().waitFor({ state: 'visible' });
  await loginForm(page).waitFor({ state: 'visible' });
  assert.equal(new URL(page.url()).origin, bed.broker.issuer, 'still on the broker');
  await sleep(300);
  assert.deepEqual(bed.rp.visits.slice(since).map(String), [], 'the app received nothing');
});

test('an unregistered redirect URI gets a 400 error page and the browser is not sent there', async (t) => {
  const config = await discoverClient(bed.broker.issuer, bed.clients.web);
  const unregistered = `${bed.rp.origin}/not-registered`;
  const request = await authorizationRequest(config, unregistered);

  const direct = await fetch(request.url, { redirect: 'manual' });
  await direct.arrayBuffer();
  assert.equal(direct.status, 400, 'RFC 6749 §4.1.2.1: no redirect to an unverified URI');
  assert.equal(direct.headers.get('location'), null);

  const page = await freshPage(t);
  const since = bed.rp.visits.length;
  const response = await page.goto(request.url.href);
  assert.equal(response.status(), 400);
  assert.equal(new URL(page.url()).origin, bed.broker.issuer, 'the browser stays on the broker');
  const marker = page.locator('[data-error]').first();
  await marker.waitFor({ state: 'attached' });
  const code = await marker.getAttribute('data-error');
  const text = await marker.textContent();
  assert.ok(code === 'invalid_request' || (code === '' && text.includes('invalid_request')),
    `data-error carries invalid_request (attribute "${code}", text "${text}")`);
  await sleep(300);
  assert.deepEqual(bed.rp.visits.slice(since).map(String), [], 'nothing reached the app');
});

test('a public client without PKCE is sent back with error=invalid_request', async () => {
  const { issuer } = bed.broker;
  const client = bed.clients.public;
  const state = oidc.randomState();
  const params = {
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: bed.rp.callbackUrl,
    scope: 'openid',
    state,
    nonce: oidc.randomNonce(),
  };
  const url = new URL(bed.metadata.authorization_endpoint);
  url.search = new URLSearchParams(params).toString();

  const response = await fetch(url, { redirect: 'manual' });
  await response.arrayBuffer();
  assert.ok([302, 303].includes(response.status), `a redirect, got ${response.status}`);
  const location = new URL(response.headers.get('location'), issuer);
  assert.equal(`${location.origin}${location.pathname}`, bed.rp.callbackUrl);
  assert.equal(location.searchParams.get('error'), 'invalid_request');
  assert.equal(location.searchParams.get('state'), state);
  assert.equal(location.searchParams.get('iss'), issuer);
  assert.equal(location.searchParams.get('code'), null);

  // The same request with S256 goes on to the login page instead.
  const config = await discoverClient(issuer, client);
  const withPkce = await authorizationRequest(config, bed.rp.callbackUrl);
  const accepted = await fetch(withPkce.url, { redirect: 'manual' });
  await accepted.arrayBuffer();
  assert.ok([302, 303].includes(accepted.status), `with PKCE: a redirect, got ${accepted.status}`);
  const next = new URL(accepted.headers.get('location'), issuer);
  assert.equal(next.origin, issuer, `with PKCE: on to the broker's login page, not ${next}`);
});

test('a replayed code is refused with invalid_grant and revokes the tokens it gave', async (t) => {
  const { config, request, callback } = await logInWebClient(t);
  const checks = { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce };
  const first = await oidc.authorizationCodeGrant(config, callback, checks);
  assert.equal((await userinfo(first.access_token)).status, 200, 'userinfo before the replay');

  await assert.rejects(
    oidc.authorizationCodeGrant(config, callback, checks),
    (error) => {
      assert.equal(error.status, 400, `replay answered ${error.status}: ${error.message}`);
      assert.equal(error.error, 'invalid_grant');
      return true;
    },
  );

  // RFC 9700 §4.1.3 / RFC 6749 §4.1.2: tokens from a replayed code are revoked.
  const after = await userinfo(first.access_token);
  assert.equal(after.status, 401, 'userinfo with the first access token after the replay');
});

test('tampered tokens are rejected: the ID token by jose, the access token by /userinfo', async (t) => {
  const { config, request, callback } = await logInWebClient(t);
  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
  });
  const { web } = bed.clients;

  // Control: the untouched tokens are good.
  await verifyIdToken(tokens.id_token, bed.metadata, web.client_id);
  assert.equal((await userinfo(tokens.access_token)).status, 200);

  const forgedId = withPayloadChanged(tokens.id_token, { email: 'mallory@example.test', sub: 'mallory' });
  await assert.rejects(verifyIdToken(forgedId, bed.metadata, web.client_id), joseErrors.JWSSignatureVerificationFailed);

  const forgeries = {
    'changed sub': withPayloadChanged(tokens.access_token, { sub: 'mallory' }),
    'flipped signature': withSignatureFlipped(tokens.access_token),
    'no signature': `${tokens.access_token.split('.').slice(0, 2).join('.')}.`,
  };
  for (const [what, token] of Object.entries(forgeries)) {
    const response = await userinfo(token);
    assert.equal(response.status, 401, `userinfo with an access token with ${what}`);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer\b.*error="invalid_token"/,
      `WWW-Authenticate for an access token with ${what}`);
  }
});
