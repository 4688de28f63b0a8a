// The token endpoint without a browser: the client credentials grant for a
// machine-to-machine client, and client authentication failures.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as oidc from 'openid-client';

import { discoverClient, useTestBed } from './lib/test-bed.mjs';
import { verifyAccessToken } from './lib/jwt.mjs';
import { postForm } from './lib/net.mjs';

const bed = useTestBed();

function basicAuth(clientId, secret) {
  // RFC 6749 §2.3.1: both parts are form-encoded before base64.
  const credentials = `${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`;
  return `Basic ${Buffer.from(credentials).toString('base64')}`;
}

async function postToken(authorization, form) {
  return postForm(bed.metadata.token_endpoint, authorization, form);
}

test('client_credentials gives a machine client an at+jwt access token whose sub is the client id', async () => {
  const { machine } = bed.clients;
  const config = await discoverClient(bed.broker.issuer, machine);
  const tokens = await oidc.clientCredentialsGrant(config);
  assert.equal(tokens.token_type.toLowerCase(), 'bearer');
  assert.equal(tokens.id_token, undefined, 'no ID token without a user');
  assert.equal(tokens.refresh_token, undefined, 'no refresh token for client_credentials (RFC 6749 §4.4.3)');

  const { payload, protectedHeader } = await verifyAccessToken(tokens.access_token, bed.metadata);
  assert.match(protectedHeader.typ, /^(application\/)?at\+jwt$/i);
  assert.equal(payload.sub, machine.client_id);
  assert.equal(payload.client_id, machine.client_id);
  for (const claim of ['aud', 'exp', 'iat', 'jti']) {
    assert.ok(payload[claim] !== undefined, `RFC 9068 §2.2 claim ${claim}`);
  }
  assert.ok(payload.exp > Date.now() / 1000, 'not expired');
});

test('a wrong client secret is refused with 401 invalid_client', async () => {
  const { machine, web } = bed.clients;

  const credentials = await postToken(basicAuth(machine.client_id, 'not-the-secret'), {
    grant_type: 'client_credentials',
  });
  assert.equal(credentials.status, 401, `client_credentials with a wrong secret: ${JSON.stringify(credentials.body)}`);
  assert.equal(credentials.body.error, 'invalid_client');
  assert.match(credentials.headers.get('www-authenticate') ?? '', /^Basic/i,
    'RFC 6749 §5.2: a 401 after Basic authentication carries WWW-Authenticate');

  // Client authentication comes before looking at the code.
  const code = await postToken(basicAuth(web.client_id, 'not-the-secret'), {
    grant_type: 'authorization_code',
    code: 'no-such-code',
    redirect_uri: web.redirect_uris[0],
    code_verifier: oidc.randomPKCECodeVerifier(),
  });
  assert.equal(code.status, 401, `authorization_code with a wrong secret: ${JSON.stringify(code.body)}`);
  assert.equal(code.body.error, 'invalid_client');
});
