// Soak: a mixed load against one broker for a while (10 minutes by default),
// sampling the broker's resident memory, open file descriptors and the error
// rate every interval. Memory and descriptors must stay flat and no request
// may fail.
//
//   PASSERELLE_BIN=<build>/broker/passerelle node bench/soak.mjs [--minutes 10] [--workers 8]
//
// Each worker loops: a password login through the login page, the code
// exchange, three refresh-token rotations, two silent authorizations
// (prompt=none, response_mode=web_message) on the live session, and a
// Management API read with a client_credentials token. Exits non-zero on any
// error, or when memory or descriptors keep growing (last sample more than
// 25% / 16 descriptors above the one after warm-up).
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

import { startBroker } from '../tests/e2e/lib/broker.mjs';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    workers: { type: 'string', default: '8' },
    interval: { type: 'string', default: '30' },
  },
});
const durationMs = Number(args.minutes) * 60_000;
const workerCount = Number(args.workers);
const intervalMs = Math.min(Number(args.interval) * 1000, Math.max(durationMs / 4, 1000));

// Soak fixtures only: a broker started on 127.0.0.1 for this run.
const kRedirect = 'https://app.soak.test/callback';
const kUser = { email: 'soak@example.test', password: 'soak-fixture-password' };
const kWeb = {
  client_id: 'soak-web', client_secret: 'soak-fixture-secret-web', redirect_uris: [kRedirect],
  allowed_web_origins: ['https://app.soak.test'],
  refresh_token: { rotation_type: 'rotating', expiration_type: 'expiring', leeway: 0 },
};
const kAdmin = {
  client_id: 'soak-admin', client_secret: 'soak-fixture-secret-admin', app_type: 'non_interactive',
  management_scopes: ['read:users', 'read:clients'],
};
const config = {
  clients: [kWeb, kAdmin],
  users: [kUser],
  rate_limits: { login_per_minute: 0, token_per_minute: 0 },
  log: { level: 'warning' },
};

const basic = (client) => `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`;
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');

class Jar {
  cookies = new Map();
  header() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
  take(response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
}

const stats = { requests: 0, errors: 0, lastError: '' };

// One request; anything but an expected status is an error (and throws, so
// the worker starts its loop over).
async function call(url, init, expected) {
  stats.requests += 1;
  let response;
  try {
    response = await fetch(url, { redirect: 'manual', ...init });
  } catch (error) {
    stats.errors += 1;
    stats.lastError = `${init?.method ?? 'GET'} ${new URL(url).pathname}: ${error.cause?.code ?? error.message}`;
    throw error;
  }
  if (!expected.includes(response.status)) {
    stats.errors += 1;
    stats.lastError = `${init?.method ?? 'GET'} ${new URL(url).pathname}: HTTP ${response.status}`;
    await response.arrayBuffer();
    throw new Error(stats.lastError);
  }
  return response;
}

function authorizeUrl(issuer, extra = {}) {
  const verifier = b64url(randomBytes(32));
  const url = new URL(`${issuer}/authorize`);
  const params = {
    client_id: kWeb.client_id, redirect_uri: kRedirect, response_type: 'code',
    scope: 'openid email offline_access', state: b64url(randomBytes(8)), nonce: b64url(randomBytes(8)),
    code_challenge: b64url(createHash('sha256').update(verifier).digest()), code_challenge_method: 'S256',
    ...extra,
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return { url, verifier };
}

async function token(issuer, client, form) {
  const response = await call(`${issuer}/oauth/token`, {
    method: 'POST',
    headers: { authorization: basic(client), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  }, [200]);
  return response.json();
}

async function round(issuer) {
  const jar = new Jar();
  const { url, verifier } = authorizeUrl(issuer);
  const start = await call(url, {}, [302]);
  jar.take(start);
  const loginUrl = new URL(start.headers.get('location'), issuer);
  const page = await call(loginUrl, { headers: { cookie: jar.header() } }, [200]);
  const html = await page.text();
  const hidden = (name) => html.match(new RegExp(`name="${name}" value="([^"]*)"`))[1];
  const posted = await call(`${issuer}/login`, {
    method: 'POST',
    headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ tx: hidden('tx'), csrf_token: hidden('csrf_token'), ...{ username: kUser.email, password: kUser.password } }),
  }, [302]);
  jar.take(posted);
  const code = new URL(posted.headers.get('location')).searchParams.get('code');
  let tokens = await token(issuer, kWeb, {
    grant_type: 'authorization_code', code, redirect_uri: kRedirect, code_verifier: verifier,
  });
  for (let i = 0; i < 3; i += 1) {
    tokens = await token(issuer, kWeb, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
  }
  for (let i = 0; i < 2; i += 1) {
    const silent = authorizeUrl(issuer, { prompt: 'none', response_mode: 'web_message' });
    const answer = await call(silent.url, { headers: { cookie: jar.header() } }, [200]);
    const body = await answer.text();
    if (!body.includes('"code"')) {
      stats.errors += 1;
      stats.lastError = 'silent authorization without a code';
    }
  }
  const admin = await token(issuer, kAdmin, { grant_type: 'client_credentials', audience: `${issuer}/api/v2/` });
  const users = await call(`${issuer}/api/v2/users?per_page=10`, { headers: { authorization: `Bearer ${admin.access_token}` } }, [200]);
  await users.arrayBuffer();
}

function sample(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(status.match(/VmRSS:\s+(\d+)/)[1]);
  const threads = Number(status.match(/Threads:\s+(\d+)/)[1]);
  return { rssMb: rssKb / 1024, fds: readdirSync(`/proc/${pid}/fd`).length, threads };
}

const broker = await startBroker(config);
const samples = [];
const started = Date.now();
let running = true;
const workers = Array.from({ length: workerCount }, async () => {
  while (running) {
    try {
      await round(broker.issuer);
    } catch {
      // counted in stats; the next round starts afresh
    }
  }
});

console.log(`soak: ${workerCount} workers for ${args.minutes} min against ${broker.issuer} (pid ${broker.pid})`);
console.log('   t(s)  requests  req/s   errors  rss(MB)  fds  threads');
let lastRequests = 0;
let lastTime = started;
while (Date.now() - started < durationMs) {
  await sleep(Math.min(intervalMs, durationMs - (Date.now() - started)));
  const now = Date.now();
  const s = { t: (now - started) / 1000, requests: stats.requests, errors: stats.errors, ...sample(broker.pid) };
  s.rate = (stats.requests - lastRequests) / ((now - lastTime) / 1000);
  lastRequests = stats.requests;
  lastTime = now;
  samples.push(s);
  console.log(`${s.t.toFixed(0).padStart(7)} ${String(s.requests).padStart(9)} ${s.rate.toFixed(0).padStart(6)} ` +
              `${String(s.errors).padStart(8)} ${s.rssMb.toFixed(1).padStart(8)} ${String(s.fds).padStart(4)} ` +
              `${String(s.threads).padStart(8)}`);
}
running = false;
await Promise.all(workers);
await broker.stop();

// Flat: after warm-up (the first sample), the last sample is within bounds.
const warm = samples[0];
const last = samples.at(-1);
const problems = [];
if (stats.errors > 0) problems.push(`${stats.errors} errors (last: ${stats.lastError})`);
if (last.rssMb > warm.rssMb * 1.25 && last.rssMb - warm.rssMb > 8) problems.push(`RSS grew ${warm.rssMb.toFixed(1)} -> ${last.rssMb.toFixed(1)} MB`);
if (last.fds > warm.fds + 16) problems.push(`descriptors grew ${warm.fds} -> ${last.fds}`);
const errorRate = stats.requests ? (100 * stats.errors) / stats.requests : 0;
console.log(`soak: ${stats.requests} requests, ${stats.errors} errors (${errorRate.toFixed(3)}%), ` +
            `RSS ${warm.rssMb.toFixed(1)} -> ${last.rssMb.toFixed(1)} MB (max ${Math.max(...samples.map((x) => x.rssMb)).toFixed(1)}), ` +
            `fds ${warm.fds} -> ${last.fds}`);
if (problems.length) {
  console.error(`soak: FAILED: ${problems.join('; ')}`);
  process.exit(1);
}
console.log('soak: passed');
