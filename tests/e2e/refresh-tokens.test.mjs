// Refresh tokens with openid-client against the real broker (seed 004):
// a rotation chain, reuse detection revoking the family, concurrent
// exchanges of one token (with and without leeway), RFC 7009 revocation,
// and the Management API's PATCH validation over real HTTP.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import * as oidc from 'openid-client';

import { startBroker } from './lib/broker.mjs';
import { codeFlowOverHttp } from './lib/code-flow.mjs';
import { verifyAccessToken } from './lib/jwt.mjs';

// Test fixtures only: valid for a broker these tests start on 127.0.0.1.
const kUser = { email: 'carol@example.test', password: 'test-fixture-password-carol' };
const kRedirect = 'http://127.0.0.1:9/callback';  // never contacted: the code is read from the redirect
const kRotating = { rotation_type: 'rotating', expiration_type: 'expiring', token_lifetime: 3600,
                    idle_token_lifetime: 1800, leeway: 0 };

function client(id, refreshToken) {
  return { client_id: id, client_secret: `test-fixture-secret-${id}`, redirect_uris: [kRedirect],
           grant_types: ['authorization_code', 'refresh_token'], refresh_token: refreshToken };
}

const kAdmin = { client_id: 'rt-admin', client_secret: 'test-fixture-secret-rt-admin', app_type: 'non_interactive',
                 management_scopes: ['read:clients', 'update:clients'] };

let broker;
let metadata;

before(async () => {
  broker = await startBroker({
    clients: [client('rt-strict', kRotating), client('rt-leeway', { ...kRotating, leeway: 30 }), kAdmin],
    users: [kUser],
  });
  metadata = await (await fetch(`${broker.issuer}/.well-known/openid-configuration`)).json();
});

after(() => broker?.stop());

function configFor(id) {
  return oidc.discovery(new URL(broker.issuer), id, undefined, oidc.ClientSecretBasic(`test-fixture-secret-${id}`),
                        { execute: [oidc.allowInsecureRequests] });
}

// Logs kUser in for `id` with offline_access; returns the config and tokens.
async function logIn(id) {
  const config = await configFor(id);
  const { tokens } = await codeFlowOverHttp(config, kUser, { redirectUri: kRedirect });
  assert.ok(tokens.refresh_token, 'a refresh token with offline_access');
  return { config, tokens };
}

// The OAuth error of a failed refresh, or null when it succeeded.
async function refreshError(config, token) {
  try {
    await oidc.refreshTokenGrant(config, token);
    return null;
  } catch (error) {
    return error.error ?? error.message;
  }
}

async function rawRefresh(id, token) {
  const response = await fetch(metadata.token_endpoint, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${id}:test-fixture-secret-${id}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token }),
  });
  return { status: response.status, body: await response.json() };
}

test('a rotation chain of 100 exchanges: each gives a new refresh token and a valid access token', async () => {
  const { config, tokens } = await logIn('rt-strict');
  const seen = new Set([tokens.refresh_token]);
  let current = tokens.refresh_token;
  for (let i = 0; i < 100; i += 1) {
    const next = await oidc.refreshTokenGrant(config, current);
    assert.ok(!seen.has(next.refresh_token), `exchange ${i} returned a token seen before`);
    seen.add(next.refresh_token);
    current = next.refresh_token;
    if (i % 25 === 0) await verifyAccessToken(next.access_token, metadata);
  }
  assert.equal(seen.size, 101);
});

test('reusing a rotated token revokes the whole family: the newest token fails too', async () => {
  const { config, tokens } = await logIn('rt-strict');
  const first = tokens.refresh_token;
  const second = (await oidc.refreshTokenGrant(config, first)).refresh_token;
  const third = (await oidc.refreshTokenGrant(config, second)).refresh_token;
  assert.equal(await refreshError(config, first), 'invalid_grant');
  assert.equal(await refreshError(config, third), 'invalid_grant');
});

test('concurrent exchanges of one token never yield two live lineages', async () => {
  const { tokens } = await logIn('rt-strict');
  const results = await Promise.all(Array.from({ length: 8 }, () => rawRefresh('rt-strict', tokens.refresh_token)));
  const successes = results.filter((r) => r.status === 200);
  assert.ok(successes.length <= 1, `${successes.length} exchanges succeeded without leeway`);
  for (const r of results.filter((x) => x.status !== 200)) assert.equal(r.body.error, 'invalid_grant');
  // Without leeway the losers are reuse: the family is revoked, winner included.
  for (const s of successes) assert.equal((await rawRefresh('rt-strict', s.body.refresh_token)).body.error, 'invalid_grant');
});

test('within the leeway, racing exchanges all get the same successor and the family lives on', async () => {
  const { config, tokens } = await logIn('rt-leeway');
  const results = await Promise.all(Array.from({ length: 8 }, () => rawRefresh('rt-leeway', tokens.refresh_token)));
  for (const r of results) assert.equal(r.status, 200, JSON.stringify(r.body));
  const successors = new Set(results.map((r) => r.body.refresh_token));
  assert.equal(successors.size, 1);
  const [successor] = successors;
  assert.ok((await oidc.refreshTokenGrant(config, successor)).refresh_token);
});

test('RFC 7009 revocation of a refresh token ends its family', async () => {
  const { config, tokens } = await logIn('rt-strict');
  const next = (await oidc.refreshTokenGrant(config, tokens.refresh_token)).refresh_token;
  await oidc.tokenRevocation(config, next, { token_type_hint: 'refresh_token' });
  assert.equal(await refreshError(config, next), 'invalid_grant');
});

test('PATCH /api/v2/clients/{id} validates refresh_token and saves nothing on error', async () => {
  const adminConfig = await oidc.discovery(new URL(broker.issuer), kAdmin.client_id, undefined,
                                           oidc.ClientSecretBasic(kAdmin.client_secret),
                                           { execute: [oidc.allowInsecureRequests] });
  const { access_token: token } = await oidc.clientCredentialsGrant(adminConfig, { audience: `${broker.issuer}/api/v2/` });
  const call = async (method, body) => {
    const response = await fetch(`${broker.issuer}/api/v2/clients/rt-strict`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const before = (await call('GET')).body;
  const rows = [
    [{ token_lifetime: 0 }, 'refresh_token.token_lifetime'],
    [{ token_lifetime: 31557601 }, 'refresh_token.token_lifetime'],
    [{ idle_token_lifetime: 3601 }, 'refresh_token.idle_token_lifetime'],
    [{ expiration_type: 'non-expiring' }, 'refresh_token.rotation_type'],
    [{ rotation_type: 'spinning' }, 'refresh_token.rotation_type'],
    [{ leeway: '5' }, 'refresh_token.leeway'],
  ];
  for (const [refreshToken, field] of rows) {
    const r = await call('PATCH', { refresh_token: refreshToken });
    assert.equal(r.status, 400, JSON.stringify(refreshToken));
    assert.equal(r.body.statusCode, 400);
    assert.ok(r.body.message.startsWith(field), `${JSON.stringify(refreshToken)}: ${r.body.message}`);
  }
  assert.deepEqual((await call('GET')).body, before);
  const ok = await call('PATCH', { refresh_token: { token_lifetime: 31557600, idle_token_lifetime: 1 } });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.refresh_token.token_lifetime, 31557600);
});
