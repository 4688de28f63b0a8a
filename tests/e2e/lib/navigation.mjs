// Browser-side helpers for tests that follow a login across several sites
// (the app, the broker, an upstream IdP): which pages were shown, and the
// app's side of an authorization request.
import assert from 'node:assert/strict';

import * as oidc from 'openid-client';

import { verifyIdToken } from './jwt.mjs';
import { describePage } from './login-page.mjs';
import { authorizationRequest } from './test-bed.mjs';

// Records every top-level navigation of `page` from now on, redirects
// included, with its method and status. `describe()` lists them for failure
// messages; `renderedAt(origin)` keeps the pages of `origin` the browser
// rendered (not redirects).
export function watchNavigations(page) {
  const seen = { documents: [] };
  page.on('response', (response) => {
    const request = response.request();
    if (!request.isNavigationRequest() || request.frame() !== page.mainFrame()) return;
    seen.documents.push({ url: new URL(response.url()), method: request.method(), status: response.status() });
  });
  seen.describe = () => seen.documents
    .map((d) => `${d.method} ${d.url.origin}${d.url.pathname} -> ${d.status}`)
    .join('\n  ');
  seen.renderedAt = (origin) => seen.documents
    .filter((d) => d.url.origin === origin && (d.status < 300 || d.status >= 400));
  return seen;
}

// Waits until `locator` shows in `page`; a failure says where the browser is.
export async function waitVisible(page, locator) {
  await locator.waitFor({ state: 'visible' }).catch(async (error) => {
    throw new Error(`${error.message}${await describePage(page)}`);
  });
}

// On the broker's login page, chooses the upstream connection `name`.
export async function continueWith(page, name) {
  const button = page.locator(`[data-connection="${name}"]`);
  await waitVisible(page, button);
  await button.click();
}

// Fills and submits an upstream IdP's own sign-in form (form#idp-login with
// inputs login and password), after checking that `idpUrl` serves it.
export async function signInAtIdp(page, idpUrl, { login, password }) {
  const form = page.locator('form#idp-login');
  await waitVisible(page, form);
  assert.equal(new URL(page.url()).origin, idpUrl, 'the sign-in form is the upstream IdP\'s');
  await form.locator('input[name="login"]').fill(login);
  await form.locator('input[name="password"]').fill(password);
  await form.locator('button[name="submit"]').click();
}

// After prompt=login the broker may show its login page first, or go to
// the IdP at once: either way this ends at the IdP's sign-in form.
export async function reachIdpSignIn(page, brokerIssuer, connection) {
  const first = page.locator(`[data-connection="${connection}"], form#idp-login`).first();
  await waitVisible(page, first);
  if (new URL(page.url()).origin === brokerIssuer) await continueWith(page, connection);
}

// Starts a login for `app` ({ rp, client, config }) in `page`; returns the
// request and how far the relying party's visits went before it.
export async function openApp(page, app, extra = {}) {
  const request = await authorizationRequest(app.config, app.rp.callbackUrl, extra);
  const since = app.rp.visits.length;
  await page.goto(request.url.href);
  return { request, since };
}

// Waits for the app's callback, exchanges the code with openid-client (which
// validates the ID token), and verifies the ID token with jose against the
// broker's JWKS as well. Returns { callback, tokens, claims }.
export async function finishAtApp(page, app, { request, since }, metadata) {
  const callback = await app.rp.nextVisit('/callback', { since, describe: () => describePage(page) });
  // The app has the request before the browser has its answer: wait until
  // the page is there too, or the next test's navigation would race this one
  // (and be interrupted by it).
  await page.waitForURL((url) => url.origin === callback.origin && url.pathname === callback.pathname
                                 && url.search === callback.search, { waitUntil: 'commit' });
  assert.ok(callback.searchParams.get('code'), `the app got a code: ${callback.search}`);
  assert.equal(callback.searchParams.get('iss'), metadata.issuer);
  const tokens = await oidc.authorizationCodeGrant(app.config, callback, {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
    idTokenExpected: true,
  });
  const { payload: claims } = await verifyIdToken(tokens.id_token, metadata, app.client.client_id);
  assert.equal(claims.sub, tokens.claims().sub, 'jose and openid-client read the same ID token');
  return { callback, tokens, claims };
}
