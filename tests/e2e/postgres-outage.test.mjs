// The database going away under load, as a crash would take it: two broker
// nodes on a PostgreSQL server this test owns (never the run's shared one),
// refresh-token rotations running through a round-robin proxy, and the
// server killed in the middle. While it is away the brokers answer 503 and
// nothing else, and /readyz says so; once it is back they serve again without
// a restart, every refresh token a client last received still works, and
// each broker said once that storage went and once that it came back, never
// showing the database password.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import * as oidc from 'openid-client';

import { startBroker } from './lib/broker.mjs';
import { codeFlowOverHttp } from './lib/code-flow.mjs';
import { makeTempDir } from './lib/env.mjs';
import { freePort, postForm } from './lib/net.mjs';
import { startOwnPostgres } from './lib/postgres.mjs';
import { startRoundRobin } from './lib/round-robin.mjs';

// Test fixtures only: valid for brokers these tests start on 127.0.0.1.
const kUser = { email: 'omar@example.test', password: 'test-fixture-password-omar' };
const kRedirect = 'http://127.0.0.1:9/callback';  // never contacted: the code is read from the redirect
// The password of tests/postgres/server.sh's TEST-ONLY superuser, which is in
// every node's storage URL: it must never reach the log.
const kDatabasePassword = 'test-only-password';
// A long leeway: when the server dies during COMMIT the broker cannot know
// whether the rotation was committed and answers 503, so the client keeps the
// token it sent. If the successor was in fact committed, the retry of that
// token is within the leeway and gets the same successor instead of counting
// as reuse (which would revoke the family the client still uses).
const kClient = {
  client_id: 'outage-app', client_secret: 'test-fixture-secret-outage-app', redirect_uris: [kRedirect],
  grant_types: ['authorization_code', 'refresh_token'],
  refresh_token: { rotation_type: 'rotating', expiration_type: 'expiring', token_lifetime: 3600, leeway: 3600 },
};
const kNodes = 2;
const kWorkers = 6;
const kLoadBeforeKillMs = 800;
const kOutageMs = 1_500;
const kRecoveryTimeoutMs = 30_000;

const temp = makeTempDir('outage');
const nodes = [];
let postgres;
let proxy;

before(async () => {
  postgres = await startOwnPostgres();
  const url = await postgres.createDatabase('outage');
  const proxyPort = await freePort();
  const config = { clients: [kClient], users: [kUser], storage: { backend: 'postgres', url, pool_size: 4 } };
  const dataDir = `${temp.dir}/data`;
  // The whole log, to count its storage_state lines and look for the password.
  for (let i = 0; i < kNodes; i += 1) {
    nodes.push(await startBroker(config, { issuer: `http://127.0.0.1:${proxyPort}`, dataDir, logLimit: 64 << 20 }));
  }
  proxy = await startRoundRobin(nodes.map((node) => node.url), { port: proxyPort });
});

after(async () => {
  await proxy?.close();
  const stopped = await Promise.allSettled(nodes.map((node) => node.stop()));
  await postgres?.stop();
  temp.remove();
  const failed = stopped.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
});

const basic = `Basic ${Buffer.from(`${kClient.client_id}:${kClient.client_secret}`).toString('base64')}`;

async function exchange(token) {
  return postForm(`${proxy.url}/oauth/token`, basic, { grant_type: 'refresh_token', refresh_token: token });
}

async function readyz(node) {
  const response = await fetch(`${node.url}/readyz`);
  return { status: response.status, text: await response.text() };
}

async function waitFor(what, condition, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function storageStateLines(node) {
  return node.logTail(Infinity).split('\n').filter((line) => line.includes('"storage_state"'));
}

test('a database crash under a refresh load: 503 while it is away, then every held token works', async () => {
  const config = await oidc.discovery(new URL(proxy.url), kClient.client_id, undefined,
                                      oidc.ClientSecretBasic(kClient.client_secret),
                                      { execute: [oidc.allowInsecureRequests] });
  // Each worker owns one family and keeps the newest token it received.
  const held = [];
  for (let i = 0; i < kWorkers; i += 1) {
    held.push((await codeFlowOverHttp(config, kUser, { redirectUri: kRedirect })).tokens.refresh_token);
  }

  const tally = { ok: 0, unavailable: 0, other: [] };
  const okAfterRestart = held.map(() => 0);
  let restarted = false;
  let running = true;
  const workers = held.map(async (_, i) => {
    while (running) {
      let reply;
      try {
        reply = await exchange(held[i]);
      } catch (error) {
        tally.other.push(`no answer: ${error.cause?.code ?? error.message}`);
        await sleep(50);
        continue;
      }
      if (reply.status === 200) {
        held[i] = reply.body.refresh_token;
        tally.ok += 1;
        if (restarted) okAfterRestart[i] += 1;
      } else if (reply.status === 503) {
        tally.unavailable += 1;  // keep the token: the retry decides
        await sleep(20);
      } else {
        tally.other.push(`${reply.status} ${JSON.stringify(reply.body)}`);
        await sleep(50);
      }
    }
  });

  try {
    await sleep(kLoadBeforeKillMs);
    const okBeforeKill = tally.ok;
    assert.ok(okBeforeKill > kWorkers, `the load ran before the crash (${okBeforeKill} exchanges)`);
    await postgres.kill();
    await waitFor('a 503 after the crash', () => tally.unavailable > 0, 15_000);
    for (const node of nodes) {
      const ready = await readyz(node);
      assert.equal(ready.status, 503, `/readyz on ${node.url} while the database is away: ${ready.text}`);
    }
    await sleep(kOutageMs);
    const unavailableBeforeRestart = tally.unavailable;

    restarted = true;
    await postgres.start();
    await waitFor('every worker to rotate again after the restart', () => okAfterRestart.every((n) => n >= 2),
                  kRecoveryTimeoutMs);
    console.log(`${okBeforeKill} exchanges before the crash, ${unavailableBeforeRestart} answers 503 while the `
                + `database was away, ${tally.ok} exchanges in all`);
  } finally {
    running = false;
    await Promise.all(workers);
  }
  assert.deepEqual(tally.other, [], 'no answer but 200 and 503');
  assert.ok(tally.unavailable > 0);

  for (const node of nodes) {
    const ready = await readyz(node);
    assert.equal(ready.status, 200, `/readyz on ${node.url} with the database back: ${ready.text}`);
  }
  for (const [i, token] of held.entries()) {
    const next = await exchange(token);
    assert.equal(next.status, 200, `family ${i}, the token last received: ${JSON.stringify(next.body)}`);
    const then = await exchange(next.body.refresh_token);
    assert.equal(then.status, 200, `family ${i} goes on: ${JSON.stringify(then.body)}`);
  }

  for (const [i, node] of nodes.entries()) {
    const lines = storageStateLines(node);
    const gone = lines.filter((line) => /"state":"unreachable/.test(line));
    const back = lines.filter((line) => /"state":"reachable again/.test(line));
    assert.equal(gone.length, 1, `node ${i}: one line when storage went away:\n${lines.join('\n')}`);
    assert.equal(back.length, 1, `node ${i}: one line when it came back:\n${lines.join('\n')}`);
    assert.equal(lines.length, 2, `node ${i}: no other storage_state line:\n${lines.join('\n')}`);
    assert.ok(!node.logTail(Infinity).includes(kDatabasePassword), `node ${i}: the database password is in the log`);
  }
});
