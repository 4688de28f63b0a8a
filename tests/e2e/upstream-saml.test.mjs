// Logins through a real upstream SAML 2.0 identity provider in Chromium:
// samlify as the IdP on 127.0.0.1 (lib/saml-idp.mjs), with its own login
// form and session, behind the broker's connection "corp-saml" (strategy
// saml). The IdP knows the broker only from the broker's SP metadata. The
// broker sends a schema-valid AuthnRequest by the HTTP-Redirect binding,
// takes the signed assertion posted back to its ACS with RelayState, and
// makes the user saml|<NameID> with the profile mapped from the attributes
// (the broker's users keep a name and an e-mail, not given and family
// names: those show in the name of a user the IdP gives no displayName).
// A second app logs in on the broker's session; after a broker logout the
// IdP's session logs the user in without its form; prompt=login reaches the
// IdP as ForceAuthn="true"; and for a client requiring MFA, the MFA the IdP
// reports (the REFEDS MFA class) is trusted, while a password at the IdP
// leads to the broker's own MFA step.
//
// The tests up to prompt=login build on each other in one browser profile;
// the MFA tests each use a fresh one.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { startBroker } from './lib/broker.mjs';
import { launchBrowser, newPage } from './lib/browser.mjs';
import { repoRoot } from './lib/env.mjs';
import { describePage } from './lib/login-page.mjs';
import {
  continueWith, finishAtApp, openApp, reachIdpSignIn, signInAtIdp, waitVisible, watchNavigations,
} from './lib/navigation.mjs';
import { kMultiFactor } from './lib/mfa-page.mjs';
import { freePort } from './lib/net.mjs';
import { startRelyingParty } from './lib/relying-party.mjs';
import { kRefedsMfa, startSamlIdp } from './lib/saml-idp.mjs';
import { discoverClient, stopAll, webClient } from './lib/test-bed.mjs';

const kConnection = 'corp-saml';
const kSpEntityId = 'urn:passerelle:e2e';

// Test fixtures only: valid for the IdP and the broker these tests start.
const kErin = {
  login: 'erin', password: 'test-fixture-password-corp-erin',
  email: 'erin@corp.example.test', firstName: 'Erin', lastName: 'Fischer', displayName: 'Erin Fischer',
};
// No displayName: the broker names him from firstName and lastName.
const kMilan = {
  login: 'milan', password: 'test-fixture-password-corp-milan',
  email: 'milan@corp.example.test', firstName: 'Milan', lastName: 'Novak',
  authnContext: kRefedsMfa,
};

let idp;
let broker;
let chromium;
let metadata;
const apps = {};
const sso = {};
const stopLater = [];

function samlConnection(clientIds) {
  return {
    name: kConnection,
    strategy: 'saml',
    options: {
      idp_sso_url: idp.ssoUrl,
      idp_certificate: readFileSync(path.join(repoRoot, 'fixtures', 'saml', 'test-idp.cert.pem'), 'utf8'),
      idp_entity_id: idp.entityId,
      sp_entity_id: kSpEntityId,
      attribute_mapping: { email: 'email', given_name: 'firstName', family_name: 'lastName', name: 'displayName' },
      trust_upstream_mfa: true,
    },
    enabled_clients: clientIds,
  };
}

function appClient(rp, name, extra = {}) {
  return { ...webClient(rp), client_id: `e2e-saml-${name}`, client_secret: `test-fixture-secret-e2e-saml-${name}`, ...extra };
}

before(async () => {
  // The IdP reads the broker's SP metadata, and the broker's config names
  // the IdP: the broker's port is chosen first.
  const brokerPort = await freePort();
  const rp = await startRelyingParty();
  stopLater.push(() => rp.close());
  idp = await startSamlIdp({
    users: [kErin, kMilan],
    spMetadataUrl: `http://127.0.0.1:${brokerPort}/samlp/metadata?connection=${kConnection}`,
  });
  stopLater.push(() => idp.stop());
  const clients = {
    a: appClient(rp, 'app-a'),
    b: appClient(rp, 'app-b'),
    secure: appClient(rp, 'secure', { require_mfa: true }),
  };
  const clientIds = Object.values(clients).map((c) => c.client_id);
  broker = await startBroker({
    clients: Object.values(clients),
    connections: [
      { name: 'Username-Password-Authentication', strategy: 'database', enabled_clients: clientIds },
      samlConnection(clientIds),
    ],
  }, { port: brokerPort });
  stopLater.push(() => broker.stop());
  metadata = await (await fetch(`${broker.issuer}/.well-known/openid-configuration`)).json();
  for (const [key, client] of Object.entries(clients)) {
    apps[key] = { rp, client, config: await discoverClient(broker.issuer, client) };
  }
  chromium = await launchBrowser();
  stopLater.push(() => chromium.close());
});

after(async () => {
  await sso.context?.close();
  await stopAll(stopLater);
});

// The broker's ACS, where the IdP posts its Response.
function acsUrl() {
  return `${broker.issuer}/login/callback`;
}

// Documents the browser posted to the IdP (none when its session answers).
function postedToIdp(seen) {
  return seen.documents.filter((d) => d.url.origin === idp.url && d.method !== 'GET');
}

// Logs out at the broker only (no `federated`): the IdP's session lives on.
async function logOutAtBroker(context, page, app) {
  const logout = new URL(`${broker.issuer}/v2/logout`);
  logout.searchParams.set('client_id', app.client.client_id);
  logout.searchParams.set('returnTo', app.rp.logoutUrl);
  const since = app.rp.visits.length;
  await page.goto(logout.href);
  await app.rp.nextVisit('/logged-out', { since, describe: () => describePage(page) });
  assert.deepEqual((await context.cookies(broker.issuer)).filter((c) => c.name === 'passerelle_session'), [],
    'the broker session cookie is gone');
}

test('Continue with corp-saml: the IdP read the SP metadata, signed an assertion, and app A gets saml|<NameID>', async () => {
  const { context, page } = await newPage(chromium.browser);
  Object.assign(sso, { context, page });
  const seen = watchNavigations(page);
  const since = idp.requests.length;

  const started = await openApp(page, apps.a);
  await continueWith(page, kConnection);
  await signInAtIdp(page, idp.url, kErin);
  const { tokens, claims } = await finishAtApp(page, apps.a, started, metadata);

  assert.equal(claims.sub, `saml|${kErin.email}`);
  assert.equal(claims.email, kErin.email);
  assert.equal(claims.name, kErin.displayName);
  assert.deepEqual(claims.amr, ['pwd'], 'PasswordProtectedTransport at the IdP is a password');
  // The IdP knows the broker only from its SP metadata.
  assert.ok(idp.spMetadataFetches() >= 1, 'the IdP fetched the broker\'s SP metadata');
  assert.deepEqual(idp.serviceProvider(), { entityId: kSpEntityId, acsUrl: acsUrl(), wantAssertionsSigned: true });
  // What the connector sent upstream: one schema-valid AuthnRequest.
  const upstream = idp.requests.slice(since);
  assert.equal(upstream.length, 1, `one AuthnRequest at the IdP: ${JSON.stringify(upstream)}`);
  const [request] = upstream;
  assert.equal(request.answer, 'form', `the IdP took the AuthnRequest: ${JSON.stringify(request)}`);
  assert.equal(request.issuer, kSpEntityId);
  assert.equal(request.destination, idp.ssoUrl);
  assert.equal(request.forceAuthn, false);
  assert.ok(request.relayState, 'RelayState sent upstream');
  assert.equal(request.acsUrl, acsUrl(), 'the ACS named in the AuthnRequest');
  assert.equal(idp.responses.at(-1)?.inResponseTo, request.id, 'the IdP answered that AuthnRequest');
  assert.ok(seen.documents.some((d) => d.method === 'POST' && d.url.href === acsUrl()),
    `the Response was posted to the broker's ACS:\n  ${seen.describe()}`);
  Object.assign(sso, { tokens, claims });
});

test('app B logs in on the broker\'s session: no page shown, the IdP not asked', async () => {
  assert.ok(sso.claims, 'needs the login of the previous test');
  const { page } = sso;
  const seen = watchNavigations(page);
  const since = idp.requests.length;

  const started = await openApp(page, apps.b);
  const { claims } = await finishAtApp(page, apps.b, started, metadata);

  assert.equal(claims.sub, sso.claims.sub, 'the same user');
  assert.equal(claims.sid, sso.claims.sid, 'the same broker session');
  assert.deepEqual(seen.renderedAt(broker.issuer), [], `no page of the broker was shown:\n  ${seen.describe()}`);
  assert.equal(idp.requests.length, since, 'no AuthnRequest reached the IdP');
});

test('after a broker logout, the IdP\'s session logs the user in again without its sign-in form', async () => {
  assert.ok(sso.claims, 'needs the logins of the previous tests');
  const { context, page } = sso;
  await logOutAtBroker(context, page, apps.a);

  const seen = watchNavigations(page);
  const since = idp.requests.length;
  const started = await openApp(page, apps.a);
  await continueWith(page, kConnection);
  const { claims } = await finishAtApp(page, apps.a, started, metadata);

  assert.equal(claims.sub, sso.claims.sub, 'the same user');
  assert.notEqual(claims.sid, sso.claims.sid, 'a new broker session');
  const upstream = idp.requests.slice(since);
  assert.deepEqual(upstream.map((r) => r.answer), ['session'], 'the IdP answered from its session');
  assert.deepEqual(postedToIdp(seen), [], `no password was posted to the IdP:\n  ${seen.describe()}`);
});

test('prompt=login at the broker reaches the IdP as ForceAuthn="true", and the IdP asks again', async () => {
  assert.ok(sso.claims, 'needs the logins of the previous tests');
  const { page } = sso;
  const seen = watchNavigations(page);
  const since = idp.requests.length;

  const started = await openApp(page, apps.a, { prompt: 'login' });
  await reachIdpSignIn(page, broker.issuer, kConnection);
  await signInAtIdp(page, idp.url, kErin);
  const { claims } = await finishAtApp(page, apps.a, started, metadata);

  assert.equal(claims.sub, sso.claims.sub, 'the same user');
  const upstream = idp.requests.slice(since);
  assert.equal(upstream.length, 1, `one AuthnRequest at the IdP: ${JSON.stringify(upstream)}`);
  assert.equal(upstream[0].forceAuthn, true, 'ForceAuthn="true" sent upstream');
  assert.equal(upstream[0].answer, 'form', 'the IdP showed its form despite its session');
  assert.equal(postedToIdp(seen).length, 1, `the password was posted to the IdP:\n  ${seen.describe()}`);
});

test('require_mfa: the IdP\'s REFEDS MFA class is trusted, no broker MFA step', async (t) => {
  const { context, page } = await newPage(chromium.browser);
  t.after(() => context.close());
  const seen = watchNavigations(page);

  const started = await openApp(page, apps.secure);
  await continueWith(page, kConnection);
  await signInAtIdp(page, idp.url, kMilan);
  const { claims } = await finishAtApp(page, apps.secure, started, metadata);

  assert.equal(claims.sub, `saml|${kMilan.email}`);
  assert.equal(claims.email, kMilan.email);
  // The broker's users have a name but no given or family name of their own:
  // firstName and lastName show in the name made of them.
  assert.equal(claims.name, `${kMilan.firstName} ${kMilan.lastName}`);
  assert.deepEqual(claims.amr, ['mfa'], 'the IdP\'s MFA, and no broker OTP');
  assert.equal(claims.acr, kMultiFactor);
  assert.deepEqual(seen.renderedAt(broker.issuer).filter((d) => d.url.pathname.startsWith('/mfa')), [],
    `no MFA page of the broker was shown:\n  ${seen.describe()}`);
});

test('require_mfa: a password at the IdP stops at the broker\'s own MFA step', async (t) => {
  const { context, page } = await newPage(chromium.browser);
  t.after(() => context.close());
  const since = apps.secure.rp.visits.length;

  await openApp(page, apps.secure);
  await continueWith(page, kConnection);
  await signInAtIdp(page, idp.url, kErin);

  // A first MFA for this user: the enrolment page, or the code form.
  await waitVisible(page, page.locator('[data-otpauth-uri], input[name="otp"]').first());
  assert.equal(new URL(page.url()).origin, broker.issuer, 'the MFA step is the broker\'s');
  assert.deepEqual(apps.secure.rp.visits.slice(since).filter((url) => url.pathname === '/callback'), [],
    'the app got no code before the MFA step');
});
