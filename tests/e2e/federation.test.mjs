// Logins through upstream IdPs in Chromium (ARCHITECTURE §1, S9): the
// broker's login page sends the browser to the fake Facebook (or the fake
// GitHub), which sends it back to /login/callback; the broker makes a
// federated user and a broker session, and the application gets its code.
// Two applications share the broker session; a logout ends it while the
// IdP's own session lives on, unless it is federated (then Facebook's
// session ends too); a cancel at the IdP reaches the application as
// access_denied.
//
// The first three tests build on each other in one browser profile.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import * as oidc from 'openid-client';

import { startBroker } from './lib/broker.mjs';
import { launchBrowser, newPage } from './lib/browser.mjs';
import { startFakeFacebook, startFakeGithub } from './lib/fake-idps.mjs';
import { describePage } from './lib/login-page.mjs';
import { freePort } from './lib/net.mjs';
import { finishAtApp, openApp, waitVisible, watchNavigations } from './lib/navigation.mjs';
import { startRelyingParty } from './lib/relying-party.mjs';
import { discoverClient, webClient } from './lib/test-bed.mjs';

// Test fixtures only: valid for the fakes and the broker these tests start.
const kFacebookApp = { app_id: '700100200300', app_secret: 'test-fixture-secret-facebook-app' };
const kFacebookUsers = {
  alice: {
    id: '10203', email: 'alice.fb@example.test', password: 'test-fixture-password-fb-alice',
    first_name: 'Alice', last_name: 'Upstream',
  },
  // Only for the cancelled login: the fake remembers consent per user.
  bob: {
    id: '10457', email: 'bob.fb@example.test', password: 'test-fixture-password-fb-bob',
    first_name: 'Bob', last_name: 'Upstream',
  },
};
const kGithubApp = {
  client_id: 'Iv1.e2e0000000000001', client_secret: 'test-fixture-secret-github-app', name: 'Passerelle e2e',
};
const kGithubUser = {
  id: 5821,
  login: 'octo-carol',
  password: 'test-fixture-password-gh-carol',
  name: 'Carol Octo',
  // The connector must take the verified primary address, not the first one
  // (visibility "" is GitHub's null).
  emails: [
    { email: 'carol.old@example.test', primary: false, verified: true, visibility: '' },
    { email: 'carol@example.test', primary: true, verified: true, visibility: 'private' },
    { email: 'carol.unconfirmed@example.test', primary: false, verified: false, visibility: '' },
  ],
};

let facebook;
let github;
let broker;
let chromium;
let metadata;
// Two applications, each a relying party server with its own client.
const apps = {};
// The browser profile of the first three tests, and what they learned.
const sso = {};
const stopLater = [];

before(async () => {
  // The IdPs must know the broker's callback before the broker knows them.
  const brokerPort = await freePort();
  const callback = `http://127.0.0.1:${brokerPort}/login/callback`;
  facebook = await startFakeFacebook({
    apps: [{ ...kFacebookApp, redirect_uris: [callback] }],
    users: Object.values(kFacebookUsers),
  });
  stopLater.push(() => facebook.stop());
  github = await startFakeGithub({ apps: [{ ...kGithubApp, callback_url: callback }], users: [kGithubUser] });
  stopLater.push(() => github.stop());

  for (const [key, name] of [['a', 'App A'], ['b', 'App B']]) {
    const rp = await startRelyingParty();
    stopLater.push(() => rp.close());
    const client = {
      ...webClient(rp),
      client_id: `e2e-app-${key}`,
      client_secret: `test-fixture-secret-e2e-app-${key}`,
      name,
    };
    apps[key] = { rp, client };
  }
  const clientIds = Object.values(apps).map((app) => app.client.client_id);
  broker = await startBroker({
    clients: Object.values(apps).map((app) => app.client),
    connections: [
      { name: 'Username-Password-Authentication', strategy: 'database', enabled_clients: clientIds },
      {
        name: 'facebook',
        strategy: 'facebook',
        options: facebook.connectionOptions(kFacebookApp),
        enabled_clients: clientIds,
      },
      { name: 'github', strategy: 'github', options: github.connectionOptions(kGithubApp), enabled_clients: clientIds },
    ],
  }, { port: brokerPort });
  stopLater.push(() => broker.stop());
  metadata = await (await fetch(`${broker.issuer}/.well-known/openid-configuration`)).json();
  for (const app of Object.values(apps)) app.config = await discoverClient(broker.issuer, app.client);
  chromium = await launchBrowser();
});

after(async () => {
  await sso.context?.close();
  await chromium?.close();
  const errors = [];
  for (const stop of stopLater.reverse()) {
    try {
      await stop();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw errors[0];
});

// The broker's login page, with its connection buttons.
async function waitForBrokerLoginPage(page) {
  await waitVisible(page, page.locator('[data-connection="facebook"]'));
  const url = new URL(page.url());
  assert.equal(`${url.origin}${url.pathname}`, `${broker.issuer}/login`, 'the broker\'s login page');
}

async function logInAtFacebook(page, user) {
  const form = page.locator('form#fb-login');
  await waitVisible(page, form);
  assert.equal(new URL(page.url()).origin, facebook.url, 'the login form is the fake Facebook\'s');
  await form.locator('input[name="email"]').fill(user.email);
  await form.locator('input[name="pass"]').fill(user.password);
  await form.locator('button[name="login"]').click();
}

async function answerFacebookConsent(page, action) {
  const form = page.locator('form#fb-consent');
  await waitVisible(page, form);
  await form.locator(`button[name="action"][value="${action}"]`).click();
}

test('app A: Continue with Facebook, the fake Facebook\'s login and consent, back at app A with sub facebook|<id>', async () => {
  const { context, page } = await newPage(chromium.browser);
  Object.assign(sso, { context, page });
  const app = apps.a;
  const alice = kFacebookUsers.alice;
  const seen = watchNavigations(page);

  const started = await openApp(page, app);
  await waitForBrokerLoginPage(page);
  const offered = await page.locator('[data-connection]').evaluateAll((nodes) => nodes.map((n) => n.dataset.connection));
  assert.deepEqual(offered, ['facebook', 'github'], 'one button per enabled upstream connection');
  assert.match(await page.locator('[data-connection="facebook"]').innerText(), /^\s*Continue with Facebook\s*$/);
  await page.locator('[data-connection="facebook"]').click();
  await logInAtFacebook(page, alice);
  await answerFacebookConsent(page, 'accept');
  const { tokens, claims } = await finishAtApp(page, app, started, metadata);

  assert.equal(claims.sub, `facebook|${alice.id}`);
  assert.equal(claims.nonce, started.request.nonce);
  assert.ok(typeof claims.sid === 'string' && claims.sid.length > 0, 'the ID token names the broker session');
  assert.ok(Number.isInteger(claims.auth_time), 'auth_time');
  // Facebook does not say whether an address is confirmed: not claimed verified.
  assert.equal(claims.email, alice.email);
  assert.notEqual(claims.email_verified, true, 'a Facebook address is not claimed verified');
  const userinfo = await oidc.fetchUserInfo(app.config, tokens.access_token, claims.sub);
  assert.equal(userinfo.sub, claims.sub);
  assert.equal(userinfo.email, alice.email);

  // The way there went through the fake's real login and consent pages.
  const atFacebook = seen.renderedAt(facebook.url);
  assert.ok(atFacebook.some((d) => d.method === 'POST' && d.url.pathname === '/login'),
    `a password was posted at the fake Facebook:\n  ${seen.describe()}`);
  Object.assign(sso, { tokens, claims });
});

test('app B in the same browser: logged in by the broker session, no login page at the broker or at Facebook', async () => {
  assert.ok(sso.claims, 'needs the login of the previous test');
  const app = apps.b;
  const { page } = sso;
  const seen = watchNavigations(page);

  const started = await openApp(page, app);
  const { claims } = await finishAtApp(page, app, started, metadata);

  assert.equal(claims.sub, sso.claims.sub, 'the same user');
  assert.equal(claims.aud, app.client.client_id);
  assert.equal(claims.sid, sso.claims.sid, 'the same broker session');
  assert.equal(claims.auth_time, sso.claims.auth_time, 'no new authentication');
  const rendered = seen.documents.filter((d) => d.status < 300 || d.status >= 400);
  assert.deepEqual(rendered.map((d) => `${d.url.origin}${d.url.pathname}`), [app.rp.callbackUrl],
    `the only page shown is app B's callback:\n  ${seen.describe()}`);
  assert.deepEqual(seen.documents.filter((d) => d.url.origin === facebook.url), [],
    `Facebook was not asked:\n  ${seen.describe()}`);
  assert.equal(seen.documents.filter((d) => d.url.pathname === '/login').length, 0, 'no /login page');
});

test('after a broker logout, app A shows the login page again and Facebook\'s session skips its password', async () => {
  assert.ok(sso.claims, 'needs the login of the first test');
  const app = apps.a;
  const { context, page } = sso;

  // RP-Initiated Logout from app A.
  const logoutState = oidc.randomState();
  const logoutUrl = oidc.buildEndSessionUrl(app.config, {
    id_token_hint: sso.tokens.id_token,
    post_logout_redirect_uri: app.rp.logoutUrl,
    state: logoutState,
  });
  const sinceLogout = app.rp.visits.length;
  await page.goto(logoutUrl.href);
  const back = await app.rp.nextVisit('/logged-out', { since: sinceLogout, describe: () => describePage(page) });
  assert.equal(back.searchParams.get('state'), logoutState);
  const brokerCookies = (await context.cookies(broker.issuer)).filter((c) => c.name === 'passerelle_session');
  assert.deepEqual(brokerCookies, [], 'the broker session cookie is gone');

  const seen = watchNavigations(page);
  const started = await openApp(page, app);
  await waitForBrokerLoginPage(page);
  await page.locator('[data-connection="facebook"]').click();
  const { claims } = await finishAtApp(page, app, started, metadata);

  assert.equal(claims.sub, sso.claims.sub, 'the same user');
  assert.notEqual(claims.sid, sso.claims.sid, 'a new broker session');
  // The broker showed its login page once; Facebook only redirected.
  assert.equal(seen.renderedAt(broker.issuer).filter((d) => d.url.pathname === '/login').length, 1,
    `the broker's login page was shown:\n  ${seen.describe()}`);
  assert.ok(seen.documents.some((d) => d.url.origin === facebook.url), `Facebook was asked:\n  ${seen.describe()}`);
  assert.deepEqual(seen.renderedAt(facebook.url), [],
    `no page of the fake Facebook was shown (no login form, no consent):\n  ${seen.describe()}`);
  assert.deepEqual(seen.documents.filter((d) => d.url.origin === facebook.url && d.method !== 'GET'), [],
    `nothing was posted to the fake Facebook (no password):\n  ${seen.describe()}`);
});

test('/v2/logout?federated ends Facebook\'s session too: the next Continue with Facebook asks for the password', async () => {
  assert.ok(sso.claims, 'needs the logins of the first tests');
  const app = apps.a;
  const { context, page } = sso;
  const seen = watchNavigations(page);

  const logout = new URL(`${broker.issuer}/v2/logout`);
  logout.search = `federated&client_id=${encodeURIComponent(app.client.client_id)}` +
    `&returnTo=${encodeURIComponent(app.rp.logoutUrl)}`;
  const sinceLogout = app.rp.visits.length;
  await page.goto(logout.href);
  await app.rp.nextVisit('/logged-out', { since: sinceLogout, describe: () => describePage(page) });
  assert.ok(seen.documents.some((d) => d.url.origin === facebook.url && d.url.pathname === '/logout.php'),
    `the browser went through Facebook's logout:\n  ${seen.describe()}`);
  assert.deepEqual((await context.cookies(broker.issuer)).filter((c) => c.name === 'passerelle_session'), [],
    'the broker session cookie is gone');

  const started = await openApp(page, app);
  await waitForBrokerLoginPage(page);
  await page.locator('[data-connection="facebook"]').click();
  await logInAtFacebook(page, kFacebookUsers.alice);
  const { claims } = await finishAtApp(page, app, started, metadata);
  assert.equal(claims.sub, sso.claims.sub, 'the same user, after typing the password at Facebook');
});

test('a cancel at Facebook\'s consent reaches the application as access_denied', async (t) => {
  const { context, page } = await newPage(chromium.browser);
  t.after(() => context.close());
  const app = apps.a;

  const { request, since } = await openApp(page, app);
  await waitForBrokerLoginPage(page);
  await page.locator('[data-connection="facebook"]').click();
  await logInAtFacebook(page, kFacebookUsers.bob);
  await answerFacebookConsent(page, 'cancel');
  const callback = await app.rp.nextVisit('/callback', { since, describe: () => describePage(page) });

  assert.equal(callback.searchParams.get('error'), 'access_denied', `the app's callback: ${callback.search}`);
  assert.equal(callback.searchParams.get('state'), request.state);
  assert.equal(callback.searchParams.get('iss'), broker.issuer);
  assert.equal(callback.searchParams.get('code'), null);

  // No one is logged in at the broker: a silent request is told to log in.
  const silent = await openApp(page, app, { prompt: 'none' });
  const answer = await app.rp.nextVisit('/callback', { since: silent.since, describe: () => describePage(page) });
  assert.equal(answer.searchParams.get('error'), 'login_required', `after the cancel: ${answer.search}`);
});

test('Continue with GitHub: sign-in and authorization at the fake GitHub, sub github|<id>, the verified primary address', async (t) => {
  const { context, page } = await newPage(chromium.browser);
  t.after(() => context.close());
  const app = apps.b;

  const started = await openApp(page, app);
  await waitForBrokerLoginPage(page);
  await page.locator('[data-connection="github"]').click();
  const signIn = page.locator('form#gh-login');
  await waitVisible(page, signIn);
  assert.equal(new URL(page.url()).origin, github.url, 'the sign-in form is the fake GitHub\'s');
  await signIn.locator('#login_field').fill(kGithubUser.login);
  await signIn.locator('#password').fill(kGithubUser.password);
  await signIn.locator('button[name="commit"]').click();
  const authorize = page.locator('form#gh-authorize');
  await waitVisible(page, authorize);
  await authorize.locator('button[name="authorize"][value="1"]').click();
  const { tokens, claims } = await finishAtApp(page, app, started, metadata);

  assert.equal(claims.sub, `github|${kGithubUser.id}`);
  assert.equal(claims.email, 'carol@example.test', 'the verified primary address');
  assert.equal(claims.email_verified, true);
  const userinfo = await oidc.fetchUserInfo(app.config, tokens.access_token, claims.sub);
  assert.equal(userinfo.email, 'carol@example.test');
});
