// The broker serving HTTPS itself (config "tls"), used by openid-client with
// no insecure-request allowance: discovery, the authorization code flow with
// PKCE, the ID token checked against the JWKS, userinfo and a refresh, all
// over TLS with the TEST-ONLY certificate of fixtures/tls. Session cookies are
// Secure, plain HTTP on the port gets nothing, and TLS 1.1 is refused.
//
// Run by hand: NODE_EXTRA_CA_CERTS=../../fixtures/tls/test-ca.pem node --test https.test.mjs
import assert from 'node:assert/strict';
import http from 'node:http';
import tls from 'node:tls';
import { after, before, test } from 'node:test';

import * as oidc from 'openid-client';

import { startBroker } from './lib/broker.mjs';
import { logInOverHttp } from './lib/http-login.mjs';

// Test fixtures only: valid for a broker these tests start on 127.0.0.1.
const kUser = { email: 'tess@example.test', password: 'test-fixture-password-tess' };
const kRedirect = 'https://app.example.test/callback';
const kClient = {
  client_id: 'tls-app', client_secret: 'test-fixture-secret-tls-app', redirect_uris: [kRedirect],
  refresh_token: { rotation_type: 'rotating', expiration_type: 'expiring' },
};

let broker;

before(async () => {
  assert.ok(process.env.NODE_EXTRA_CA_CERTS,
            'these tests need NODE_EXTRA_CA_CERTS=fixtures/tls/test-ca.pem (CTest sets it)');
  broker = await startBroker({ clients: [kClient], users: [kUser] }, { tls: true });
});
after(async () => {
  await broker?.stop();
});

test('openid-client logs in, checks the ID token and refreshes over HTTPS', async () => {
  assert.match(broker.issuer, /^https:\/\/127\.0\.0\.1:\d+$/);
  const config = await oidc.discovery(new URL(broker.issuer), kClient.client_id, undefined,
                                      oidc.ClientSecretBasic(kClient.client_secret));
  assert.equal(config.serverMetadata().issuer, broker.issuer);
  for (const endpoint of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'userinfo_endpoint']) {
    assert.ok(config.serverMetadata()[endpoint].startsWith(`${broker.issuer}/`), endpoint);
  }

  const verifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: kRedirect, scope: 'openid email offline_access', state: 'tls-state', nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  const callback = await logInOverHttp(url, kUser);
  assert.equal(callback.searchParams.get('iss'), broker.issuer);
  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: verifier, expectedState: 'tls-state', expectedNonce: nonce,
  });
  const claims = tokens.claims();
  assert.equal(claims.iss, broker.issuer);
  assert.equal(claims.email, kUser.email);

  const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
  assert.equal(info.email, kUser.email);
  const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
  assert.ok(refreshed.access_token);
  assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
});

test('the session cookie is Secure on an HTTPS issuer', async () => {
  const response = await fetch(`${broker.issuer}/authorize?client_id=${kClient.client_id}` +
                               `&redirect_uri=${encodeURIComponent(kRedirect)}&response_type=code&scope=openid` +
                               '&state=s&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' +
                               '&code_challenge_method=S256', { redirect: 'manual' });
  assert.equal(response.status, 302);
  const cookies = response.headers.getSetCookie();
  assert.ok(cookies.length > 0, 'a session cookie is set');
  for (const cookie of cookies) assert.match(cookie, /;\s*Secure/i, cookie);
});

test('plain HTTP on the TLS port gets no answer', async () => {
  const outcome = await new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port: broker.port, path: '/healthz', timeout: 3_000 },
                         (res) => resolve(`status ${res.statusCode}`));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve(`error ${error.code || error.message}`));
  });
  assert.match(outcome, /^error /);
});

test('TLS 1.1 is refused, TLS 1.2 and 1.3 are accepted', async () => {
  const handshake = (options) => new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port: broker.port, servername: 'localhost', ...options });
    socket.once('secureConnect', () => {
      const version = socket.getProtocol();
      socket.end();
      resolve(version);
    });
    socket.once('error', (error) => resolve(`error ${error.code || error.message}`));
  });
  assert.equal(await handshake({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' }), 'TLSv1.2');
  assert.equal(await handshake({ minVersion: 'TLSv1.3' }), 'TLSv1.3');
  // The client's own floor is lowered so that it really offers TLS 1.1.
  const old = await handshake({ minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' });
  assert.match(old, /^error /);
});
