// A connector plugin built outside the tree (fixtures/example_connector,
// built against the installed SDK by the CTest fixture example_connector)
// logs a user in through the broker in Chromium: the broker loads
// example.so from the config's plugins_dir, its login page offers the
// connection, and the example IdP's user comes back as `example|<sub>`.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import * as oidc from 'openid-client';

import { startExampleIdp } from '../../fixtures/example_connector/example-idp.mjs';
import { startBroker } from './lib/broker.mjs';
import { launchBrowser, newPage } from './lib/browser.mjs';
import { examplePluginDir } from './lib/env.mjs';
import { verifyIdToken } from './lib/jwt.mjs';
import { describePage } from './lib/login-page.mjs';
import { freePort } from './lib/net.mjs';
import { startRelyingParty } from './lib/relying-party.mjs';
import { authorizationRequest, discoverClient, webClient } from './lib/test-bed.mjs';

// Test fixtures only: valid for the example IdP these tests start.
const kIdpClient = { id: 'e2e-partner-client', secret: 'test-fixture-secret-example-idp' };
const kUsers = [
  { sub: 'ex-2001', email: 'dana@example.test', email_verified: true, name: 'Dana Partner' },
  { sub: 'ex-2002', email: 'eli@example.test', email_verified: false, name: 'Eli Partner' },
];

let idp;
let broker;
let rp;
let client;
let config;
let metadata;
let chromium;
const stopLater = [];

before(async () => {
  const plugin = path.join(examplePluginDir, 'example.so');
  if (!existsSync(plugin)) {
    throw new Error(`${plugin} is missing: the CTest fixture sdk.build_example_connector builds it`);
  }
  const brokerPort = await freePort();
  idp = await startExampleIdp({
    clientId: kIdpClient.id,
    clientSecret: kIdpClient.secret,
    redirectUri: `http://127.0.0.1:${brokerPort}/login/callback`,
    users: kUsers,
  });
  stopLater.push(() => idp.stop());
  rp = await startRelyingParty();
  stopLater.push(() => rp.close());
  client = webClient(rp);
  broker = await startBroker({
    plugins_dir: examplePluginDir,
    clients: [client],
    connections: [{
      name: 'partner',
      strategy: 'example',
      enabled_clients: [client.client_id],
      options: {
        display_name: 'Partner Co',
        client_id: kIdpClient.id,
        client_secret: kIdpClient.secret,
        authorization_endpoint: `${idp.url}/authorize`,
        token_endpoint: `${idp.url}/token`,
      },
    }],
  }, { port: brokerPort });
  stopLater.push(() => broker.stop());
  metadata = await (await fetch(`${broker.issuer}/.well-known/openid-configuration`)).json();
  config = await discoverClient(broker.issuer, client);
  chromium = await launchBrowser();
});

after(async () => {
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

// Where the browser is and what the broker said last, for failure messages.
async function whereAmI(page) {
  return `${await describePage(page)}\nbroker output:\n${broker.logTail(2000)}`;
}

async function waitVisible(page, locator) {
  await locator.waitFor({ state: 'visible' }).catch(async (error) => {
    throw new Error(`${error.message}${await whereAmI(page)}`);
  });
}

// Opens the app's login in a fresh profile, presses the partner's button on
// the broker's login page and waits for the example IdP's page. Returns the
// page, the authorization request and the relying party's visit count.
async function toExampleIdp(t) {
  const { context, page } = await newPage(chromium.browser);
  t.after(() => context.close());
  const request = await authorizationRequest(config, rp.callbackUrl);
  const since = rp.visits.length;
  await page.goto(request.url.href);
  const button = page.locator('[data-connection="partner"]');
  await waitVisible(page, button);
  assert.equal(new URL(page.url()).origin, broker.issuer, 'the button is on the broker\'s login page');
  assert.match(await button.innerText(), /^\s*Continue with Partner Co\s*$/);
  await button.click();
  await waitVisible(page, page.locator('button[data-action="cancel"]'));
  assert.equal(new URL(page.url()).origin, idp.url, 'the example IdP\'s page');
  return { context, page, request, since };
}

test('the example plugin logs a user in: the user picked at the example IdP reaches the app as example|<sub>', async (t) => {
  const { context, page, request, since } = await toExampleIdp(t);
  await page.locator('button[data-user="ex-2001"]').click();
  const callback = await rp.nextVisit('/callback', { since, describe: () => whereAmI(page) });
  assert.ok(callback.searchParams.get('code'), `the app got a code: ${callback.search}`);
  assert.equal(callback.searchParams.get('iss'), broker.issuer);

  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
    idTokenExpected: true,
  });
  const { payload: claims } = await verifyIdToken(tokens.id_token, metadata, client.client_id);
  assert.equal(claims.sub, 'example|ex-2001');
  assert.equal(claims.email, 'dana@example.test');
  assert.equal(claims.email_verified, true);
  const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
  assert.equal(userinfo.sub, 'example|ex-2001');
  assert.equal(userinfo.name, 'Dana Partner');
  const cookies = (await context.cookies(broker.issuer)).map((c) => c.name);
  assert.ok(cookies.includes('passerelle_session'), `a broker session cookie: ${cookies.join(', ')}`);
});

test('a cancel at the example IdP reaches the app as access_denied', async (t) => {
  const { page, request, since } = await toExampleIdp(t);
  await page.locator('button[data-action="cancel"]').click();
  const callback = await rp.nextVisit('/callback', { since, describe: () => whereAmI(page) });
  assert.equal(callback.searchParams.get('error'), 'access_denied', `the app's callback: ${callback.search}`);
  assert.equal(callback.searchParams.get('state'), request.state);
  assert.equal(callback.searchParams.get('code'), null);
});
