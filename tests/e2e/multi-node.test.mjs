// Three broker processes on one PostgreSQL database act as one broker: the
// login transaction, the session, codes, refresh-token families and signing
// keys live in the database, and every node shares data_dir's secret box key.
// A round-robin proxy in front sends each request to the next node, so every
// flow crosses nodes at each step; the proxy's URL is the issuer of all three.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import * as oidc from 'openid-client';

import { startBroker } from './lib/broker.mjs';
import { codeFlowOverHttp } from './lib/code-flow.mjs';
import { makeTempDir } from './lib/env.mjs';
import { cookieHeader, logInOverHttp } from './lib/http-login.mjs';
import { verifyAccessToken, verifyIdToken } from './lib/jwt.mjs';
import { createSharedDatabase } from './lib/postgres.mjs';
import { startRoundRobin } from './lib/round-robin.mjs';
import { freePort, postForm } from './lib/net.mjs';

// Test fixtures only: valid for brokers these tests start on 127.0.0.1.
const kUser = { email: 'nina@example.test', password: 'test-fixture-password-nina' };
const kRedirect = 'http://127.0.0.1:9/callback';  // never contacted: the code is read from the redirect
// Rotation without leeway: presenting a rotated token is reuse, whichever
// node sees it, and revokes the family.
const kClient = {
  client_id: 'mn-app', client_secret: 'test-fixture-secret-mn-app', redirect_uris: [kRedirect],
  grant_types: ['authorization_code', 'refresh_token'],
  refresh_token: { rotation_type: 'rotating', expiration_type: 'expiring', token_lifetime: 3600, leeway: 0 },
};
const kNodes = 3;
const kRacers = 120;

const temp = makeTempDir('multi-node');
const nodes = [];
let proxy;
let metadata;

before(async () => {
  const url = await createSharedDatabase('multi_node');
  const proxyPort = await freePort();
  const issuer = `http://127.0.0.1:${proxyPort}`;
  const config = {
    clients: [kClient],
    users: [kUser],
    storage: { backend: 'postgres', url, pool_size: 8 },
  };
  // One after the other: the first creates the schema, the seed data, the
  // signing key and data_dir's secret box key; the others find them.
  const dataDir = `${temp.dir}/data`;
  for (let i = 0; i < kNodes; i += 1) nodes.push(await startBroker(config, { issuer, dataDir }));
  proxy = await startRoundRobin(nodes.map((node) => node.url), { port: proxyPort });
  metadata = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
});

after(async () => {
  await proxy?.close();
  const stopped = await Promise.allSettled(nodes.map((node) => node.stop()));
  temp.remove();
  const failed = stopped.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
});

const basic = `Basic ${Buffer.from(`${kClient.client_id}:${kClient.client_secret}`).toString('base64')}`;

// An openid-client configuration whose every endpoint is on `base` (the
// proxy, or one node's own port); the issuer stays the shared one, so ID
// tokens are checked against it.
function configAt(base) {
  const pinned = Object.fromEntries(Object.entries(metadata).map(([key, value]) => [
    key,
    key !== 'issuer' && typeof value === 'string' && value.startsWith(`${metadata.issuer}/`)
      ? `${base}${value.slice(metadata.issuer.length)}` : value,
  ]));
  const config = new oidc.Configuration(pinned, kClient.client_id, kClient.client_secret,
                                        oidc.ClientSecretBasic(kClient.client_secret));
  oidc.allowInsecureRequests(config);
  return config;
}

async function rawRefresh(base, token) {
  return postForm(`${base}/oauth/token`, basic, { grant_type: 'refresh_token', refresh_token: token });
}

// A prompt=none authorization with the session cookies, sent to `base`;
// returns the redirect's URL (a code, or an error such as login_required).
async function silentAuthorize(base, cookies) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(configAt(base), {
    redirect_uri: kRedirect, scope: 'openid offline_access', state, prompt: 'none',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  const response = await fetch(url, { redirect: 'manual', headers: { cookie: cookieHeader(cookies) } });
  await response.arrayBuffer();
  assert.equal(response.status, 302, `prompt=none on ${base}`);
  return { callback: new URL(response.headers.get('location')), verifier, state };
}

function countsSince(before) {
  return proxy.counts.map((count, i) => count - before[i]);
}

function logs() {
  return nodes.map((node, i) => `--- node ${i}:\n${node.logTail(1500)}`).join('\n');
}

test('through the round-robin proxy, every flow works with each step on another node', async () => {
  const before = [...proxy.counts];
  const config = configAt(proxy.url);
  const cookies = new Map();
  // /authorize, the login page, its POST and the code exchange: four nodes in turn.
  const { tokens } = await codeFlowOverHttp(config, kUser, { redirectUri: kRedirect, cookies });
  assert.ok(tokens.refresh_token, `a refresh token with offline_access\n${logs()}`);
  verifyIdToken(tokens.id_token, metadata, kClient.client_id);
  await verifyAccessToken(tokens.access_token, metadata);

  const claims = tokens.claims();
  const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
  assert.equal(info.sub, claims.sub);

  // A rotation chain, then reuse of its first token: the family is revoked
  // for every node, the newest token included.
  const second = (await oidc.refreshTokenGrant(config, tokens.refresh_token)).refresh_token;
  const third = (await oidc.refreshTokenGrant(config, second)).refresh_token;
  const reuse = await rawRefresh(proxy.url, tokens.refresh_token);
  assert.equal(reuse.status, 400);
  assert.equal(reuse.body.error, 'invalid_grant');
  for (const node of nodes) {
    const answer = await rawRefresh(node.url, third);
    assert.equal(answer.body.error, 'invalid_grant', `the revoked family on node ${node.url}`);
  }

  // Silent authentication on the session the login made, on whichever node.
  for (let i = 0; i < kNodes; i += 1) {
    const silent = await silentAuthorize(proxy.url, cookies);
    assert.ok(silent.callback.searchParams.get('code'), `a code without a login: ${silent.callback}`);
    const again = await oidc.authorizationCodeGrant(config, silent.callback,
                                                    { pkceCodeVerifier: silent.verifier, expectedState: silent.state });
    assert.equal(again.claims().sub, claims.sub);
  }

  const served = countsSince(before);
  const total = served.reduce((a, b) => a + b, 0);
  for (const [i, count] of served.entries()) {
    assert.ok(count >= Math.floor(total / kNodes), `node ${i} served ${count} of ${total} requests`);
  }
});

test('a login on node A, the code exchange on B, a refresh on C and prompt=none on A again', async () => {
  const [a, b, c] = nodes;
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(configAt(a.url), {
    redirect_uri: kRedirect, scope: 'openid offline_access', state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  const cookies = new Map();
  const callback = await logInOverHttp(url, kUser, { cookies, origin: a.url });
  const tokens = await oidc.authorizationCodeGrant(configAt(b.url), callback, { pkceCodeVerifier: verifier, expectedState: state });
  const refreshed = await oidc.refreshTokenGrant(configAt(c.url), tokens.refresh_token);
  assert.ok(refreshed.refresh_token);
  assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
  const info = await oidc.fetchUserInfo(configAt(a.url), refreshed.access_token, tokens.claims().sub);
  assert.equal(info.sub, tokens.claims().sub);

  const silent = await silentAuthorize(a.url, cookies);
  assert.ok(silent.callback.searchParams.get('code'), `prompt=none on A after the login on A: ${silent.callback}`);
  const again = await oidc.authorizationCodeGrant(configAt(c.url), silent.callback,
                                                  { pkceCodeVerifier: silent.verifier, expectedState: silent.state });
  assert.equal(again.claims().sub, tokens.claims().sub);
});

test(`${kRacers} concurrent refreshes of one token on three nodes leave at most one lineage, then none`, async () => {
  const { tokens } = await codeFlowOverHttp(configAt(proxy.url), kUser, { redirectUri: kRedirect });
  const results = await Promise.all(Array.from({ length: kRacers },
                                               (_, i) => rawRefresh(nodes[i % kNodes].url, tokens.refresh_token)));
  const statuses = {};
  for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  const successes = results.filter((r) => r.status === 200);
  assert.equal(successes.length, 1, `exactly one exchange wins: ${JSON.stringify(statuses)}\n${logs()}`);
  assert.ok(successes[0].body.refresh_token);
  for (const r of results.filter((x) => x.status !== 200)) {
    assert.equal(r.status, 400, `a loser gets 400, never a 5xx: ${JSON.stringify(r.body)}\n${logs()}`);
    assert.equal(r.body.error, 'invalid_grant');
  }
  // The losers were reuse of a rotated token: the family is revoked, the
  // winner's new token with it, whichever node is asked.
  for (const node of nodes) {
    const answer = await rawRefresh(node.url, successes[0].body.refresh_token);
    assert.equal(answer.status, 400, `the winner's token on ${node.url}: ${JSON.stringify(answer.body)}`);
    assert.equal(answer.body.error, 'invalid_grant');
  }
});
