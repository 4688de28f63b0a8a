// Side by side: the broker and the npm oidc-provider (the version pinned in
// bench/package.json, the peer) under the same wrk load, on the same machine,
// in the same run, with the machine's signing ceiling next to them.
//
//   (cd bench && npm ci)                       # the peer, once
//   PASSERELLE_BIN=build-release/broker/passerelle node bench/compare.mjs \
//       [--duration 10] [--connections 16,64] [--algs RS256,ES256] \
//       [--scenarios client_credentials,refresh_token,authorization_code,silent_auth] \
//       [--codes auto|N] [--runs 3] [--preload 1000000] [--json FILE]
//   node bench/compare.mjs --smoke             # about 2 s per run: checks that it works
//
// Needs `wrk` and `openssl` on the PATH. For each algorithm it starts a fresh
// broker (LMDB in a new temp data_dir) and a fresh peer (NODE_ENV=production),
// logs in once on each to get a live session, and runs every scenario at
// every connection count against each, with wrk from 127.0.0.1 (scripts in
// bench/wrk/):
//   client_credentials  a machine client's grant, one JWT access token each;
//   refresh_token       rotation: one family per wrk connection, each answer's
//                       new token sent in that connection's next request;
//   authorization_code  the code exchange, codes from a pool made just before
//                       with prompt=none on the live session, by default
//                       large enough to last the whole run (see codePoolSize);
//   silent_auth         /authorize?prompt=none&response_mode=web_message on
//                       the live session.
// During each run it samples the server's resident memory (VmRSS, and
// RssAnon, the part that is not mapped files) and reads its CPU time (utime +
// stime from /proc/PID/stat, before and after). `openssl speed` gives the CPU
// cost of one RSA-2048 / ECDSA P-256 signature for comparison, and
// `passerelle-bench-tool commit-rate` the time of one durable LMDB commit
// (the ceiling of one commit per request). Each row runs --runs times (the
// two servers in turn) and the table shows the median of each column.
// With --preload N, after an algorithm's rows the broker is stopped, a new
// store (in a new data_dir, so the empty rows' leftovers are not in it) is
// filled with N users, N sessions and N refresh-token families
// (`passerelle-bench-tool preload`, which then rewrites the store without
// the free pages its batches left and drops its files from the page cache,
// as a restart would), a broker started on it, and its rows
// run again, set against the rows on the empty store. Each server's idle
// RSS (VmRSS) is read after start-up and login, and again 2 s after its
// last row. Prints one markdown table; --json writes every run's figures.
// Any answer other than 2xx/3xx,
// any socket error and any 2xx without what the scenario expects is an error;
// a row with errors is flagged. --smoke exits non-zero when a run has errors
// or no successful answer, on either server; the full run only reports.
import { execFileSync, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { startBroker } from '../tests/e2e/lib/broker.mjs';
import { superviseChild } from '../tests/e2e/lib/child.mjs';
import { brokerBin, makeTempDir } from '../tests/e2e/lib/env.mjs';
import { cookieHeader, logInOverHttp } from '../tests/e2e/lib/http-login.mjs';
import { freePort, waitForHttp } from '../tests/e2e/lib/net.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const kScenarios = ['client_credentials', 'refresh_token', 'authorization_code', 'silent_auth'];

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16,64' },
    algs: { type: 'string', default: 'RS256,ES256' },
    scenarios: { type: 'string', default: kScenarios.join(',') },
    codes: { type: 'string', default: 'auto' },
    runs: { type: 'string', default: '3' },
    preload: { type: 'string', default: '0' },
    json: { type: 'string' },
    smoke: { type: 'boolean', default: false },
  },
});
const list = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);
const duration = args.smoke ? 2 : Number(args.duration);
const connectionCounts = args.smoke ? [4] : list(args.connections).map(Number);
const algs = args.smoke ? ['ES256'] : list(args.algs);
const scenarios = list(args.scenarios);
const poolSize = args.smoke ? 300 : args.codes === 'auto' ? 'auto' : Number(args.codes);
const runs = args.smoke ? 1 : Number(args.runs);
const preloadCount = args.smoke ? 1000 : Number(args.preload);
const commitSeconds = args.smoke ? 1 : 3;
const usage = 'usage: node bench/compare.mjs [--duration S] [--connections 16,64] [--algs RS256,ES256] '
            + `[--scenarios ${kScenarios.join(',')}] [--codes auto|N] [--runs 3] [--preload N] [--json FILE] [--smoke]`;
if (!(duration > 0) || !connectionCounts.every((c) => c >= 1) || !(poolSize === 'auto' || poolSize >= 1)
    || !Number.isInteger(runs) || runs < 1 || !Number.isInteger(preloadCount) || preloadCount < 0
    || !algs.every((a) => ['RS256', 'ES256'].includes(a)) || !scenarios.every((s) => kScenarios.includes(s))) {
  console.error(usage);
  process.exit(2);
}
if (!existsSync(brokerBin)) {
  console.error(`compare: no broker at ${brokerBin}. Build an optimised one and point PASSERELLE_BIN at it:\n`
                + '  cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release && cmake --build build-release -j2\n'
                + '  PASSERELLE_BIN=build-release/broker/passerelle node bench/compare.mjs');
  process.exit(2);
}
// The helper for the preload and the commit ceiling: PASSERELLE_BENCH_TOOL,
// or beside the broker in the same build (<build>/bench/tool/).
const toolBin = path.resolve(process.env.PASSERELLE_BENCH_TOOL
                             || path.join(path.dirname(path.dirname(brokerBin)), 'bench', 'tool', 'passerelle-bench-tool'));
const haveTool = existsSync(toolBin);
if (!haveTool && (process.env.PASSERELLE_BENCH_TOOL || (preloadCount > 0 && !args.smoke))) {
  console.error(`compare: no passerelle-bench-tool at ${toolBin}: build it (on by default, `
                + '-DPASSERELLE_BENCH_TOOL=ON) or point PASSERELLE_BENCH_TOOL at it');
  process.exit(2);
}
if (!existsSync(path.join(here, 'node_modules', 'oidc-provider'))) {
  console.error('compare: the peer is not installed: run `npm ci` in bench/ first');
  process.exit(2);
}
for (const tool of ['wrk', 'openssl']) {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
  } catch {
    console.error(`compare: \`${tool}\` is not installed (Debian: apt-get install ${tool})`);
    process.exit(2);
  }
}

// Benchmark fixtures only: servers started on 127.0.0.1 for this run.
const kRedirect = 'http://127.0.0.1:9/callback';  // never contacted: the code is read from the redirect
const kUser = { email: 'bench@example.test', password: 'bench-fixture-password' };
const kWeb = {
  client_id: 'bench-web', client_secret: 'bench-fixture-secret-web-0123456789abcdef', redirect_uris: [kRedirect],
  allowed_web_origins: ['http://127.0.0.1:9'],
  grant_types: ['authorization_code', 'refresh_token'],
  refresh_token: { rotation_type: 'rotating', expiration_type: 'expiring', token_lifetime: 86400, leeway: 0 },
};
const kMachine = {
  client_id: 'bench-machine', client_secret: 'bench-fixture-secret-machine-0123456789', app_type: 'non_interactive',
  token_endpoint_auth_method: 'client_secret_basic', grant_types: ['client_credentials'],
};
const kVerifier = randomBytes(32).toString('base64url');
const kChallenge = createHash('sha256').update(kVerifier).digest('base64url');
const kScope = 'openid email offline_access';

const basic = (client) => `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`).toString('base64')}`;

function remember(jar, response) {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}

// The query of an authorization request for the web client; `extra` adds to it.
function authorizeQuery(extra = {}) {
  return new URLSearchParams({
    client_id: kWeb.client_id, redirect_uri: kRedirect, response_type: 'code', scope: kScope,
    nonce: 'bench-nonce', code_challenge: kChallenge, code_challenge_method: 'S256', ...extra,
  });
}

// --- the two servers -------------------------------------------------------

async function discover(url) {
  const metadata = await (await fetch(`${url}/.well-known/openid-configuration`)).json();
  const local = (endpoint) => { const u = new URL(endpoint); return u.pathname; };
  return { token: local(metadata.token_endpoint), authorize: local(metadata.authorization_endpoint) };
}

function passerelleConfig(alg) {
  return {
    clients: [kWeb, kMachine],
    users: [kUser],
    signing: { alg },
    rate_limits: { login_per_minute: 0, token_per_minute: 0 },
    log: { level: 'warning' },
  };
}

// The broker on `dataDir` (which the caller owns, so that it outlives a
// stop for the preload); `name` labels its rows.
async function startPasserelle(alg, dataDir, name = 'passerelle') {
  const broker = await startBroker(passerelleConfig(alg), { dataDir });
  const paths = await discover(broker.url);
  // The login page once; its cookies carry the session for prompt=none.
  const jar = new Map();
  await logInOverHttp(new URL(`${broker.url}${paths.authorize}?${authorizeQuery({ state: 'login' })}`), kUser, { cookies: jar });
  return { name, url: broker.url, pid: broker.pid, paths, cookie: cookieHeader(jar), config: broker.config,
           stop: broker.stop };
}

async function startPeer(alg) {
  const port = await freePort();
  const temp = makeTempDir('bench-peer');
  const settings = {
    port, alg, user: kUser,
    web: { client_id: kWeb.client_id, client_secret: kWeb.client_secret, redirect_uri: kRedirect },
    machine: { client_id: kMachine.client_id, client_secret: kMachine.client_secret },
  };
  const child = spawn(process.execPath, [path.join(here, 'oidc-provider-peer.mjs'), JSON.stringify(settings)], {
    cwd: here, env: { ...process.env, NODE_ENV: 'production' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { log, describeExit, stop } = superviseChild(child, { name: 'oidc-provider', temp });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/.well-known/openid-configuration`, { alive: describeExit });
  } catch (error) {
    await stop().catch(() => {});
    throw new Error(`could not start oidc-provider: ${error.message}\n${log()}`);
  }
  const paths = await discover(url);
  // Its stand-in login: follow the redirects (the interaction logs in at
  // once) until the one back to the client, keeping the cookies.
  const jar = new Map();
  let next = new URL(`${url}${paths.authorize}?${authorizeQuery({ state: 'login' })}`);
  for (let hop = 0; hop < 8 && !next.href.startsWith(kRedirect); hop += 1) {
    const response = await fetch(next, { redirect: 'manual', headers: { cookie: cookieHeader(jar) } });
    remember(jar, response);
    const location = response.headers.get('location');
    if (!location) throw new Error(`oidc-provider login: HTTP ${response.status} at ${next.pathname}: ${await response.text()}`);
    next = new URL(location, next);
  }
  if (!next.searchParams.get('code')) throw new Error(`oidc-provider login did not end with a code: ${next}`);
  return { name: 'oidc-provider', url, pid: child.pid, paths, cookie: cookieHeader(jar), stop };
}

// --- what the load needs ----------------------------------------------------

// `count` codes from prompt=none on the server's live session, `parallel` at
// a time.
async function makeCodes(server, count, parallel = 8) {
  const codes = [];
  let made = 0;
  const worker = async () => {
    while (made < count) {
      made += 1;
      const url = `${server.url}${server.paths.authorize}?${authorizeQuery({ prompt: 'none', state: `pool${made}` })}`;
      const response = await fetch(url, { redirect: 'manual', headers: { cookie: server.cookie } });
      await response.arrayBuffer();
      const location = response.headers.get('location');
      const code = location && new URL(location, server.url).searchParams.get('code');
      if (!code) throw new Error(`${server.name}: prompt=none gave no code (HTTP ${response.status} ${location ?? ''})`);
      codes.push(code);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return codes;
}

async function refreshTokens(server, count) {
  const tokens = [];
  for (const code of await makeCodes(server, count)) {
    const response = await fetch(`${server.url}${server.paths.token}`, {
      method: 'POST',
      headers: { authorization: basic(kWeb), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: kRedirect, code_verifier: kVerifier }),
    });
    const body = await response.json();
    if (!body.refresh_token) throw new Error(`${server.name}: the code exchange gave no refresh token: ${JSON.stringify(body)}`);
    tokens.push(body.refresh_token);
  }
  return tokens;
}

// The server's resident memory now, in MiB: VmRSS, and the part of it that
// is not pages of mapped files (RssAnon: the heap and stacks), since the
// broker's LMDB map counts in VmRSS for every page of the store it has read.
function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(status.match(new RegExp(`${field}:\\s+(\\d+)`))?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, anon: kb('RssAnon') / 1024 };
}

function procStat(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);  // utime, stime (fields 14 and 15)
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { cpuTicks: ticks, hwmKb: Number(status.match(/VmHWM:\s+(\d+)/)[1]) };
}
const kTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

function runWrk(server, script, connections, scriptArgs, { threads }) {
  return new Promise((resolve, reject) => {
    const argv = ['-t', String(threads), '-c', String(connections), '-d', `${duration}s`, '--latency',
                  '-s', path.join(here, 'wrk', `${script}.lua`), server.url, '--',
                  ...Object.entries(scriptArgs).map(([k, v]) => `${k}=${v}`)];
    const child = spawn('wrk', argv, {
      env: { ...process.env, LUA_PATH: `${path.join(here, 'wrk')}/?.lua;;` }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => { out += chunk; });
    child.stderr.on('data', (chunk) => { out += chunk; });
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('compare-result '));
      if (code !== 0 || !line) reject(new Error(`wrk ${script} on ${server.name} failed (exit ${code}):\n${out}`));
      else resolve(JSON.parse(line.slice('compare-result '.length)));
    });
  });
}

// The code pool of an authorization_code run. A pool that runs out early
// leaves a window of a second or two, which measures start-up (threads
// created for new connections, a runtime not yet warm) more than the steady
// exchange rate, so by default ('auto') it is sized to last the whole run:
// the rate of the same server's refresh_token rows at this connection count
// (similar work: two signatures and a write), with half as much again to
// spare, or 6,000 req/s when those rows did not run. At most 60,000 codes:
// the broker's codes live 60 s, and the pool is made before the run starts.
const kCodesPerSecondGuess = 6000;
const kMaxAutoPool = 60000;
function codePoolSize(server, connections, rawRuns) {
  if (poolSize !== 'auto') return poolSize;
  const refresh = rawRuns.filter((r) => r.server === server.name && r.scenario === 'refresh_token'
                                    && r.connections === connections).map((r) => r.rps);
  const rate = refresh.length ? Math.max(...refresh) : kCodesPerSecondGuess;
  return Math.min(kMaxAutoPool, Math.ceil(rate * duration * 1.5));
}

async function runScenario(server, scenario, connections, temp, rawRuns) {
  const common = { path: server.paths.token };
  let scriptArgs;
  const threads = Math.min(2, connections);
  if (scenario === 'client_credentials') {
    scriptArgs = { ...common, auth: basic(kMachine) };
  } else if (scenario === 'refresh_token') {
    const file = path.join(temp, `${server.name}-refresh-${connections}.txt`);
    writeFileSync(file, `${(await refreshTokens(server, connections)).join('\n')}\n`);
    scriptArgs = { ...common, auth: basic(kWeb), tokens: file, threads };
  } else if (scenario === 'authorization_code') {
    const file = path.join(temp, `${server.name}-codes-${connections}.txt`);
    const size = codePoolSize(server, connections, rawRuns);
    const started = Date.now();
    writeFileSync(file, `${(await makeCodes(server, size)).join('\n')}\n`);
    console.error(`  ${server.name}: ${fmt(size)} codes pooled in ${fmt((Date.now() - started) / 1000, 1)} s`);
    scriptArgs = { ...common, auth: basic(kWeb), codes: file, redirect: encodeURIComponent(kRedirect),
                   verifier: kVerifier, discovery: '/.well-known/openid-configuration', threads };
  } else {
    const query = authorizeQuery({ prompt: 'none', response_mode: 'web_message' });
    scriptArgs = { path: `${server.paths.authorize}?${query}`, cookie: server.cookie };
  }
  const before = procStat(server.pid);
  // Resident memory sampled through the run: VmHWM alone would report the
  // Argon2 hash of the one login before the load (64 MiB) on every row.
  const load = { rss: 0, anon: 0 };
  const sampler = setInterval(() => {
    const now = rssMb(server.pid);
    load.rss = Math.max(load.rss, now.rss);
    load.anon = Math.max(load.anon, now.anon);
  }, 250);
  const result = await runWrk(server, scenario, connections, scriptArgs, { threads }).finally(() => clearInterval(sampler));
  const after = procStat(server.pid);
  const requests = result.requests - result.extra;
  // When the code pool ran out before the end, the rate is over the time the
  // pool lasted (wrk's own duration is always the -d it was given).
  const seconds = (result.extra > 0 && result.active_us > 0 ? result.active_us : result.duration_us) / 1e6;
  const errors = result.status_errors + result.socket_errors + result.bad_bodies;
  return {
    server: server.name, scenario, connections, requests, seconds, pool_ran_out: result.extra > 0,
    rps: requests / seconds, p50_ms: result.p50_us / 1000, p99_ms: result.p99_us / 1000,
    errors, status_errors: result.status_errors, socket_errors: result.socket_errors, bad_bodies: result.bad_bodies,
    peak_rss_mb: after.hwmKb / 1024, load_rss_mb: load.rss, load_anon_mb: load.anon,
    cpu_ms_per_request: requests > 0 ? ((after.cpuTicks - before.cpuTicks) / kTicksPerSecond) * 1000 / requests : NaN,
  };
}

// --- the signing ceiling ----------------------------------------------------

// CPU ms per signature from `openssl speed` (one process, 2 s per test).
// Measured before the rows and again after them, the lower of the two kept:
// on a shared virtual machine a slow moment during one measurement would
// otherwise make every row's CPU over signing look better than it is.
function signingCost() {
  const out = execFileSync('openssl', ['speed', '-seconds', '2', '-multi', '1', 'rsa2048', 'ecdsap256'],
                           { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const rsa = out.match(/^rsa\s+2048 bits\s+\S+\s+\S+\s+([\d.]+)/m);
  const ec = out.match(/^\s*256 bits ecdsa \(nistp256\)\s+\S+\s+\S+\s+([\d.]+)/m);
  if (!rsa || !ec) throw new Error(`could not read openssl speed's output:\n${out}`);
  return { RS256: 1000 / Number(rsa[1]), ES256: 1000 / Number(ec[1]) };
}

// --- the store: commit ceiling and preload --------------------------------

function runTool(argv) {
  try {
    return execFileSync(toolBin, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new Error(`passerelle-bench-tool ${argv[0]} failed (exit ${error.status}):\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  }
}

// One thread's durable commits of one refresh exchange's worth of bytes, on
// the same file system as the brokers' stores.
function commitCeiling(dir) {
  const out = runTool(['commit-rate', '--dir', dir, '--seconds', String(commitSeconds)]);
  const m = out.match(/commits of (\d+) bytes in ([\d.]+) s .*: ([\d.]+) commits\/s, ([\d.]+) ms per commit/);
  if (!m) throw new Error(`could not read commit-rate's output:\n${out}`);
  return { bytes: Number(m[1]), seconds: Number(m[2]), per_second: Number(m[3]), ms: Number(m[4]) };
}

// N users, N sessions and N families of the web client in the stopped
// broker's store; returns the tool's report (counts, time, store size).
function preloadStore(broker, count, dir) {
  const configPath = path.join(dir, `preload-${broker.config.signing.alg}.json`);
  writeFileSync(configPath, `${JSON.stringify(broker.config, null, 2)}\n`);
  const n = String(count);
  const out = runTool(['preload', '--config', configPath, '--users', n, '--sessions', n, '--families', n,
                       '--client', kWeb.client_id]);
  return out.trim().split('\n').filter((l) => l.startsWith('preload:'));
}

// --- the run ----------------------------------------------------------------

const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a');
const countLabel = (n) => (n % 1e6 === 0 ? `${n / 1e6}M` : n % 1e3 === 0 ? `${n / 1e3}k` : String(n));
const preloadedName = `passerelle ${countLabel(preloadCount)}`;

function median(values) {
  const xs = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!xs.length) return NaN;
  const mid = Math.floor(xs.length / 2);
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

// One table row from the runs of one (alg, scenario, connections, server):
// the median of each measured column, the errors and requests of all runs,
// the highest resident memory seen under load and the highest peak.
function summarise(runsOfRow) {
  const first = runsOfRow[0];
  const column = (key) => median(runsOfRow.map((r) => r[key]));
  return {
    alg: first.alg, scenario: first.scenario, connections: first.connections, server: first.server,
    runs: runsOfRow.length, rps: column('rps'), p50_ms: column('p50_ms'), p99_ms: column('p99_ms'),
    cpu_ms_per_request: column('cpu_ms_per_request'),
    requests: runsOfRow.reduce((n, r) => n + r.requests, 0), errors: runsOfRow.reduce((n, r) => n + r.errors, 0),
    pool_ran_out: runsOfRow.some((r) => r.pool_ran_out), peak_rss_mb: Math.max(...runsOfRow.map((r) => r.peak_rss_mb)),
    load_rss_mb: Math.max(...runsOfRow.map((r) => r.load_rss_mb)),
    load_anon_mb: Math.max(...runsOfRow.map((r) => r.load_anon_mb)),
  };
}

// Every scenario at every connection count, `runs` times, the servers in
// turn within each repetition.
async function runRows(alg, servers, rawRuns) {
  const rows = [];
  for (const scenario of scenarios) {
    for (const connections of connectionCounts) {
      const byServer = new Map(servers.map((s) => [s.name, []]));
      for (let run = 1; run <= runs; run += 1) {
        for (const server of servers) {
          const result = { alg, run, ...(await runScenario(server, scenario, connections, temp.dir, rawRuns)) };
          rawRuns.push(result);
          byServer.get(server.name).push(result);
          console.error(`  ${alg} ${scenario} c=${connections} ${server.name} run ${run}/${runs}: `
                        + `${fmt(result.rps)} req/s, p99 ${fmt(result.p99_ms, 2)} ms, ${result.errors} errors`);
        }
      }
      for (const server of servers) rows.push(summarise(byServer.get(server.name)));
    }
  }
  return rows;
}

// Idle RSS once the load has stopped: a moment for the last answers and
// keep-alive connections to end.
async function idleAfterLoad(alg, servers, idle) {
  await sleep(2000);
  for (const s of servers) idle.find((i) => i.server === s.name && i.alg === alg).after_load_mb = rssMb(s.pid);
}

const temp = makeTempDir('bench-compare');
const rows = [];
const rawRuns = [];
const idle = [];  // { alg, server, after_login_mb, after_load_mb }
const preloads = [];  // { alg, count, report }
let signMs;
const signMeasured = [];
let commit = null;
try {
  console.error('compare: openssl speed (about 4 s)');
  signMeasured.push(signingCost());
  if (haveTool) {
    console.error(`compare: durable commit rate (${commitSeconds} s, ${toolBin})`);
    commit = commitCeiling(path.join(temp.dir, 'commit-rate'));
  } else {
    console.error(`compare: no passerelle-bench-tool at ${toolBin}: no commit ceiling and no preload`);
  }
  for (const alg of algs) {
    console.error(`compare: ${alg}: starting the broker (${brokerBin}) and oidc-provider`);
    const dataDir = path.join(temp.dir, `passerelle-${alg}`);
    let broker = await startPasserelle(alg, dataDir);
    const peer = await startPeer(alg);
    const servers = [broker, peer];
    try {
      for (const s of servers) idle.push({ alg, server: s.name, after_login_mb: rssMb(s.pid) });
      rows.push(...(await runRows(alg, servers, rawRuns)));
      await idleAfterLoad(alg, servers, idle);
      if (preloadCount > 0 && haveTool) {
        console.error(`compare: ${alg}: stopping the broker, preloading ${preloadCount} users, sessions and families`);
        await broker.stop();
        servers.splice(0, 1);
        // A store of its own, made by a first start (the config's clients),
        // so that the preloaded rows do not also pay for what the empty rows
        // left (their codes and sessions, which expire and are swept while
        // the next rows run).
        const preloadedDir = path.join(temp.dir, `passerelle-${alg}-preloaded`);
        const seeded = await startPasserelle(alg, preloadedDir, preloadedName);
        await seeded.stop();
        const report = preloadStore(seeded, preloadCount, temp.dir);
        for (const line of report) console.error(`  ${line}`);
        preloads.push({ alg, count: preloadCount, report });
        broker = await startPasserelle(alg, preloadedDir, preloadedName);
        servers.unshift(broker);
        idle.push({ alg, server: broker.name, after_login_mb: rssMb(broker.pid) });
        rows.push(...(await runRows(alg, [broker], rawRuns)));
        await idleAfterLoad(alg, [broker], idle);
      }
    } finally {
      await Promise.allSettled(servers.map((s) => s.stop()));
    }
  }
  if (!args.smoke) {
    console.error('compare: openssl speed again, after the rows (about 4 s)');
    signMeasured.push(signingCost());
  }
  signMs = { RS256: Math.min(...signMeasured.map((m) => m.RS256)), ES256: Math.min(...signMeasured.map((m) => m.ES256)) };
} finally {
  temp.remove();
}

const rowOf = (server, row) => rows.find((r) => r.server === server && r.alg === row.alg
                                       && r.scenario === row.scenario && r.connections === row.connections);
// The broker's rows against the peer's; the preloaded broker's against the
// broker's on the empty store.
function ratioOf(r) {
  const base = r.server === 'passerelle' ? rowOf('oidc-provider', r) : r.server === preloadedName ? rowOf('passerelle', r) : null;
  if (!base || !(base.rps > 0)) return '';
  return `${(r.rps / base.rps).toFixed(2)}x${r.server === preloadedName ? ' of empty' : ''}`;
}
// The signatures each answer carries, so the CPU a request costs can be set
// against the signing it cannot avoid: a JWT access token for a machine
// client; an access token and an ID token for a code exchange and a refresh
// (scope openid); none for silent authorization (it answers with a code).
const kSignaturesPerRequest = { client_credentials: 1, refresh_token: 2, authorization_code: 2, silent_auth: 0 };
const signingOf = (r) => kSignaturesPerRequest[r.scenario] * signMs[r.alg];
const cpuPerSign = (r) => (signingOf(r) > 0 ? `${(r.cpu_ms_per_request / signingOf(r)).toFixed(2)}x` : '');
console.log(`\nDuration ${duration} s per run, median of ${runs} run(s) per row; signing: RS256 ${fmt(signMs.RS256, 3)} ms, `
            + `ES256 ${fmt(signMs.ES256, 3)} ms CPU per signature (openssl speed, one process`
            + `${signMeasured.length > 1 ? '; the lower of a measurement before and one after the rows' : ''})\n`);
console.log('| alg | scenario | conns | server | req/s | p50 ms | p99 ms | errors | RSS MB (anon) | CPU ms/req | sign ms | CPU/sign | ratio |');
console.log('|-----|----------|------:|--------|------:|-------:|-------:|-------:|--------------:|-----------:|--------:|---------:|------:|');
for (const r of rows) {
  const errors = r.errors > 0 || r.requests === 0 ? `**${r.errors}** !` : '0';
  console.log(`| ${r.alg} | ${r.scenario} | ${r.connections} | ${r.server} | ${fmt(r.rps)} | ${fmt(r.p50_ms, 2)} | `
              + `${fmt(r.p99_ms, 2)} | ${errors} | ${fmt(r.load_rss_mb, 1)} (${fmt(r.load_anon_mb, 1)}) | ${fmt(r.cpu_ms_per_request, 3)} | `
              + `${fmt(signingOf(r), 3)} | ${cpuPerSign(r)} | ${ratioOf(r)} |`);
}
console.log('');
if (commit) {
  console.log(`Durable commit: ${fmt(commit.ms, 3)} ms per commit (${fmt(commit.per_second)} commits/s from one thread, `
              + `${commit.bytes} bytes each, LMDB on the same file system; passerelle-bench-tool commit-rate)`);
}
for (const p of preloads) console.log(`Preload (${p.alg}): ${p.report.map((l) => l.replace(/^preload: /, '')).join('; ')}`);
const shortPools = rawRuns.filter((r) => r.pool_ran_out);
if (shortPools.length) {
  console.log(`Code pools that ran out before the end (rate over the time they lasted): ${shortPools.map((r) =>
    `${r.alg} ${r.server} c=${r.connections} run ${r.run} (${fmt(r.seconds, 1)} s)`).join(', ')}`);
}
console.log('Idle RSS MB, VmRSS (RssAnon), after start-up and one login / 2 s after the last row:');
const mem = (m) => (m ? `${fmt(m.rss, 1)} (${fmt(m.anon, 1)})` : 'n/a');
for (const i of idle) console.log(`- ${i.alg} ${i.server}: ${mem(i.after_login_mb)} / ${mem(i.after_load_mb)}`);
if (args.json) {
  writeFileSync(args.json, `${JSON.stringify({ duration, runs, signing_cpu_ms: signMs, signing_cpu_ms_measured: signMeasured, commit, preloads, idle_rss_mb: idle,
                                               rows, raw_runs: rawRuns }, null, 2)}\n`);
  console.error(`compare: raw figures in ${args.json}`);
}
const failed = rawRuns.filter((r) => r.errors > 0 || r.requests === 0);
if (failed.length) {
  console.error(`compare: ${failed.length} run(s) with errors or without a single good answer: `
                + failed.map((r) => `${r.alg} ${r.scenario} c=${r.connections} ${r.server} run ${r.run}`).join(', '));
  if (args.smoke) process.exitCode = 1;
} else if (args.smoke) {
  console.error('compare: smoke passed');
}
