/*
 * Passerelle SPA SDK: signs a single-page application in through a Passerelle
 * broker with the Authorization Code flow and PKCE (S256), and renews tokens
 * with silent authentication (a hidden iframe calling /authorize with
 * prompt=none and response_mode=web_message; the broker answers through
 * postMessage), or with refresh tokens when asked to.
 *
 * A classic script, no build step: load it with
 *   <script src="https://broker.example/sdk/passerelle-spa.js"></script>
 * and use window.Passerelle.createClient({ domain, clientId, redirectUri }).
 *
 * Tokens are kept in memory only (never in localStorage or sessionStorage):
 * a reload forgets them and getTokenSilently() fetches new ones from the
 * broker session. Only the short-lived state of one redirect round trip
 * (state, nonce, PKCE verifier, appState) goes to sessionStorage, and it is
 * removed when the callback is handled.
 */
(function (global) {
  'use strict';

  var kStoragePrefix = 'passerelle.tx.';
  // Tokens are renewed this long before they expire.
  var kExpiryMarginMs = 30 * 1000;
  // Allowed clock difference when checking the ID token's exp and iat.
  var kClockSkewSeconds = 60;
  // Errors of prompt=none that mean "the user has to interact at the broker".
  var kInteractionErrors = ['login_required', 'consent_required', 'interaction_required', 'account_selection_required'];

  // An OAuth or SDK error. `error` is the OAuth error code (login_required,
  // invalid_grant, ...) or one of the SDK's own: timeout, invalid_state,
  // invalid_issuer, invalid_id_token, missing_transaction, network_error.
  class AuthError extends Error {
    constructor(error, description) {
      super(description ? error + ': ' + description : error);
      this.name = 'AuthError';
      this.error = error;
      this.error_description = description || '';
    }
  }

  function base64url(bytes) {
    var binary = '';
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function randomString() {
    var bytes = new Uint8Array(32);
    crypto.getRandomValues(bytes);
    return base64url(bytes);
  }

  async function pkceChallenge(verifier) {
    var digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
    return base64url(new Uint8Array(digest));
  }

  function decodeJwtPayload(token) {
    var parts = String(token).split('.');
    if (parts.length !== 3) throw new AuthError('invalid_id_token', 'the ID token is not a JWS in compact form');
    try {
      var b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
      while (b64.length % 4) b64 += '=';
      var binary = atob(b64);
      var bytes = new Uint8Array(binary.length);
      for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      var claims = JSON.parse(new TextDecoder().decode(bytes));
      if (!claims || typeof claims !== 'object') throw new Error('not an object');
      return claims;
    } catch (e) {
      throw new AuthError('invalid_id_token', 'the ID token payload cannot be decoded');
    }
  }

  function trimSlash(url) {
    return String(url).replace(/\/+$/, '');
  }

  function createClient(options) {
    options = options || {};
    if (!options.domain) throw new TypeError('createClient: `domain` (the issuer URL) is required');
    if (!options.clientId) throw new TypeError('createClient: `clientId` is required');
    if (!options.redirectUri) throw new TypeError('createClient: `redirectUri` is required');

    var issuer = trimSlash(options.domain);
    var issuerOrigin = new URL(issuer).origin;
    var clientId = String(options.clientId);
    var redirectUri = String(options.redirectUri);
    var useRefreshTokens = Boolean(options.useRefreshTokens);
    var audience = options.audience ? String(options.audience) : '';
    var silentTimeoutMs = options.silentTimeoutMs > 0 ? Number(options.silentTimeoutMs) : 10000;
    var scope = options.scope ? String(options.scope) : 'openid profile email';
    if (scope.split(/\s+/).indexOf('openid') < 0) scope = 'openid ' + scope;
    if (useRefreshTokens && scope.split(/\s+/).indexOf('offline_access') < 0) scope += ' offline_access';

    // Everything the client knows, in memory only.
    var cache = null; // { accessToken, expiresAt, idToken, claims, refreshToken, scope }
    var pendingSilent = null; // one silent renewal at a time, shared by concurrent callers

    // A fresh authorization request: PKCE verifier, state and nonce.
    async function newTransaction(extra) {
      var tx = {
        state: randomString(),
        nonce: randomString(),
        verifier: randomString(),
        redirectUri: redirectUri,
      };
      var params = new URLSearchParams({
        client_id: clientId,
        response_type: 'code',
        redirect_uri: redirectUri,
        scope: scope,
        state: tx.state,
        nonce: tx.nonce,
        code_challenge: await pkceChallenge(tx.verifier),
        code_challenge_method: 'S256',
      });
      if (audience) params.set('audience', audience);
      Object.keys(extra || {}).forEach(function (name) {
        if (extra[name] !== undefined && extra[name] !== null && extra[name] !== '') params.set(name, String(extra[name]));
      });
      return { tx: tx, url: issuer + '/authorize?' + params.toString() };
    }

    async function tokenRequest(form) {
      form.client_id = clientId;
      var response;
      try {
        response = await fetch(issuer + '/oauth/token', {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form).toString(),
          credentials: 'omit',
          cache: 'no-store',
        });
      } catch (e) {
        throw new AuthError('network_error', 'the token endpoint could not be reached (' + e.message + ')');
      }
      var body = null;
      try {
        body = await response.json();
      } catch (e) {
        body = null;
      }
      if (!response.ok || !body || typeof body !== 'object') {
        if (body && body.error) throw new AuthError(String(body.error), body.error_description);
        throw new AuthError('server_error', 'the token endpoint answered with status ' + response.status);
      }
      if (typeof body.access_token !== 'string' || !body.access_token) {
        throw new AuthError('server_error', 'the token response has no access_token');
      }
      return body;
    }

    // Checks what a browser can check of an ID token (OpenID Connect Core
    // 3.1.3.7): iss, aud/azp, exp, iat and nonce. The signature is not
    // verified here: the token came straight from the token endpoint over a
    // connection the browser opened to the issuer itself (Core 3.1.3.7 item 6
    // lets the TLS server identity stand in for the signature in that case).
    // An application that forwards ID tokens to a back end must have the back
    // end verify them against the broker's JWKS.
    function checkIdToken(idToken, expectedNonce) {
      var claims = decodeJwtPayload(idToken);
      var now = Math.floor(Date.now() / 1000);
      if (claims.iss !== issuer) throw new AuthError('invalid_id_token', 'unexpected issuer ' + claims.iss);
      var aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      if (aud.indexOf(clientId) < 0) throw new AuthError('invalid_id_token', 'the ID token is not for this client');
      if (aud.length > 1 && claims.azp !== clientId) throw new AuthError('invalid_id_token', 'azp is not this client');
      if (typeof claims.exp !== 'number' || claims.exp + kClockSkewSeconds < now) {
        throw new AuthError('invalid_id_token', 'the ID token has expired');
      }
      if (typeof claims.iat !== 'number' || claims.iat - kClockSkewSeconds > now) {
        throw new AuthError('invalid_id_token', 'the ID token was issued in the future');
      }
      if (typeof claims.sub !== 'string' || !claims.sub) throw new AuthError('invalid_id_token', 'the ID token has no sub');
      if (expectedNonce !== undefined && claims.nonce !== expectedNonce) {
        throw new AuthError('invalid_id_token', 'the nonce does not match this request');
      }
      return claims;
    }

    // Stores a token response in memory. A refresh response may come without
    // an ID token or a new refresh token: the previous ones are kept then.
    function remember(body, nonce) {
      var previous = cache;
      var claims;
      if (body.id_token) {
        claims = checkIdToken(body.id_token, nonce);
        if (previous && previous.claims && previous.claims.sub !== claims.sub) previous = null;
      } else if (previous && previous.claims) {
        claims = previous.claims;
      } else {
        throw new AuthError('invalid_id_token', 'the token response has no ID token');
      }
      var lifetime = Number(body.expires_in) > 0 ? Number(body.expires_in) : 60;
      cache = {
        accessToken: body.access_token,
        expiresAt: Date.now() + lifetime * 1000,
        idToken: body.id_token || (previous && previous.idToken) || null,
        claims: claims,
        refreshToken: body.refresh_token || (previous && previous.refreshToken) || null,
        scope: body.scope || scope,
      };
      return cache.accessToken;
    }

    function exchangeCode(code, tx) {
      return tokenRequest({
        grant_type: 'authorization_code',
        code: code,
        redirect_uri: tx.redirectUri,
        code_verifier: tx.verifier,
      }).then(function (body) {
        return remember(body, tx.nonce);
      });
    }

    // The parameters of one authorization response, checked against the
    // request it answers: state first, then the issuer (RFC 9207).
    function checkAuthorizationResponse(response, tx) {
      if (!response || typeof response !== 'object') throw new AuthError('invalid_response', 'empty authorization response');
      if (response.state !== tx.state) throw new AuthError('invalid_state', 'the state does not match this request');
      if (response.iss !== issuer) {
        throw new AuthError('invalid_issuer', 'the response names issuer ' + response.iss + ', expected ' + issuer);
      }
      if (response.error) throw new AuthError(String(response.error), response.error_description);
      if (!response.code) throw new AuthError('invalid_response', 'the authorization response has no code');
      return String(response.code);
    }

    // One hidden iframe at /authorize?prompt=none&response_mode=web_message;
    // resolves with the authorization response the broker posts to us.
    function authorizeInIframe(url) {
      return new Promise(function (resolve, reject) {
        var iframe = document.createElement('iframe');
        var timer = null;
        var done = false;
        function finish(fn, value) {
          if (done) return;
          done = true;
          clearTimeout(timer);
          global.removeEventListener('message', onMessage);
          if (iframe.parentNode) iframe.parentNode.removeChild(iframe);
          fn(value);
        }
        function onMessage(event) {
          // Only the broker's answer in our own iframe counts.
          if (event.origin !== issuerOrigin) return;
          if (event.source !== iframe.contentWindow) return;
          var data = event.data;
          if (!data || data.type !== 'authorization_response') return;
          finish(resolve, data.response);
        }
        global.addEventListener('message', onMessage);
        timer = setTimeout(function () {
          finish(reject, new AuthError('timeout', 'the broker did not answer the silent authentication within ' + silentTimeoutMs + ' ms'));
        }, silentTimeoutMs);
        iframe.setAttribute('aria-hidden', 'true');
        iframe.setAttribute('tabindex', '-1');
        iframe.setAttribute('title', 'Silent authentication');
        iframe.style.cssText = 'position:absolute;width:0;height:0;border:0;visibility:hidden;';
        iframe.src = url;
        (document.body || document.documentElement).appendChild(iframe);
      });
    }

    async function renewWithIframe() {
      var request = await newTransaction({ prompt: 'none', response_mode: 'web_message' });
      var response = await authorizeInIframe(request.url);
      var code;
      try {
        code = checkAuthorizationResponse(response, request.tx);
      } catch (e) {
        // The broker session is gone: so is what we knew about the user.
        if (kInteractionErrors.indexOf(e.error) >= 0) cache = null;
        throw e;
      }
      return exchangeCode(code, request.tx);
    }

    async function renewWithRefreshToken() {
      var body;
      try {
        body = await tokenRequest({ grant_type: 'refresh_token', refresh_token: cache.refreshToken });
      } catch (e) {
        // A refused refresh token is dropped; the broker session may still work.
        if (e.error === 'invalid_grant' && cache) cache.refreshToken = null;
        throw e;
      }
      return remember(body, undefined);
    }

    async function renew() {
      if (useRefreshTokens && cache && cache.refreshToken) {
        try {
          return await renewWithRefreshToken();
        } catch (e) {
          if (e.error !== 'invalid_grant') throw e;
        }
      }
      return renewWithIframe();
    }

    function transactionKey(state) {
      return kStoragePrefix + clientId + '.' + state;
    }

    function cleanLocation() {
      try {
        var current = new URL(global.location.href);
        ['code', 'state', 'iss', 'error', 'error_description', 'error_uri'].forEach(function (name) {
          current.searchParams.delete(name);
        });
        global.history.replaceState(global.history.state, '', current.pathname + current.search + current.hash);
      } catch (e) {
        // Not in a page with a history: nothing to clean.
      }
    }

    return {
      // Sends the browser to the broker's login (Authorization Code + PKCE).
      // `appState` comes back from handleRedirectCallback(); `prompt`,
      // `loginHint` and `maxAge` are passed to /authorize when given.
      loginWithRedirect: async function (opts) {
        opts = opts || {};
        var request = await newTransaction({ prompt: opts.prompt, login_hint: opts.loginHint, max_age: opts.maxAge });
        request.tx.appState = opts.appState === undefined ? null : opts.appState;
        sessionStorage.setItem(transactionKey(request.tx.state), JSON.stringify(request.tx));
        global.location.assign(request.url);
      },

      // Finishes a login started by loginWithRedirect() on the redirect URI's
      // page: checks state and iss, exchanges the code, checks the ID token,
      // and removes the response from the address bar. Resolves with
      // { appState }.
      handleRedirectCallback: async function (url) {
        var params = new URL(url === undefined ? global.location.href : String(url), global.location.href).searchParams;
        var state = params.get('state');
        var key = state ? transactionKey(state) : null;
        var stored = key ? sessionStorage.getItem(key) : null;
        if (key) sessionStorage.removeItem(key);
        try {
          if (!stored) throw new AuthError('missing_transaction', 'no login was started here with this state');
          var tx = JSON.parse(stored);
          var response = {};
          params.forEach(function (value, name) {
            response[name] = value;
          });
          var code = checkAuthorizationResponse(response, tx);
          await exchangeCode(code, tx);
          return { appState: tx.appState };
        } finally {
          cleanLocation();
        }
      },

      // An access token: the one in memory while it is valid, else a new one
      // from a refresh token (useRefreshTokens) or from the broker session
      // through a hidden iframe. Rejects with an AuthError; `login_required`
      // means the user must log in with loginWithRedirect().
      getTokenSilently: async function (opts) {
        opts = opts || {};
        if (!opts.ignoreCache && cache && cache.expiresAt - kExpiryMarginMs > Date.now()) return cache.accessToken;
        if (!pendingSilent) {
          pendingSilent = renew().finally(function () {
            pendingSilent = null;
          });
        }
        return pendingSilent;
      },

      // The ID token's claims, or null before a login.
      getUser: async function () {
        return cache && cache.claims ? Object.assign({}, cache.claims) : null;
      },

      // The raw ID token, or null.
      getIdToken: async function () {
        return cache ? cache.idToken : null;
      },

      isAuthenticated: async function () {
        return Boolean(cache && cache.claims);
      },

      // Forgets the tokens and ends the broker session through /v2/logout;
      // `returnTo` must be one of the client's allowed_logout_urls.
      logout: function (opts) {
        opts = opts || {};
        cache = null;
        var params = new URLSearchParams({ client_id: clientId });
        if (opts.returnTo) params.set('returnTo', String(opts.returnTo));
        global.location.assign(issuer + '/v2/logout?' + params.toString());
      },
    };
  }

  global.Passerelle = Object.freeze({ createClient: createClient, AuthError: AuthError });
})(window);
