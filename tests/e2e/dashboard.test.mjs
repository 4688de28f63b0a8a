// The dashboard in Chromium: an administrator logs in through the broker,
// changes an application's refresh-token expiration with the keyboard,
// saves, and the Management API reads the change back; an invalid value
// shows the API's message and saves nothing. A user who is not an
// administrator is turned away.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startBroker } from './lib/broker.mjs';
import { launchBrowser, newPage } from './lib/browser.mjs';
import { describePage, submitLogin } from './lib/login-page.mjs';

// Test fixtures only: valid for a broker these tests start on 127.0.0.1.
const kAdmin = { email: 'admin@example.test', password: 'test-fixture-password-admin' };
const kPlainUser = { email: 'bob@example.test', password: 'test-fixture-password-bob' };
const kApiClient = { client_id: 'e2e-admin-api', client_secret: 'test-fixture-secret-e2e-admin-api' };

let broker;
let chromium;

before(async () => {
  broker = await startBroker({
    clients: [
      { client_id: 'shop', client_secret: 'test-fixture-secret-shop', name: 'Shop',
        redirect_uris: ['http://127.0.0.1:9/cb'] },
      { ...kApiClient, app_type: 'non_interactive', management_scopes: ['read:clients'] },
    ],
    users: [{ ...kAdmin, roles: ['admin'] }, kPlainUser],
  });
  chromium = await launchBrowser();
});

after(async () => {
  try {
    await chromium?.close();
  } finally {
    await broker?.stop();
  }
});

async function readClient(id) {
  const tokenResponse = await fetch(`${broker.issuer}/oauth/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${kApiClient.client_id}:${kApiClient.client_secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', audience: `${broker.issuer}/api/v2/` }),
  });
  assert.equal(tokenResponse.status, 200);
  const { access_token: token } = await tokenResponse.json();
  const response = await fetch(`${broker.issuer}/api/v2/clients/${id}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200);
  return response.json();
}

async function logInToDashboard(t, user) {
  const { context, page } = await newPage(chromium.browser);
  t.after(() => context.close());
  await page.goto(`${broker.issuer}/dashboard`);
  await submitLogin(page, user);
  return page;
}

test('an administrator changes the refresh-token expiration of an application, and the API reads it back', async (t) => {
  const page = await logInToDashboard(t, kAdmin);
  await page.getByRole('link', { name: 'Shop' }).waitFor();
  assert.match(page.url(), /\/dashboard\/applications$/, await describePage(page));
  await page.getByRole('link', { name: 'Shop' }).click();

  const form = page.locator('form#refresh-token-settings');
  await form.waitFor();
  const absolute = page.getByRole('switch', { name: 'Set Absolute Lifetime' });
  assert.equal(await absolute.isChecked(), false);
  assert.equal(await page.getByLabel('Absolute Lifetime (seconds)').isDisabled(), true);

  // Keyboard only: focus the switch, toggle it with Space, type the value.
  await absolute.focus();
  await page.keyboard.press('Space');
  assert.equal(await absolute.isChecked(), true);
  const lifetime = page.getByLabel('Absolute Lifetime (seconds)');
  assert.equal(await lifetime.isDisabled(), false);
  await lifetime.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('86400');
  await page.getByRole('button', { name: 'Save Changes' }).press('Enter');

  const message = page.locator('#save-message');
  await message.and(page.locator('[data-state]')).waitFor();
  assert.equal(await message.getAttribute('data-state'), 'saved', await describePage(page));

  const stored = await readClient('shop');
  assert.equal(stored.refresh_token.expiration_type, 'expiring');
  assert.equal(stored.refresh_token.token_lifetime, 86400);
  assert.equal(stored.refresh_token.infinite_token_lifetime, false);
  assert.equal(stored.refresh_token.infinite_idle_token_lifetime, true);
  assert.equal(stored.refresh_token.rotation_type, 'non-rotating');

  // Reloaded, the page shows what was saved.
  await page.reload();
  assert.equal(await page.getByRole('switch', { name: 'Set Absolute Lifetime' }).isChecked(), true);
  assert.equal(await page.getByLabel('Absolute Lifetime (seconds)').inputValue(), '86400');
});

test('an invalid value shows the API message and saves nothing', async (t) => {
  const before = await readClient('shop');
  const page = await logInToDashboard(t, kAdmin);
  await page.goto(`${broker.issuer}/dashboard/applications/shop`);
  await page.getByRole('switch', { name: 'Set Absolute Lifetime' }).check();
  await page.getByLabel('Absolute Lifetime (seconds)').fill('31557601');
  await page.getByRole('button', { name: 'Save Changes' }).click();
  const message = page.locator('#save-message[data-state="error"]');
  await message.waitFor();
  assert.match(await message.innerText(), /refresh_token\.token_lifetime: must be at most 31557600/);

  // Rotation without any expiration is refused too (R6).
  await page.getByLabel('Absolute Lifetime (seconds)').fill('3600');
  await page.getByRole('switch', { name: 'Set Absolute Lifetime' }).uncheck();
  await page.getByRole('switch', { name: 'Set Idle Refresh Token Lifetime' }).uncheck();
  await page.getByRole('switch', { name: 'Allow Refresh Token Rotation' }).check();
  await page.getByRole('button', { name: 'Save Changes' }).click();
  await page.locator('#save-message', { hasText: 'rotation_type' }).waitFor();
  assert.match(await message.innerText(), /"rotating" requires expiration_type "expiring"/);

  assert.deepEqual(await readClient('shop'), before);
});

test('a user without the admin role is turned away', async (t) => {
  const page = await logInToDashboard(t, kPlainUser);
  const error = page.locator('[data-error]');
  await error.waitFor();
  assert.equal(await error.getAttribute('data-error'), 'access_denied');
});
