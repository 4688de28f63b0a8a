// Logins through a real upstream OpenID Connect provider in Chromium: the
// npm oidc-provider on 127.0.0.1, with its own login form and session,
// behind the broker's connection "corp-idp" (strategy oidc). The broker's
// oidc connector discovers it, sends PKCE, state and nonce, verifies its ID
// tokens against its JWKS, and makes the user oidc|<sub>. Single sign-on
// rides on the IdP's session; the broker's prompt=login reaches the IdP;
// /v2/logout?federated ends the IdP's session through its end_session
// endpoint; a key rotation at the IdP does not break logins.
//
// The tests build on each other in one browser profile, except the last.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import * as oidc from 'openid-client';

import { startBroker } from './lib/broker.mjs';
import { launchBrowser, newPage } from './lib/browser.mjs';
import { describePage } from './lib/login-page.mjs';
import { freePort } from './lib/net.mjs';
import {
  continueWith, finishAtApp, openApp, reachIdpSignIn, signInAtIdp, waitVisible, watchNavigations,
} from './lib/navigation.mjs';
import { startOidcIdp } from './lib/oidc-idp.mjs';
import { startRelyingParty } from './lib/relying-party.mjs';
import { discoverClient, stopAll, webClient } from './lib/test-bed.mjs';

// Test fixtures only: valid for the provider and the broker these tests start.
const kUpstreamClient = { client_id: 'passerelle-e2e', client_secret: 'test-fixture-secret-corp-idp-client' };
const kUser = {
  sub: 'corp-4711', login: 'dana', password: 'test-fixture-password-corp-dana',
  email: 'dana@corp.example.test', name: 'Dana Corp',
};

let idp;
let broker;
let chromium;
let metadata;
let app;
const sso = {};
const stopLater = [];

before(async () => {
  // The IdP must know the broker's callback before the broker knows the IdP.
  const brokerPort = await freePort();
  const rp = await startRelyingParty();
  stopLater.push(() => rp.close());
  idp = await startOidcIdp({
    clients: [{
      ...kUpstreamClient,
      redirect_uris: [`http://127.0.0.1:${brokerPort}/login/callback`],
      post_logout_redirect_uris: [rp.logoutUrl, `http://127.0.0.1:${brokerPort}/v2/logout`],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    users: [kUser],
  });
  stopLater.push(() => idp.stop());
  const client = { ...webClient(rp), client_id: 'e2e-corp-app', client_secret: 'test-fixture-secret-e2e-corp-app' };
  broker = await startBroker({
    clients: [client],
    connections: [
      { name: 'Username-Password-Authentication', strategy: 'database', enabled_clients: [client.client_id] },
      {
        name: 'corp-idp',
        strategy: 'oidc',
        options: { issuer: idp.url, ...kUpstreamClient },
        enabled_clients: [client.client_id],
      },
    ],
  }, { port: brokerPort });
  stopLater.push(() => broker.stop());
  metadata = await (await fetch(`${broker.issuer}/.well-known/openid-configuration`)).json();
  app = { rp, client, config: await discoverClient(broker.issuer, client) };
  chromium = await launchBrowser();
});

after(async () => {
  await sso.context?.close();
  await chromium?.close();
  await stopAll(stopLater);
});

test('Continue with corp-idp: oidc-provider\'s own sign-in, back at the app with sub oidc|<sub>', async () => {
  const { context, page } = await newPage(chromium.browser);
  Object.assign(sso, { context, page });
  const seen = watchNavigations(page);
  const since = idp.authorizations.length;

  const started = await openApp(page, app);
  await continueWith(page, 'corp-idp');
  await signInAtIdp(page, idp.url, kUser);
  const { tokens, claims } = await finishAtApp(page, app, started, metadata);

  assert.equal(claims.sub, `oidc|${kUser.sub}`);
  assert.equal(claims.email, kUser.email);
  assert.equal(claims.email_verified, true);
  assert.equal(claims.name, kUser.name);
  // What the connector sent upstream: code flow with PKCE S256, state, nonce.
  const upstream = idp.authorizations.slice(since);
  assert.equal(upstream.length, 1, 'one authorization request at the IdP');
  assert.equal(upstream[0].get('response_type'), 'code');
  assert.equal(upstream[0].get('code_challenge_method'), 'S256');
  assert.ok(upstream[0].get('state') && upstream[0].get('nonce'), 'state and nonce sent upstream');
  assert.equal(upstream[0].get('prompt'), null);
  assert.ok(seen.documents.some((d) => d.url.origin === idp.url && d.method === 'POST'),
    `a password was posted at the IdP:\n  ${seen.describe()}`);
  Object.assign(sso, { tokens, claims });
});

test('after a broker logout, the IdP\'s session logs the user in again without its sign-in form', async () => {
  assert.ok(sso.claims, 'needs the login of the previous test');
  const { context, page } = sso;
  const logoutUrl = oidc.buildEndSessionUrl(app.config, {
    id_token_hint: sso.tokens.id_token,
    post_logout_redirect_uri: app.rp.logoutUrl,
  });
  const sinceLogout = app.rp.visits.length;
  await page.goto(logoutUrl.href);
  await app.rp.nextVisit('/logged-out', { since: sinceLogout, describe: () => describePage(page) });
  assert.deepEqual((await context.cookies(broker.issuer)).filter((c) => c.name === 'passerelle_session'), [],
    'the broker session cookie is gone');

  const seen = watchNavigations(page);
  const started = await openApp(page, app);
  await continueWith(page, 'corp-idp');
  const { claims } = await finishAtApp(page, app, started, metadata);

  assert.equal(claims.sub, sso.claims.sub, 'the same user');
  assert.notEqual(claims.sid, sso.claims.sid, 'a new broker session');
  assert.ok(seen.documents.some((d) => d.url.origin === idp.url), `the IdP was asked:\n  ${seen.describe()}`);
  assert.deepEqual(seen.renderedAt(idp.url), [], `no page of the IdP was shown:\n  ${seen.describe()}`);
  assert.deepEqual(seen.documents.filter((d) => d.url.origin === idp.url && d.method !== 'GET'), [],
    `nothing was posted to the IdP:\n  ${seen.describe()}`);
});

test('prompt=login at the broker reaches the IdP, which asks for the password again', async () => {
  assert.ok(sso.claims, 'needs the logins of the previous tests');
  const { page } = sso;
  const since = idp.authorizations.length;

  const started = await openApp(page, app, { prompt: 'login' });
  await reachIdpSignIn(page, broker.issuer, 'corp-idp');
  await signInAtIdp(page, idp.url, kUser);
  const { claims } = await finishAtApp(page, app, started, metadata);

  assert.equal(claims.sub, sso.claims.sub, 'the same user');
  const upstream = idp.authorizations.slice(since);
  assert.equal(upstream.at(-1)?.get('prompt'), 'login', 'prompt=login sent upstream');
});

test('/v2/logout?federated ends the IdP\'s session at its end_session endpoint: a password again', async () => {
  assert.ok(sso.claims, 'needs the logins of the previous tests');
  const { context, page } = sso;
  const seen = watchNavigations(page);

  const logout = new URL(`${broker.issuer}/v2/logout`);
  logout.search = `federated&client_id=${encodeURIComponent(app.client.client_id)}` +
    `&returnTo=${encodeURIComponent(app.rp.logoutUrl)}`;
  const sinceLogout = app.rp.visits.length;
  await page.goto(logout.href);
  // oidc-provider asks the user to confirm the sign-out.
  const confirm = page.locator('#idp-logout-yes');
  await waitVisible(page, confirm);
  const atEndSession = seen.documents.find((d) => d.url.origin === idp.url && d.url.pathname === '/session/end');
  assert.ok(atEndSession, `the browser went to the IdP's end_session endpoint:\n  ${seen.describe()}`);
  assert.ok(atEndSession.url.searchParams.get('id_token_hint'), 'with the upstream ID token as hint');
  assert.equal(atEndSession.url.searchParams.get('post_logout_redirect_uri'), app.rp.logoutUrl);
  assert.equal(atEndSession.url.searchParams.get('client_id'), kUpstreamClient.client_id);
  await confirm.click();
  await app.rp.nextVisit('/logged-out', { since: sinceLogout, describe: () => describePage(page) });
  assert.deepEqual((await context.cookies(broker.issuer)).filter((c) => c.name === 'passerelle_session'), [],
    'the broker session cookie is gone');

  const started = await openApp(page, app);
  await continueWith(page, 'corp-idp');
  await signInAtIdp(page, idp.url, kUser);
  const { claims } = await finishAtApp(page, app, started, metadata);
  assert.equal(claims.sub, sso.claims.sub, 'the same user, after the password at the IdP');
});

test('after a key rotation at the IdP, the broker fetches its new JWKS and the login succeeds', async (t) => {
  const { context, page } = await newPage(chromium.browser);
  t.after(() => context.close());
  const fetchedBefore = idp.jwksRequests();
  assert.ok(fetchedBefore >= 1, 'the broker has fetched the JWKS before');
  await idp.rotateKeys();

  const started = await openApp(page, app);
  await continueWith(page, 'corp-idp');
  await signInAtIdp(page, idp.url, kUser);
  const { claims } = await finishAtApp(page, app, started, metadata);

  assert.equal(claims.sub, `oidc|${kUser.sub}`);
  assert.equal(idp.jwksRequests(), fetchedBefore + 1, 'the JWKS was fetched once more, for the unknown kid');
});
