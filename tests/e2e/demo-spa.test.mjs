// The demo of fixtures/demo with its single-page app: once the shopper has
// logged into StoreZero, the StoreZero SPA (fixtures/spa) knows who they are
// on load, through the broker session alone; after the shop's logout it does
// not.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { startBroker } from './lib/broker.mjs';
import { launchBrowser, newPage } from './lib/browser.mjs';
import { repoRoot } from './lib/env.mjs';
import { describePage, loginForm, submitLogin } from './lib/login-page.mjs';
import { freePort } from './lib/net.mjs';
import { spaStatus, startSpa } from './lib/spa.mjs';
import { startStoreZero } from './lib/storezero.mjs';

const demoConfig = JSON.parse(readFileSync(path.join(repoRoot, 'fixtures', 'demo', 'passerelle.json'), 'utf8'));
const demoUser = demoConfig.users[0];

let broker;
let shop;
let spa;
let chromium;

before(async () => {
  const shopClient = demoConfig.clients.find((client) => client.client_id === 'storezero');
  const spaClient = demoConfig.clients.find((client) => client.client_id === 'storezero-spa');
  assert.ok(shopClient, 'fixtures/demo/passerelle.json registers the storezero client');
  assert.ok(spaClient, 'fixtures/demo/passerelle.json registers the storezero-spa client');
  assert.equal(spaClient.token_endpoint_auth_method, 'none', 'the SPA is a public client');
  assert.equal(spaClient.client_secret, undefined, 'the SPA has no secret');

  // The demo config with the apps' URLs moved to free ports; startBroker
  // moves the broker itself to a free port and a fresh data_dir.
  const shopUrl = `http://127.0.0.1:${await freePort()}`;
  const spaPort = await freePort();
  const spaUrl = `http://127.0.0.1:${spaPort}`;
  const config = structuredClone(demoConfig);
  const shopEntry = config.clients.find((c) => c.client_id === 'storezero');
  shopEntry.redirect_uris = [`${shopUrl}/callback`];
  shopEntry.allowed_logout_urls = [`${shopUrl}/`];
  const spaEntry = config.clients.find((c) => c.client_id === 'storezero-spa');
  spaEntry.redirect_uris = [`${spaUrl}/callback`];
  spaEntry.allowed_web_origins = [spaUrl];
  spaEntry.allowed_logout_urls = [`${spaUrl}/`];

  broker = await startBroker(config);
  shop = await startStoreZero({
    issuer: broker.issuer,
    clientId: shopClient.client_id,
    clientSecret: shopClient.client_secret,
    port: Number(new URL(shopUrl).port),
  });
  spa = await startSpa({ issuer: broker.issuer, clientId: spaClient.client_id, port: spaPort });
  chromium = await launchBrowser();
});

after(async () => {
  try {
    await chromium?.close();
    await spa?.close();
    await shop?.stop();
  } finally {
    await broker?.stop();
  }
});

test('after logging into StoreZero the SPA shows who is signed in without a click, and not after logout', async (t) => {
  const { context, page } = await newPage(chromium.browser);
  t.after(() => context.close());
  const diagnostics = async () => `${await describePage(page)}\nbroker output:\n${broker.logTail(2000)}`;

  // Before any login the SPA offers "Log in".
  await page.goto(spa.url);
  let status = await spaStatus(page);
  assert.equal(status.state, 'signed-out', `${JSON.stringify(status)}${await diagnostics()}`);
  await page.getByRole('button', { name: 'Log in' }).waitFor({ state: 'visible' });

  // Log into the shop at the broker.
  await page.goto(`${shop.url}/`);
  await page.getByRole('link', { name: 'Log in' }).first().click();
  await loginForm(page).waitFor({ state: 'visible' });
  await submitLogin(page, { email: demoUser.email, password: demoUser.password });
  await page.waitForURL(`${shop.url}/`).catch(async (error) => {
    throw new Error(`${error.message}${await diagnostics()}\nstorezero said:\n${shop.logTail()}`);
  });
  await page.locator('[data-user-email]').first().waitFor();

  // The SPA, opened afterwards, is signed in on load.
  const navigations = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations.push(frame.url());
  });
  await page.goto(spa.url);
  status = await spaStatus(page);
  assert.equal(status.state, 'signed-in', `${JSON.stringify(status)}${await diagnostics()}`);
  assert.equal(status.text, `Signed in as ${demoUser.email}`);
  await page.getByRole('button', { name: 'Log out' }).waitFor({ state: 'visible' });
  assert.deepEqual(navigations, [spa.url], 'no redirect through the broker: the iframe did it');

  // The shop's logout ends the broker session too: the SPA is signed out.
  await page.goto(`${shop.url}/`);
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(`${shop.url}/`).catch(async (error) => {
    throw new Error(`${error.message}${await diagnostics()}`);
  });
  await page.getByRole('link', { name: 'Log in' }).first().waitFor();
  await page.goto(spa.url);
  status = await spaStatus(page);
  assert.equal(status.state, 'signed-out', `${JSON.stringify(status)}${await diagnostics()}`);
  assert.equal(status.reason, 'login_required');
  await page.getByRole('button', { name: 'Log in' }).waitFor({ state: 'visible' });
});
