// Discovery (OpenID Connect Discovery 1.0, RFC 8414) and the published keys.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { discoverClient, useTestBed } from './lib/test-bed.mjs';
import { remoteKeys } from './lib/jwt.mjs';

const bed = useTestBed();

test('discovery document names the issuer, the endpoints and the supported features', async () => {
  const { issuer } = bed.broker;
  const response = await fetch(`${issuer}/.well-known/openid-configuration`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  const metadata = await response.json();

  assert.equal(metadata.issuer, issuer);
  const endpoints = {
    authorization_endpoint: '/authorize',
    token_endpoint: '/oauth/token',
    userinfo_endpoint: '/userinfo',
    jwks_uri: '/.well-known/jwks.json',
    end_session_endpoint: '/oidc/logout',
    revocation_endpoint: '/oauth/revoke',
  };
  for (const [member, path] of Object.entries(endpoints)) {
    assert.equal(metadata[member], `${issuer}${path}`, `discovery member ${member}`);
  }
  assert.deepEqual(metadata.response_types_supported, ['code']);
  assert.deepEqual(metadata.code_challenge_methods_supported, ['S256']);
  assert.equal(metadata.authorization_response_iss_parameter_supported, true);
  // Members OpenID Connect Discovery 1.0 §3 makes REQUIRED.
  assert.ok(Array.isArray(metadata.subject_types_supported), 'subject_types_supported is a list');
  assert.ok(metadata.id_token_signing_alg_values_supported?.includes('RS256'),
    'id_token_signing_alg_values_supported includes RS256');
});

test('openid-client accepts the discovery document', async () => {
  const config = await discoverClient(bed.broker.issuer, bed.clients.web);
  assert.equal(config.serverMetadata().issuer, bed.broker.issuer);
  assert.ok(config.serverMetadata().supportsPKCE(), 'PKCE S256 advertised');
});

test('JWKS publishes public signing keys that jose.createRemoteJWKSet can use', async () => {
  const response = await fetch(bed.metadata.jwks_uri);
  assert.equal(response.status, 200);
  const { keys } = await response.json();
  assert.ok(Array.isArray(keys) && keys.length > 0, 'at least one key');

  const privateMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];
  const getKey = remoteKeys(bed.metadata.jwks_uri);
  for (const jwk of keys) {
    assert.ok(jwk.kid, 'every key has a kid');
    for (const member of privateMembers) {
      assert.equal(jwk[member], undefined, `key ${jwk.kid} must not publish private member "${member}"`);
    }
    if (jwk.use !== undefined) assert.equal(jwk.use, 'sig', `key ${jwk.kid} use`);
    const alg = jwk.alg ?? 'RS256';
    const key = await getKey({ alg, kid: jwk.kid });
    assert.ok(key, `jose resolves key ${jwk.kid} for ${alg}`);
  }
  assert.ok(keys.some((jwk) => jwk.kty === 'RSA'), 'an RSA key for the default RS256');
});
