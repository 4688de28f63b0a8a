// Nothing lost when the broker goes away under a load of refresh exchanges.
//
// SIGKILL (a crash): after a restart on the same LMDB store every lineage the
// load recorded is intact. The client has a long leeway, so a token whose
// exchange was cut off must still give a working successor whether or not
// that exchange was committed: a family left half-rotated (old token used,
// successor missing) would fail here.
//
// SIGTERM (a service manager stopping it): the broker stops accepting, answers
// what it has taken, finishes its commits and closes the store, then exits 0.
// The client has no leeway at all, so an exchange committed without its answer
// reaching the client would make the held token a reuse (and revoke the
// family): after the restart every held token must still work.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import * as oidc from 'openid-client';

import { startBroker } from './lib/broker.mjs';
import { makeTempDir } from './lib/env.mjs';
import { codeFlowOverHttp } from './lib/code-flow.mjs';

// Test fixtures only: valid for a broker these tests start on 127.0.0.1.
const kUser = { email: 'dave@example.test', password: 'test-fixture-password-dave' };
const kRedirect = 'http://127.0.0.1:9/callback';
const kRotation = { rotation_type: 'rotating', expiration_type: 'expiring', token_lifetime: 86400 };
const kTolerantClient = {
  client_id: 'crash-app', client_secret: 'test-fixture-secret-crash-app', redirect_uris: [kRedirect],
  refresh_token: { ...kRotation, leeway: 3600 },
};
const kStrictClient = {
  client_id: 'drain-app', client_secret: 'test-fixture-secret-drain-app', redirect_uris: [kRedirect],
  refresh_token: { ...kRotation, leeway: 0 },
};
const kConfig = { clients: [kTolerantClient, kStrictClient], users: [kUser] };
const kWorkers = 8;
const kLoadMs = 1500;

const temp = makeTempDir('crash');
after(() => temp.remove());

async function exchange(tokenEndpoint, client, token) {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token }),
  });
  return { status: response.status, body: await response.json() };
}

async function firstRefreshToken(issuer, client) {
  const config = await oidc.discovery(new URL(issuer), client.client_id, undefined,
                                      oidc.ClientSecretBasic(client.client_secret),
                                      { execute: [oidc.allowInsecureRequests] });
  const { tokens } = await codeFlowOverHttp(config, kUser, { redirectUri: kRedirect });
  return tokens.refresh_token;
}

// Runs kWorkers refresh lineages of `client` against a fresh broker, ends the
// broker with `end(broker)` in the middle of the load, restarts it on the
// same store, and checks every lineage continues from the token it holds.
async function loadThenRestart(client, dataDir, end) {
  const first = await startBroker(kConfig, { dataDir });
  const tokenEndpoint = `${first.issuer}/oauth/token`;
  // Each worker owns one family and records the newest token it holds.
  const held = [];
  for (let i = 0; i < kWorkers; i += 1) held.push(await firstRefreshToken(first.issuer, client));

  let running = true;
  let exchanges = 0;
  const workers = held.map(async (_, i) => {
    while (running) {
      let reply;
      try {
        reply = await exchange(tokenEndpoint, client, held[i]);
      } catch {
        return;  // the broker went away under this request: held[i] is the token in flight
      }
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      held[i] = reply.body.refresh_token;
      exchanges += 1;
    }
  });
  await sleep(kLoadMs);
  await end(first);
  running = false;
  await Promise.all(workers);
  assert.ok(exchanges > kWorkers, `the load ran (${exchanges} exchanges)`);

  const second = await startBroker(kConfig, { port: first.port, dataDir });
  try {
    for (let i = 0; i < kWorkers; i += 1) {
      // Committed or not before the end, the held token must give a successor...
      const next = await exchange(tokenEndpoint, client, held[i]);
      assert.equal(next.status, 200, `family ${i}: ${JSON.stringify(next.body)}`);
      // ...and that successor must be live: the family continues.
      const then = await exchange(tokenEndpoint, client, next.body.refresh_token);
      assert.equal(then.status, 200, `family ${i} after restart: ${JSON.stringify(then.body)}`);
    }
  } finally {
    await second.stop();
  }
  return { exchanges, first };
}

test('SIGKILL during a refresh load leaves every recorded lineage valid after restart', async () => {
  const { exchanges } = await loadThenRestart(kTolerantClient, path.join(temp.dir, 'killed'), (broker) => broker.kill());
  console.log(`${exchanges} exchanges before SIGKILL`);
});

test('SIGTERM during a refresh load drains: every answer sent stays valid with no leeway', async () => {
  const { exchanges, first } = await loadThenRestart(kStrictClient, path.join(temp.dir, 'drained'), (broker) => broker.stop());
  const exit = await first.exited;
  assert.deepEqual(exit, { code: 0, signal: null }, `a clean exit after SIGTERM; output:\n${first.logTail()}`);
  assert.match(first.logTail(), /passerelle: stopped/);
  console.log(`${exchanges} exchanges before SIGTERM`);
});
