// The audit trail from the outside: a wrong password and a successful login
// (over plain HTTP, no browser), then the events read back through
// /api/v2/logs with a Management API token holding read:logs — filtered
// with q, paged with page/per_page and with from/take checkpoints — and
// refused without that scope.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as oidc from 'openid-client';

import { logInOverHttp } from './lib/http-login.mjs';
import { authorizationRequest, discoverClient, kUser, machineClient, useTestBed } from './lib/test-bed.mjs';

const bed = useTestBed({
  extraClients: () => ({
    auditor: {
      ...machineClient(),
      client_id: 'e2e-auditor',
      client_secret: 'test-fixture-secret-e2e-auditor',
      management_scopes: ['read:logs'],
    },
    userReader: {
      ...machineClient(),
      client_id: 'e2e-user-reader',
      client_secret: 'test-fixture-secret-e2e-user-reader',
      management_scopes: ['read:users'],
    },
  }),
});

async function managementToken(client) {
  const config = await discoverClient(bed.broker.issuer, client);
  const tokens = await oidc.clientCredentialsGrant(config, { audience: `${bed.broker.issuer}/api/v2/` });
  return tokens.access_token;
}

async function getLogs(token, query) {
  const response = await fetch(`${bed.broker.issuer}/api/v2/logs${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, link: response.headers.get('link') };
}

// A full login of kUser for the web client, with `password`; the code is
// redeemed through openid-client. Returns the token response, or throws.
async function logIn(password) {
  const config = await discoverClient(bed.broker.issuer, bed.clients.web);
  const request = await authorizationRequest(config, bed.rp.callbackUrl);
  const callback = await logInOverHttp(request.url, { email: kUser.email, password });
  return oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
  });
}

test('a wrong password and a login are read back through /api/v2/logs with q, pages and checkpoints', async () => {
  await assert.rejects(logIn('not-the-password'), /login failed with HTTP 401/);
  const tokens = await logIn(kUser.password);
  const userId = tokens.claims().sub;
  const token = await managementToken(bed.clients.auditor);

  const failed = await getLogs(token, `?q=${encodeURIComponent(`type:fp AND user_id:"${userId}"`)}`);
  assert.equal(failed.status, 200, JSON.stringify(failed.body));
  assert.equal(failed.body.length, 1);
  assert.equal(failed.body[0].user_name, kUser.email);
  assert.equal(failed.body[0].client_id, bed.clients.web.client_id);
  assert.equal(failed.body[0].client_name, bed.clients.web.name);
  assert.equal(failed.body[0].ip, '127.0.0.1');

  const login = await getLogs(token, `?q=${encodeURIComponent(`type:s AND client_id:${bed.clients.web.client_id}`)}`);
  assert.equal(login.body.length, 1);
  assert.equal(login.body[0].user_id, userId);
  assert.equal(login.body[0].connection, 'Username-Password-Authentication');
  assert.match(login.body[0].date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.ok(login.body[0].user_agent, 'the browser (here: Node) is named');

  const one = await getLogs(token, `/${login.body[0].log_id}`);
  assert.deepEqual(one.body, login.body[0]);

  const page = await getLogs(token, '?per_page=1&include_totals=true');
  assert.equal(page.body.total, 2);
  assert.equal(page.body.logs[0].type, 's', 'newest first');

  const first = await getLogs(token, '?take=1');
  assert.equal(first.body[0].type, 'fp', 'checkpoints start from the oldest');
  const next = first.link.match(/^<([^>]+)>; rel="next"$/);
  assert.ok(next, first.link);
  const second = await getLogs(token, new URL(next[1]).search);
  assert.equal(second.body[0].log_id, login.body[0].log_id);

  const mine = await getLogs(token, '');
  const text = JSON.stringify(mine.body);
  for (const secret of [kUser.password, 'not-the-password', tokens.access_token, tokens.refresh_token ?? 'none']) {
    assert.ok(!text.includes(secret), 'no event holds a password or token');
  }
});

test('/api/v2/logs needs read:logs, and a query outside the supported subset is a 400', async () => {
  const noToken = await getLogs('', '');
  assert.equal(noToken.status, 401);
  const wrongScope = await getLogs(await managementToken(bed.clients.userReader), '');
  assert.equal(wrongScope.status, 403);
  assert.equal(wrongScope.body.errorCode, 'insufficient_scope');

  const token = await managementToken(bed.clients.auditor);
  const bad = await getLogs(token, `?q=${encodeURIComponent('type:s OR type:f')}`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.errorCode, 'invalid_query_string');
});
