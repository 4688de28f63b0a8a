// GET /metrics on the real broker, read as Prometheus would: a scrape, a
// password login with a code exchange and a refresh through openid-client,
// a second scrape; the counters moved by exactly what was done. The scrape
// token is checked too: none and a wrong one get 401 with a Bearer
// challenge.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';

import * as oidc from 'openid-client';

import { startBroker } from './lib/broker.mjs';
import { codeFlowOverHttp } from './lib/code-flow.mjs';

// Test fixtures only: valid for a broker these tests start on 127.0.0.1.
const kUser = { email: 'mia@example.test', password: 'test-fixture-password-mia' };
const kRedirect = 'http://127.0.0.1:9/callback';  // never contacted: the code is read from the redirect
const kScrapeToken = 'test-fixture-scrape-token';
const kClient = { client_id: 'metrics-app', client_secret: 'test-fixture-secret-metrics-app',
                  redirect_uris: [kRedirect], grant_types: ['authorization_code', 'refresh_token'] };

let broker;

before(async () => {
  broker = await startBroker({
    clients: [kClient],
    users: [kUser],
    metrics: { bearer_token_sha256: createHash('sha256').update(kScrapeToken).digest('hex') },
  });
});

after(() => broker?.stop());

// The text format 0.0.4, parsed: series ("name{labels}") -> value, and the
// TYPE of each family. A line that fits neither form fails the test.
function parseExposition(text) {
  const samples = new Map();
  const types = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ')) continue;
    const type = line.match(/^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/);
    if (type) {
      types.set(type[1], type[2]);
      continue;
    }
    const sample = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})?) (\S+)$/);
    assert.ok(sample, `not a sample line: ${line}`);
    samples.set(sample[1], Number(sample[2]));
  }
  return { samples, types, value: (series) => samples.get(series) ?? 0 };
}

async function scrape(token = kScrapeToken) {
  const response = await fetch(`${broker.issuer}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  return parseExposition(await response.text());
}

const logins = (outcome) =>
  `passerelle_logins_total{connection="Username-Password-Authentication",outcome="${outcome}"}`;
const tokens = (grant) => `passerelle_tokens_issued_total{grant_type="${grant}"}`;

test('a scrape without the token, or with a wrong one, is refused', async () => {
  for (const headers of [{}, { authorization: 'Bearer not-the-token' }]) {
    const response = await fetch(`${broker.issuer}/metrics`, { headers });
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate'), /^Bearer/);
    assert.doesNotMatch(await response.text(), /passerelle_/);
  }
});

test('a login, a code exchange and a refresh move their counters', async () => {
  const first = await scrape();
  assert.equal(first.types.get('passerelle_logins_total'), 'counter');
  assert.equal(first.types.get('passerelle_http_request_duration_seconds'), 'histogram');
  assert.equal(first.types.get('passerelle_broker_sessions'), 'gauge');

  const config = await oidc.discovery(new URL(broker.issuer), kClient.client_id, undefined,
                                      oidc.ClientSecretBasic(kClient.client_secret),
                                      { execute: [oidc.allowInsecureRequests] });
  const { tokens: issued } = await codeFlowOverHttp(config, kUser, { redirectUri: kRedirect });
  assert.ok(issued.refresh_token);
  const refreshed = await oidc.refreshTokenGrant(config, issued.refresh_token);
  assert.ok(refreshed.access_token);

  const second = await scrape();
  const moved = (series) => second.value(series) - first.value(series);
  assert.equal(moved(logins('success')), 1);
  assert.equal(moved(logins('failure')), 0);
  assert.equal(moved(tokens('authorization_code')), 1);
  assert.equal(moved(tokens('refresh_token')), 1);
  assert.equal(moved('passerelle_broker_sessions_authenticated'), 1);
  assert.equal(moved('passerelle_http_requests_total{method="POST",route="/oauth/token",status="200"}'), 2);
  assert.equal(moved('passerelle_http_requests_total{method="POST",route="/login",status="302"}'), 1);
  // Buckets are cumulative: +Inf holds every request, as _count does.
  const tokenSeries = 'method="POST",route="/oauth/token",status="200"';
  assert.equal(second.value(`passerelle_http_request_duration_seconds_bucket{${tokenSeries},le="+Inf"}`),
               second.value(`passerelle_http_request_duration_seconds_count{${tokenSeries}}`));
  assert.ok(second.value('passerelle_storage_commit_duration_seconds_count{outcome="ok"}') >
            first.value('passerelle_storage_commit_duration_seconds_count{outcome="ok"}'));
  // No series names a raw path with its query, a code or a token.
  for (const series of second.samples.keys()) {
    assert.doesNotMatch(series, /[?&]code=|client_id=/, series);
    assert.ok(!series.includes(issued.refresh_token), 'no refresh token in the scrape');
  }
});
