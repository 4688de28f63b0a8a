// The clients and user the end-to-end tests register, and a test bed that
// starts (before the tests of a file) and stops (after them) a relying party
// server, a broker configured for it, and optionally Chromium.
//
// Every secret here is a test fixture, valid only for a broker started by
// these tests on 127.0.0.1.
import { after, before } from 'node:test';

import * as oidc from 'openid-client';

import { startBroker } from './broker.mjs';
import { launchBrowser } from './browser.mjs';
import { startRelyingParty } from './relying-party.mjs';

export const kUser = {
  email: 'alice@example.test',
  password: 'test-fixture-password-alice',
};

// A regular web app with a back end: confidential, authenticates with HTTP Basic.
export function webClient(rp) {
  return {
    client_id: 'e2e-web',
    client_secret: 'test-fixture-secret-e2e-web',
    name: 'End-to-end web app',
    app_type: 'regular_web',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code', 'refresh_token'],
    redirect_uris: [rp.callbackUrl],
    allowed_logout_urls: [rp.logoutUrl],
  };
}

// A native app: public (no secret), so PKCE is mandatory.
export function publicClient(rp) {
  return {
    client_id: 'e2e-native',
    name: 'End-to-end native app',
    app_type: 'native',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    redirect_uris: [rp.callbackUrl],
    allowed_logout_urls: [rp.logoutUrl],
  };
}

// A back-end service using the client credentials grant.
export function machineClient() {
  return {
    client_id: 'e2e-machine',
    client_secret: 'test-fixture-secret-e2e-machine',
    name: 'End-to-end machine client',
    app_type: 'non_interactive',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials'],
  };
}

// Registers before/after hooks for the calling test file and returns an object
// filled in by the time tests run: { rp, broker, browser, clients: {web,
// public, machine, ...extra}, metadata }. `extraClients(rp)` returns more
// clients by key; `extraUsers` more users ({email, password}).
export function useTestBed({ browser = false, extraClients = () => ({}), extraUsers = [] } = {}) {
  const bed = {};
  before(async () => {
    bed.rp = await startRelyingParty();
    bed.clients = {
      web: webClient(bed.rp),
      public: publicClient(bed.rp),
      machine: machineClient(),
      ...extraClients(bed.rp),
    };
    bed.broker = await startBroker({
      clients: Object.values(bed.clients),
      users: [{ email: kUser.email, password: kUser.password }, ...extraUsers],
    });
    const response = await fetch(`${bed.broker.issuer}/.well-known/openid-configuration`);
    bed.metadata = await response.json();
    if (browser) bed.chromium = await launchBrowser();
  });
  after(async () => {
    try {
      await bed.chromium?.close();
      await bed.rp?.close();
    } finally {
      await bed.broker?.stop();
    }
  });
  return bed;
}

// Runs every function of `stops` (servers to stop, browsers to close), the
// last first, even when some throw; then throws the first error.
export async function stopAll(stops) {
  const errors = [];
  for (const stop of [...stops].reverse()) {
    try {
      await stop();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw errors[0];
}

// An openid-client Configuration for one of the registered clients, from the
// broker's discovery document.
export function discoverClient(issuer, client) {
  let auth;
  switch (client.token_endpoint_auth_method) {
    case 'none':
      auth = oidc.None();
      break;
    case 'client_secret_post':
      auth = oidc.ClientSecretPost(client.client_secret);
      break;
    default:
      auth = oidc.ClientSecretBasic(client.client_secret);
  }
  return oidc.discovery(new URL(issuer), client.client_id, undefined, auth, {
    execute: [oidc.allowInsecureRequests],
  });
}

// Builds an Authorization Code + PKCE (S256) request with fresh state and
// nonce. Returns { url, state, nonce, verifier }.
export async function authorizationRequest(config, redirectUri, extra = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  });
  return { url, state, nonce, verifier };
}
