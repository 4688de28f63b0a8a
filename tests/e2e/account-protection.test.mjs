// Account protection in a real browser: a password change made through the
// Management API ends the user's broker sessions (S4), so the next
// prompt=none answers login_required; ten wrong passwords block the account
// for this IP, even for the right password, until an administrator unblocks
// it through the Management API.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as oidc from 'openid-client';

import { newPage } from './lib/browser.mjs';
import { authorizeSilently, describePage, logInThroughBrowser, loginForm, submitLogin } from './lib/login-page.mjs';
import { authorizationRequest, discoverClient, machineClient, useTestBed } from './lib/test-bed.mjs';

// Test fixtures, valid only for the broker these tests start.
const kErin = { email: 'erin@example.test', password: 'test-fixture-password-erin' };
const kFrank = { email: 'frank@example.test', password: 'test-fixture-password-frank' };

const bed = useTestBed({
  browser: true,
  extraClients: () => ({
    admin: {
      ...machineClient(),
      client_id: 'e2e-admin-api',
      client_secret: 'test-fixture-secret-e2e-admin-api',
      management_scopes: ['read:users', 'update:users'],
    },
  }),
  extraUsers: [kErin, kFrank],
});

async function managementApi() {
  const config = await discoverClient(bed.broker.issuer, bed.clients.admin);
  const { access_token: token } = await oidc.clientCredentialsGrant(config, { audience: `${bed.broker.issuer}/api/v2/` });
  return async (method, path, body) => {
    const response = await fetch(`${bed.broker.issuer}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
}

async function userId(api, email) {
  const found = await api('GET', `/api/v2/users?q=${encodeURIComponent(email)}`);
  assert.equal(found.status, 200);
  assert.equal(found.body.length, 1);
  return found.body[0].user_id;
}

test('a password change through the Management API makes the next prompt=none answer login_required', async (t) => {
  const { context, page } = await newPage(bed.chromium.browser);
  t.after(() => context.close());
  const config = await discoverClient(bed.broker.issuer, bed.clients.web);
  const login = await authorizationRequest(config, bed.rp.callbackUrl);
  await logInThroughBrowser(page, bed.rp, login.url, kErin);

  const silent = await authorizationRequest(config, bed.rp.callbackUrl, { prompt: 'none' });
  const before = await authorizeSilently(page, bed.rp, silent.url);
  assert.ok(before.searchParams.get('code'), 'silent while the session lives');

  const api = await managementApi();
  const changed = await api('PATCH', `/api/v2/users/${await userId(api, kErin.email)}`,
                            { password: 'test-fixture-password-erin-2' });
  assert.equal(changed.status, 200);

  const again = await authorizationRequest(config, bed.rp.callbackUrl, { prompt: 'none' });
  const after = await authorizeSilently(page, bed.rp, again.url);
  assert.equal(after.searchParams.get('error'), 'login_required');
});

test('ten wrong passwords block the account from this IP until an administrator unblocks it', async (t) => {
  const { context, page } = await newPage(bed.chromium.browser);
  t.after(() => context.close());
  const config = await discoverClient(bed.broker.issuer, bed.clients.web);
  const request = await authorizationRequest(config, bed.rp.callbackUrl);
  await page.goto(request.url.href);
  const alert = page.locator('[role="alert"]');
  for (let i = 1; i <= 10; i += 1) {
    await Promise.all([page.waitForEvent('load'), submitLogin(page, { email: kFrank.email, password: `wrong-${i}` })]);
    if (i < 10) assert.match(await alert.innerText(), /Wrong email or password/, await describePage(page));
  }
  assert.match(await alert.innerText(), /blocked here for 15 minute/);

  // The right password is refused while the block lasts.
  await Promise.all([page.waitForEvent('load'), submitLogin(page, kFrank)]);
  assert.match(await page.locator('[role="alert"]').innerText(), /blocked/);
  assert.equal(await loginForm(page).count(), 1);

  const api = await managementApi();
  const frank = await userId(api, kFrank.email);
  const blocks = await api('GET', `/api/v2/user-blocks/${frank}`);
  assert.deepEqual(blocks.body.blocked_for.map((b) => b.identifier), [kFrank.email]);
  assert.equal((await api('DELETE', `/api/v2/user-blocks/${frank}`)).status, 204);

  const since = bed.rp.visits.length;
  await submitLogin(page, kFrank);
  const callback = await bed.rp.nextVisit('/callback', { since, describe: () => describePage(page) });
  assert.ok(callback.searchParams.get('code'), 'logged in once unblocked');
});
