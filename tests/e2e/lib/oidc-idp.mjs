// A real upstream OpenID Connect provider for the browser tests: the npm
// `oidc-provider` (8.8) on 127.0.0.1 in the test process, with its own
// interactions (a login form of its own; consent given without a page) and
// its own session cookie. rotateKeys() replaces the provider with one whose
// JWKS has a new signing key first (the old one kept after it), as an IdP
// rotating its keys would; sessions live on, in the provider's memory store.
import http from 'node:http';

import * as jose from 'jose';
import Provider from 'oidc-provider';

import { escapeHtml, readForm } from './forms.mjs';
import { closeServer, freePort, listenOn } from './net.mjs';

// A fresh RS256 private JWK with `kid`.
export async function newSigningKey(kid) {
  const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  return { ...(await jose.exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
}

function loginPage(uid, error = '') {
  return `<!doctype html><title>Corp IdP sign-in</title>
<h1>Corp IdP</h1>${error ? `<p id="idp-error">${escapeHtml(error)}</p>` : ''}
<form id="idp-login" method="post" action="/interaction/${escapeHtml(uid)}/login">
<input name="login" autocomplete="username"><input name="password" type="password" autocomplete="current-password">
<button type="submit" name="submit">Sign in</button></form>`;
}

// `clients` as oidc-provider registers them; `users` [{ sub, login,
// password, email, name }]. Returns { url, port, authorizations, jwksRequests(),
// rotateKeys(), stop() }: `authorizations` lists the query of every
// authorization request, oldest first.
export async function startOidcIdp({ clients, users, port: fixedPort }) {
  const port = fixedPort ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const authorizations = [];
  let jwksRequests = 0;
  let keys = [await newSigningKey('corp-key-1')];

  const findAccount = async (ctx, sub) => {
    const user = users.find((u) => u.sub === sub);
    if (!user) return undefined;
    return {
      accountId: sub,
      claims: async () => ({ sub, email: user.email, email_verified: true, name: user.name }),
    };
  };

  const makeProvider = () => {
    const provider = new Provider(url, {
      clients,
      jwks: { keys },
      findAccount,
      // Test fixture: signs the provider's own cookies.
      cookies: { keys: ['test-fixture-idp-cookie-key'] },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
      pkce: { required: () => true },
      // Lifetimes in seconds, long enough for one test file.
      ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
      features: {
        devInteractions: { enabled: false },
        rpInitiatedLogout: {
          enabled: true,
          logoutSource: async (ctx, form) => {
            ctx.body = `<!doctype html><title>Corp IdP sign-out</title>${form}
<button id="idp-logout-yes" type="submit" form="op.logoutForm" value="yes" name="logout">Sign out</button>`;
          },
        },
      },
    });
    provider.on('server_error', (ctx, error) => {
      if (process.env.PASSERELLE_E2E_VERBOSE) process.stderr.write(`oidc-provider: ${error.stack}\n`);
    });
    return provider;
  };
  let provider = makeProvider();

  // The provider's interactions: a login form, and consent granted at once
  // for what the client asked (oidc-provider's documented Grant API).
  const interact = async (req, res, path) => {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'POST' && path.endsWith('/login')) {
      const form = await readForm(req);
      const user = users.find((u) => u.login === form.get('login') && u.password === form.get('password'));
      if (!user) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(loginPage(details.uid, 'Wrong login or password'));
        return;
      }
      await provider.interactionFinished(req, res, {
        login: { accountId: user.sub, amr: ['pwd'], acr: 'urn:e2e:corp:password' },
      }, { mergeWithLastSubmission: false });
      return;
    }
    if (details.prompt.name === 'login') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(loginPage(details.uid));
      return;
    }
    const { prompt: { details: missing }, params, session: { accountId }, grantId } = details;
    const grant = grantId
      ? await provider.Grant.find(grantId)
      : new provider.Grant({ accountId, clientId: params.client_id });
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } },
      { mergeWithLastSubmission: true });
  };

  const server = http.createServer((req, res) => {
    const { pathname, searchParams } = new URL(req.url, url);
    if (pathname === '/auth') authorizations.push(searchParams);
    if (pathname === '/jwks') jwksRequests += 1;
    if (pathname.startsWith('/interaction/')) {
      interact(req, res, pathname).catch((error) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`interaction failed: ${error.message}`);
      });
      return;
    }
    provider.callback()(req, res);
  });
  await listenOn(server, port);

  return {
    url,
    port,
    authorizations,
    jwksRequests: () => jwksRequests,
    // Returns the new key's kid.
    rotateKeys: async () => {
      const fresh = await newSigningKey(`corp-key-${keys.length + 1}`);
      keys = [fresh, ...keys];
      provider = makeProvider();
      return fresh.kid;
    },
    stop: () => closeServer(server),
  };
}
