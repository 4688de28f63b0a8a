// The peer for compare.mjs: the npm oidc-provider (the version pinned in
// bench/package.json) set up as close to the broker's bench config as it
// goes, in its own process so its memory and CPU can be read from /proc.
//
//   NODE_ENV=production node bench/oidc-provider-peer.mjs '<json settings>'
//
// Settings: { port, alg: 'RS256' | 'ES256', web: {client_id, client_secret,
// redirect_uri}, machine: {client_id, client_secret}, user }. Prints
// `ready <issuer>` on stdout once it listens on 127.0.0.1.
//
// What is configured, to match the broker: two confidential clients
// (client_secret_basic), one for client_credentials, one for the code flow
// with refresh tokens; refresh-token rotation on every use; access tokens as
// JWTs for one resource server (features.resourceIndicators, accessTokenFormat
// 'jwt') signed with the run's algorithm, as are ID tokens; web_message on;
// PKCE S256. The login is a stand-in: GET /interaction/:uid logs the fixture
// user in at once (compare.mjs logs in once to get a session, the load never
// touches it), and the first authorization grants the client's scopes
// (loadExistingGrant), as a first-party client without a consent screen.
// Storage is the library's in-memory adapter (on an unbounded store, below):
// it has no durable store of its own, which the results must say.
import { generateKeyPairSync } from 'node:crypto';

import Provider from 'oidc-provider';
import { setStorage } from 'oidc-provider/lib/adapters/memory_adapter.js';

// The in-memory adapter keeps its entries in an LRU of 1,000: under load it
// drops codes between their issue and their exchange (invalid_grant), and
// the session itself in time. This store keeps everything until it expires,
// as the broker's store does; the adapter calls set(key, value, ms).
class UnboundedStore {
  #entries = new Map();

  get(key) {
    const entry = this.#entries.get(key);
    if (entry && entry.expires && entry.expires < Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry?.value;
  }

  set(key, value, ms) {
    this.#entries.set(key, { value, expires: typeof ms === 'number' && ms > 0 ? Date.now() + ms : 0 });
  }

  delete(key) {
    this.#entries.delete(key);
  }
}
setStorage(new UnboundedStore());

const settings = JSON.parse(process.argv[2]);
const issuer = `http://127.0.0.1:${settings.port}`;
const kResource = `${issuer}/bench-api`;
const kScope = 'openid email offline_access';

function signingKey(alg) {
  const pair = alg === 'ES256'
    ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
    : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...pair.privateKey.export({ format: 'jwk' }), alg, use: 'sig', kid: `bench-${alg.toLowerCase()}` };
}

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: settings.web.client_id, client_secret: settings.web.client_secret,
      redirect_uris: [settings.web.redirect_uri], response_types: ['code'],
      grant_types: ['authorization_code', 'refresh_token'], token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: settings.alg,
    },
    {
      client_id: settings.machine.client_id, client_secret: settings.machine.client_secret,
      redirect_uris: [], response_types: [], grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_basic', id_token_signed_response_alg: settings.alg,
    },
  ],
  jwks: { keys: [signingKey(settings.alg)] },
  cookies: { keys: ['bench-fixture-cookie-key'] },  // benchmark fixture only
  findAccount: (ctx, sub) => ({
    accountId: sub,
    claims: () => ({ sub, email: settings.user.email, email_verified: true }),
  }),
  claims: { email: ['email', 'email_verified'] },
  scopes: ['openid', 'email', 'offline_access'],
  pkce: { methods: ['S256'], required: () => true },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    webMessageResponseMode: { enabled: true, ack: 'individual-draft-01' },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => kResource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'api', audience: kResource, accessTokenFormat: 'jwt', accessTokenTTL: 3600,
        jwt: { sign: { alg: settings.alg } },
      }),
    },
  },
  // Every code exchange starts a refresh-token family (the broker issues one
  // for offline_access whatever the prompt; the library would drop
  // offline_access without prompt=consent).
  issueRefreshToken: (ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: () => true,
  ttl: { AccessToken: 3600, AuthorizationCode: 600, RefreshToken: 86400, ClientCredentials: 3600, Session: 86400, Grant: 86400, Interaction: 600 },
  loadExistingGrant: async (ctx) => {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope(kScope);
    grant.addOIDCClaims(['email', 'email_verified']);
    grant.addResourceScope(kResource, 'api');
    await grant.save();
    return grant;
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
});

// The stand-in login: the fixture user, no form.
provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)$/);
  if (ctx.method !== 'GET' || !match) return next();
  return provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: settings.user.email } },
                                      { mergeWithLastSubmission: false });
});

provider.listen(settings.port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
