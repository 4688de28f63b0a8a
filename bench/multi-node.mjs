// Multi-node load: three brokers on one PostgreSQL database (a throw-away
// server this script starts with tests/postgres/server.sh and deletes at the
// end), loaded with refresh-token rotations and client_credentials grants
// for a while. Prints the rate, p50/p99 latency per kind of request and how
// many requests each node served; exits non-zero on any error.
//
//   PASSERELLE_BIN=<build>/broker/passerelle node bench/multi-node.mjs [SECONDS] \
//       [--refresh-workers 8] [--machine-workers 2]
//   node bench/multi-node.mjs --smoke          (about 3 s, to check it runs)
//
// The load generator spreads the requests itself, each to the next node in
// turn (what a round-robin load balancer does), so no proxy in Node sits in
// the measured path; the nodes share one issuer, the address such a balancer
// would have. Each refresh worker holds one family and rotates it in a loop
// (one request at a time, so never a reuse); each machine worker asks for
// client_credentials tokens in a loop.
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { startBroker } from '../tests/e2e/lib/broker.mjs';
import { makeTempDir } from '../tests/e2e/lib/env.mjs';
import { logInOverHttp } from '../tests/e2e/lib/http-login.mjs';
import { freePort } from '../tests/e2e/lib/net.mjs';
import { startOwnPostgres } from '../tests/e2e/lib/postgres.mjs';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seconds: { type: 'string' },
    smoke: { type: 'boolean', default: false },
    'refresh-workers': { type: 'string', default: '8' },
    'machine-workers': { type: 'string', default: '2' },
  },
});
const seconds = Number(args.smoke ? 3 : (args.seconds ?? positionals[0] ?? 30));
const refreshWorkers = Number(args['refresh-workers']);
const machineWorkers = Number(args['machine-workers']);
if (!(seconds > 0) || !(refreshWorkers >= 0) || !(machineWorkers >= 0) || refreshWorkers + machineWorkers === 0) {
  console.error('usage: node bench/multi-node.mjs [SECONDS | --smoke] [--refresh-workers N] [--machine-workers N]');
  process.exit(2);
}
const kNodes = 3;

// Benchmark fixtures only: brokers started on 127.0.0.1 for this run.
const kRedirect = 'http://127.0.0.1:9/callback';  // never contacted: the code is read from the redirect
const kUser = { email: 'bench@example.test', password: 'bench-fixture-password' };
const kWeb = {
  client_id: 'bench-web', client_secret: 'bench-fixture-secret-web', redirect_uris: [kRedirect],
  grant_types: ['authorization_code', 'refresh_token'],
  refresh_token: { rotation_type: 'rotating', expiration_type: 'expiring', token_lifetime: 86400, leeway: 0 },
};
const kMachine = {
  client_id: 'bench-machine', client_secret: 'bench-fixture-secret-machine', app_type: 'non_interactive',
  token_endpoint_auth_method: 'client_secret_basic', grant_types: ['client_credentials'],
};

const basic = (client) => `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`;
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');

// Latencies (ms) per kind of request, per-node counts and errors.
const stats = { latencies: { refresh: [], client_credentials: [] }, perNode: Array(kNodes).fill(0), errors: 0, lastError: '' };
let nextNode = 0;

async function token(nodes, kind, client, form) {
  const index = nextNode;
  nextNode = (nextNode + 1) % nodes.length;
  const started = performance.now();
  let status;
  let body;
  try {
    const response = await fetch(`${nodes[index].url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: basic(client), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });
    status = response.status;
    body = await response.json().catch(() => null);
  } catch (error) {
    status = error.cause?.code ?? error.message;
  }
  stats.perNode[index] += 1;
  if (status !== 200) {
    stats.errors += 1;
    stats.lastError = `${kind} on node ${index}: ${status} ${body ? JSON.stringify(body) : ''}`;
    return null;
  }
  stats.latencies[kind].push(performance.now() - started);
  return body;
}

// A password login on the login page and the code exchange (not measured):
// the first refresh token of one worker's family.
async function firstRefreshToken(issuer, node) {
  const verifier = b64url(randomBytes(32));
  const url = new URL(`${issuer}/authorize`);
  for (const [k, v] of Object.entries({
    client_id: kWeb.client_id, redirect_uri: kRedirect, response_type: 'code', scope: 'openid offline_access',
    state: b64url(randomBytes(8)), code_challenge: b64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
  })) url.searchParams.set(k, v);
  const callback = await logInOverHttp(url, kUser, { origin: node.url });
  const response = await fetch(`${node.url}/oauth/token`, {
    method: 'POST',
    headers: { authorization: basic(kWeb), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: callback.searchParams.get('code'),
                                redirect_uri: kRedirect, code_verifier: verifier }),
  });
  const body = await response.json();
  if (!body.refresh_token) throw new Error(`the code exchange gave no refresh token: ${JSON.stringify(body)}`);
  return body.refresh_token;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function run(nodes, issuer) {
  const held = [];
  for (let i = 0; i < refreshWorkers; i += 1) held.push(await firstRefreshToken(issuer, nodes[i % nodes.length]));

  let running = true;
  const deadline = Date.now() + seconds * 1000;
  const started = performance.now();
  const refreshers = held.map(async (first) => {
    let current = first;
    while (running && Date.now() < deadline) {
      const body = await token(nodes, 'refresh', kWeb, { grant_type: 'refresh_token', refresh_token: current });
      if (!body) return;  // the family is unusable after a failed rotation: the error is counted
      current = body.refresh_token;
    }
  });
  const machines = Array.from({ length: machineWorkers }, async () => {
    while (running && Date.now() < deadline) await token(nodes, 'client_credentials', kMachine, { grant_type: 'client_credentials' });
  });
  const interrupted = new Promise((resolve) => process.once('SIGINT', () => { running = false; resolve(); }));
  await Promise.race([Promise.all([...refreshers, ...machines]), interrupted]);
  running = false;
  await Promise.all([...refreshers, ...machines]);
  return (performance.now() - started) / 1000;
}

function report(elapsed) {
  const all = [...stats.latencies.refresh, ...stats.latencies.client_credentials];
  const total = stats.perNode.reduce((a, b) => a + b, 0);
  console.log(`multi-node: ${kNodes} nodes, ${refreshWorkers} refresh + ${machineWorkers} client_credentials workers, `
              + `${elapsed.toFixed(1)} s`);
  console.log(`  requests      ${total} (${(total / elapsed).toFixed(0)} req/s), errors ${stats.errors}`);
  for (const [kind, list] of [['all', all], ...Object.entries(stats.latencies)]) {
    const sorted = [...list].sort((a, b) => a - b);
    if (sorted.length === 0) continue;
    console.log(`  ${kind.padEnd(18)} ${String(sorted.length).padStart(7)} ok  ${(sorted.length / elapsed).toFixed(0).padStart(5)}/s  `
                + `p50 ${percentile(sorted, 50).toFixed(1)} ms  p99 ${percentile(sorted, 99).toFixed(1)} ms`);
  }
  console.log(`  per node      ${stats.perNode.map((n, i) => `node ${i}: ${n}`).join(', ')}`);
  if (stats.errors > 0) console.error(`multi-node: FAILED: ${stats.errors} errors (last: ${stats.lastError})`);
}

const temp = makeTempDir('bench-multi-node');
const postgres = await startOwnPostgres();
const nodes = [];
let failed = true;
try {
  const url = await postgres.createDatabase('bench');
  const issuer = `http://127.0.0.1:${await freePort()}`;
  const config = {
    clients: [kWeb, kMachine],
    users: [kUser],
    storage: { backend: 'postgres', url, pool_size: 8 },
    rate_limits: { login_per_minute: 0, token_per_minute: 0 },
    log: { level: 'warning' },
  };
  // One after the other: the first creates the schema, the seed data and
  // data_dir's secret box key, which the others share.
  const dataDir = path.join(temp.dir, 'data');
  for (let i = 0; i < kNodes; i += 1) nodes.push(await startBroker(config, { issuer, dataDir }));
  report(await run(nodes, issuer));
  failed = stats.errors > 0;
} finally {
  await Promise.allSettled(nodes.map((node) => node.stop()));
  await postgres.stop();
  temp.remove();
}
process.exitCode = failed ? 1 : 0;
