// Operations, seen from outside the process: liveness and readiness
// endpoints, the X-Request-Id header, and the request log on stderr, which
// must show each request without any password, code or token.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import * as oidc from 'openid-client';

import { startBroker } from './lib/broker.mjs';
import { codeFlowOverHttp } from './lib/code-flow.mjs';

// Test fixtures only: valid for a broker these tests start on 127.0.0.1.
const kUser = { email: 'olga@example.test', password: 'test-fixture-password-olga' };
const kClient = { client_id: 'ops-web', client_secret: 'test-fixture-secret-ops-web',
                  redirect_uris: ['http://127.0.0.1:9/callback'] };

let broker;

before(async () => {
  // debug: the most the broker will ever write, so the secrets check covers it all.
  broker = await startBroker({ clients: [kClient], users: [kUser], log: { level: 'debug' } });
});

after(() => broker?.stop());

function requestLines(log) {
  return log.split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line))
    .filter((line) => line.event === 'request');
}

test('GET /healthz answers ok and GET /readyz answers ready', async () => {
  const health = await fetch(`${broker.issuer}/healthz`);
  assert.equal(health.status, 200);
  assert.equal(await health.text(), 'ok');
  const ready = await fetch(`${broker.issuer}/readyz`);
  assert.equal(ready.status, 200);
  assert.equal(await ready.text(), 'ready');
});

test('every response carries an X-Request-Id, and a safe incoming one is kept', async () => {
  const fresh = await fetch(`${broker.issuer}/.well-known/jwks.json`);
  await fresh.arrayBuffer();
  assert.match(fresh.headers.get('x-request-id') ?? '', /^[A-Za-z0-9._-]{1,64}$/);

  const kept = await fetch(`${broker.issuer}/healthz`, { headers: { 'x-request-id': 'lb-trace.42' } });
  await kept.arrayBuffer();
  assert.equal(kept.headers.get('x-request-id'), 'lb-trace.42');

  const page = await fetch(`${broker.issuer}/authorize?client_id=nobody`, { headers: { 'x-request-id': 'ops-err-1' } });
  assert.equal(page.status, 400);
  assert.match(await page.text(), /<code data-request-id>ops-err-1<\/code>/);
});

test('the request log shows a login and code exchange without the password, code or tokens', async () => {
  const config = await oidc.discovery(new URL(broker.issuer), kClient.client_id, undefined,
                                      oidc.ClientSecretBasic(kClient.client_secret),
                                      { execute: [oidc.allowInsecureRequests] });
  const { tokens, callback, verifier, state } = await codeFlowOverHttp(config, kUser, {
    redirectUri: kClient.redirect_uris[0], scope: 'openid email',
  });
  const code = callback.searchParams.get('code');

  const log = broker.logTail(64 * 1024);
  for (const [name, secret] of [['password', kUser.password], ['client secret', kClient.client_secret],
                                ['code', code], ['access token', tokens.access_token],
                                ['id token', tokens.id_token], ['state', state], ['verifier', verifier]]) {
    assert.ok(secret && !log.includes(secret), `the broker's output holds no ${name}`);
  }
  const lines = requestLines(log);
  const token = lines.find((line) => line.route === '/oauth/token');
  assert.ok(token, 'the code exchange was logged');
  assert.equal(token.method, 'POST');
  assert.equal(token.status, 200);
  assert.equal(token.client_id, kClient.client_id);
  assert.equal(token.level, 'info');
  assert.ok(typeof token.latency_ms === 'number' && token.latency_ms >= 0);
  assert.match(token.request_id, /^[A-Za-z0-9._-]{1,64}$/);
  const authorize = lines.find((line) => line.route === '/authorize' && line.client_id === kClient.client_id);
  assert.ok(authorize, 'the authorization request was logged with its client');
  for (const line of lines) assert.ok(!line.route.includes('?'), `no query string in ${line.route}`);
});
