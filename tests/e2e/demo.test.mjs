// The demo of fixtures/demo: the broker with (a copy of) the demo config and
// the StoreZero shop, driven by Chromium as a shopper would.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { startBroker } from './lib/broker.mjs';
import { launchBrowser, newPage } from './lib/browser.mjs';
import { repoRoot } from './lib/env.mjs';
import { loginForm, submitLogin } from './lib/login-page.mjs';
import { freePort } from './lib/net.mjs';
import { startStoreZero } from './lib/storezero.mjs';

const demoConfig = JSON.parse(readFileSync(path.join(repoRoot, 'fixtures', 'demo', 'passerelle.json'), 'utf8'));
const shopClient = demoConfig.clients.find((client) => client.client_id === 'storezero');
const demoUser = demoConfig.users[0];

let broker;
let shop;
let chromium;

before(async () => {
  assert.ok(shopClient, 'fixtures/demo/passerelle.json registers the storezero client');
  // The demo config with the shop's URLs moved to a free port; startBroker
  // moves the broker itself to a free port and a fresh data_dir.
  const shopPort = await freePort();
  const shopUrl = `http://127.0.0.1:${shopPort}`;
  const config = structuredClone(demoConfig);
  const client = config.clients.find((c) => c.client_id === 'storezero');
  client.redirect_uris = [`${shopUrl}/callback`];
  client.allowed_logout_urls = [`${shopUrl}/`];

  broker = await startBroker(config);
  shop = await startStoreZero({
    issuer: broker.issuer,
    clientId: shopClient.client_id,
    clientSecret: shopClient.client_secret,
    port: shopPort,
  });
  chromium = await launchBrowser();
});

after(async () => {
  try {
    await chromium?.close();
    await shop?.stop();
  } finally {
    await broker?.stop();
  }
});

test('a shopper logs in at the broker from "All orders", sees the orders, and logs out', async (t) => {
  const { context, page } = await newPage(chromium.browser);
  t.after(() => context.close());
  const diagnostics = () => `\nthe browser is at ${page.url()}\nstorezero said:\n${shop.logTail()}`;

  await page.goto(`${shop.url}/`);
  await page.getByRole('link', { name: 'Log in' }).first().waitFor();

  // No local session: the shop starts Authorization Code + PKCE at the broker.
  await page.getByRole('link', { name: 'All orders', exact: true }).click();
  await loginForm(page).waitFor({ state: 'visible' });
  assert.equal(new URL(page.url()).origin, broker.issuer, 'the login page is the broker\'s');
  await submitLogin(page, { email: demoUser.email, password: demoUser.password });

  await page.waitForURL(`${shop.url}/account/orders`).catch((error) => {
    throw new Error(`${error.message}${diagnostics()}`);
  });
  await page.getByRole('heading', { name: 'All orders' }).waitFor();
  assert.equal((await page.locator('[data-orders-email]').textContent()).trim(), demoUser.email);
  assert.ok(await page.locator('table tbody tr').count() > 0, 'orders are listed');

  const [localSession] = (await context.cookies(shop.url)).filter((c) => c.name === 'storezero_session');
  assert.ok(localSession, 'the shop keeps its own session cookie');
  assert.equal(localSession.httpOnly, true);
  assert.equal(localSession.sameSite, 'Lax');

  // Logout ends the local session, then the broker's (/v2/logout), and comes home.
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(`${shop.url}/`).catch((error) => {
    throw new Error(`${error.message}${diagnostics()}`);
  });
  await page.getByRole('link', { name: 'Log in' }).first().waitFor();
  assert.equal(await page.locator('[data-user-email]').count(), 0, 'no one is signed in');

  // Both sessions are gone: "All orders" needs the broker login again.
  await page.getByRole('link', { name: 'All orders', exact: true }).click();
  await loginForm(page).waitFor({ state: 'visible' });
  assert.equal(new URL(page.url()).origin, broker.issuer);
});
