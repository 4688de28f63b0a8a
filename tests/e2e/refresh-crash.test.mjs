// Nothing lost when the broker is killed: a load of refresh exchanges runs,
// the broker gets SIGKILL in the middle of it, and after a restart on the
// same LMDB store every lineage the load recorded is intact. The client
// has a long leeway, so a token whose exchange was cut off must still give
// a working successor whether or not that exchange was committed: a family
// left half-rotated (old token used, successor missing) would fail here.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import * as oidc from 'openid-client';

import { startBroker } from './lib/broker.mjs';
import { makeTempDir } from './lib/env.mjs';
import { logInOverHttp } from './lib/http-login.mjs';

// Test fixtures only: valid for a broker these tests start on 127.0.0.1.
const kUser = { email: 'dave@example.test', password: 'test-fixture-password-dave' };
const kRedirect = 'http://127.0.0.1:9/callback';
const kClient = {
  client_id: 'crash-app', client_secret: 'test-fixture-secret-crash-app', redirect_uris: [kRedirect],
  refresh_token: { rotation_type: 'rotating', expiration_type: 'expiring', token_lifetime: 86400, leeway: 3600 },
};
const kConfig = { clients: [kClient], users: [kUser] };
const kWorkers = 8;
const kLoadMs = 1500;

const temp = makeTempDir('crash');
after(() => temp.remove());

async function exchange(tokenEndpoint, token) {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${kClient.client_id}:${kClient.client_secret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token }),
  });
  return { status: response.status, body: await response.json() };
}

async function firstRefreshToken(issuer) {
  const config = await oidc.discovery(new URL(issuer), kClient.client_id, undefined,
                                      oidc.ClientSecretBasic(kClient.client_secret),
                                      { execute: [oidc.allowInsecureRequests] });
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: kRedirect, scope: 'openid offline_access', state: 'crash',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  const callback = await logInOverHttp(url, kUser);
  const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: 'crash' });
  return tokens.refresh_token;
}

test('SIGKILL during a refresh load leaves every recorded lineage valid after restart', async () => {
  const dataDir = path.join(temp.dir, 'data');
  const first = await startBroker(kConfig, { dataDir });
  const tokenEndpoint = `${first.issuer}/oauth/token`;
  // Each worker owns one family and records the newest token it holds.
  const held = [];
  for (let i = 0; i < kWorkers; i += 1) held.push(await firstRefreshToken(first.issuer));

  let running = true;
  let exchanges = 0;
  const workers = held.map(async (_, i) => {
    while (running) {
      let reply;
      try {
        reply = await exchange(tokenEndpoint, held[i]);
      } catch {
        return;  // the broker died under this request: held[i] is the token in flight
      }
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      held[i] = reply.body.refresh_token;
      exchanges += 1;
    }
  });
  await sleep(kLoadMs);
  await first.kill();
  running = false;
  await Promise.all(workers);
  assert.ok(exchanges > kWorkers, `the load ran (${exchanges} exchanges)`);
  console.log(`${exchanges} exchanges before SIGKILL`);

  const second = await startBroker(kConfig, { port: first.port, dataDir });
  try {
    for (let i = 0; i < kWorkers; i += 1) {
      // Committed or not before the kill, the held token must give a successor...
      const next = await exchange(tokenEndpoint, held[i]);
      assert.equal(next.status, 200, `family ${i}: ${JSON.stringify(next.body)}`);
      // ...and that successor must be live: the family continues.
      const after = await exchange(tokenEndpoint, next.body.refresh_token);
      assert.equal(after.status, 200, `family ${i} after restart: ${JSON.stringify(after.body)}`);
    }
  } finally {
    await second.stop();
  }
});
