// The authorization code flow with PKCE as an openid-client relying party
// runs it, the user logging in through the broker's login page over plain
// HTTP (no browser). For tests that need a user's tokens quickly.
import * as oidc from 'openid-client';

import { logInOverHttp } from './http-login.mjs';

// `config` is an openid-client Configuration; returns { tokens, callback,
// verifier, state } so that a test can also look for them elsewhere (logs).
// `cookies` (a Map) receives the broker's cookies, as logInOverHttp says.
export async function codeFlowOverHttp(config, user, { redirectUri, scope = 'openid offline_access', cookies }) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri, scope, state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  const callback = await logInOverHttp(url, user, { cookies });
  const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
  return { tokens, callback, verifier, state };
}
