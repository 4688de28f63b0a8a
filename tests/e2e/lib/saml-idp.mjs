// A real SAML 2.0 identity provider for the browser tests: the npm `samlify`
// (2.13) as the IdP, on 127.0.0.1 in the test process, signing with the
// TEST-ONLY key of fixtures/saml. It learns its service provider (the
// broker) from the SP metadata URL it is given, when the first AuthnRequest
// arrives. AuthnRequests come by the HTTP-Redirect binding at /sso and are
// checked against the SAML 2.0 XML schemas (xmllint compiled to JavaScript,
// so it works offline). The IdP shows a login form of its own and keeps a
// session cookie of its own: a second AuthnRequest is answered without the
// form, unless it says ForceAuthn="true". It answers by the HTTP-POST
// binding: an auto-submitting form carrying RelayState unchanged and a
// Response whose one Assertion is signed (enveloped, exclusive c14n,
// RSA-SHA256, SHA-256 digest), with the subject's e-mail as NameID, the
// bearer confirmation, audience, AuthnStatement (the user's authentication
// context class) and attributes email, firstName, lastName, displayName
// (those the user has).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import xmllint from '@authenio/samlify-node-xmllint';
import samlify from 'samlify';

import { repoRoot } from './env.mjs';
import { escapeHtml, readForm } from './forms.mjs';
import { closeServer, freePort, listenOn } from './net.mjs';

export const kPasswordProtectedTransport = 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport';
export const kRefedsMfa = 'https://refeds.org/profile/mfa';

const kEmailAddress = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const kSessionCookie = 'corp_saml_idp_session';
// How long a Response, its assertion and its subject confirmation are valid.
const kValidityMs = 5 * 60 * 1000;

// node-xmllint (emscripten) adds a process-wide uncaughtException listener
// on every run; what it added is removed again after each validation.
const schemaValidator = {
  validate: async (xml) => {
    const before = new Set(process.listeners('uncaughtException'));
    try {
      return await xmllint.validate(xml);
    } finally {
      for (const listener of process.listeners('uncaughtException')) {
        if (!before.has(listener)) process.removeListener('uncaughtException', listener);
      }
    }
  },
};
samlify.setSchemaValidator(schemaValidator);

// The attributes an assertion may carry: SAML attribute name = the user's
// field. A user without the field gets no such attribute.
const kAttributes = ['email', 'firstName', 'lastName', 'displayName'];

// samlify's default login response has no AuthnStatement; the IdP makes its
// Responses from this one instead (through samlify's customTagReplacement).
const kResponseTemplate = '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
  + 'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{ID}" Version="2.0" '
  + 'IssueInstant="{IssueInstant}" Destination="{Destination}" InResponseTo="{InResponseTo}">'
  + '<saml:Issuer>{Issuer}</saml:Issuer>'
  + '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
  + '<saml:Assertion xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
  + 'xmlns:xs="http://www.w3.org/2001/XMLSchema" ID="{AssertionID}" Version="2.0" IssueInstant="{IssueInstant}">'
  + '<saml:Issuer>{Issuer}</saml:Issuer>'
  + '<saml:Subject><saml:NameID Format="{NameIDFormat}">{NameID}</saml:NameID>'
  + '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
  + '<saml:SubjectConfirmationData NotOnOrAfter="{NotOnOrAfter}" Recipient="{Destination}" '
  + 'InResponseTo="{InResponseTo}"/></saml:SubjectConfirmation></saml:Subject>'
  + '<saml:Conditions NotBefore="{IssueInstant}" NotOnOrAfter="{NotOnOrAfter}">'
  + '<saml:AudienceRestriction><saml:Audience>{Audience}</saml:Audience></saml:AudienceRestriction>'
  + '</saml:Conditions>'
  + '<saml:AuthnStatement AuthnInstant="{AuthnInstant}" SessionIndex="{SessionIndex}">'
  + '<saml:AuthnContext><saml:AuthnContextClassRef>{AuthnContextClassRef}</saml:AuthnContextClassRef>'
  + '</saml:AuthnContext></saml:AuthnStatement>'
  + '{AttributeStatement}'
  + '</saml:Assertion></samlp:Response>';

function readFixture(name) {
  return readFileSync(path.join(repoRoot, 'fixtures', 'saml', name), 'utf8');
}

function newId() {
  return `_${randomUUID()}`;
}

function makeIdentityProvider({ entityId, ssoUrl }) {
  return samlify.IdentityProvider({
    entityID: entityId,
    privateKey: readFixture('test-idp.key.pem'),
    signingCert: readFixture('test-idp.cert.pem'),
    singleSignOnService: [{ Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', Location: ssoUrl }],
    nameIDFormat: [kEmailAddress],
    wantAuthnRequestsSigned: false,
  });
}

// samlify's AttributeStatement for the fields `user` has, each value as a
// tag {attr<Name>}; none when the user has none.
function attributeStatement(user) {
  const present = kAttributes.filter((name) => user[name] !== undefined);
  if (present.length === 0) return '';
  return samlify.SamlLib.attributeStatementBuilder(present.map((name) => ({
    name,
    valueTag: name,
    nameFormat: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
    valueXsiType: 'xs:string',
  })));
}

// The Response XML (unsigned) for `user` signed in at the IdP (`login`:
// { authnInstant, sessionIndex }), answering `request`.
function responseXml({ idp, sp, request, user, login }) {
  const now = new Date();
  const tags = {
    ID: newId(),
    AssertionID: newId(),
    IssueInstant: now.toISOString(),
    NotOnOrAfter: new Date(now.getTime() + kValidityMs).toISOString(),
    Destination: sp.entityMeta.getAssertionConsumerService('post'),
    InResponseTo: request.id,
    Issuer: idp.entityMeta.getEntityID(),
    Audience: sp.entityMeta.getEntityID(),
    NameIDFormat: kEmailAddress,
    NameID: user.email,
    AuthnInstant: login.authnInstant,
    SessionIndex: login.sessionIndex,
    AuthnContextClassRef: user.authnContext ?? kPasswordProtectedTransport,
  };
  for (const name of kAttributes) tags[`attr${name[0].toUpperCase()}${name.slice(1)}`] = user[name];
  const template = kResponseTemplate.replace('{AttributeStatement}', attributeStatement(user));
  return samlify.SamlLib.replaceTagsByValue(template, tags);
}

function htmlPage(title, body, status = 200) {
  return {
    status,
    html: `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`,
  };
}

function loginPage(pendingId, error = '') {
  return htmlPage('Corp SAML IdP sign-in', `<h1>Corp SAML IdP</h1>
${error ? `<p id="idp-error">${escapeHtml(error)}</p>` : ''}
<form id="idp-login" method="post" action="/login">
<input type="hidden" name="pending" value="${escapeHtml(pendingId)}">
<input name="login" autocomplete="username"><input name="password" type="password" autocomplete="current-password">
<button type="submit" name="submit">Sign in</button></form>`);
}

// The HTTP-POST binding: a form the browser submits to the ACS at once.
function postBindingPage(acsUrl, samlResponse, relayState) {
  const relay = relayState === null ? '' : `<input type="hidden" name="RelayState" value="${escapeHtml(relayState)}">`;
  return htmlPage('Corp SAML IdP: back to the application', `
<form id="saml-post" method="post" action="${escapeHtml(acsUrl)}">
<input type="hidden" name="SAMLResponse" value="${escapeHtml(samlResponse)}">${relay}
<noscript><button type="submit">Continue</button></noscript></form>
<script>document.getElementById('saml-post').submit();</script>`);
}

// ForceAuthn is an xs:boolean: "true" or "1".
function forceAuthnOf(authnRequestXml) {
  const { forceAuthn } = samlify.Extractor.extract(authnRequestXml, [
    { key: 'forceAuthn', localPath: ['AuthnRequest'], attributes: ['ForceAuthn'] },
  ]);
  return forceAuthn === 'true' || forceAuthn === '1';
}

function cookieValue(req, name) {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

// `users` [{ login, password, email, firstName, lastName, displayName,
// authnContext? }] (authnContext defaults to PasswordProtectedTransport);
// `spMetadataUrl` where the broker serves its SP metadata. Returns { url,
// entityId, ssoUrl, metadataUrl, requests, responses, spMetadataFetches(),
// serviceProvider(), stop() }. `requests` lists the AuthnRequests received,
// oldest first, as { id, issuer, destination, acsUrl, forceAuthn, signed,
// relayState, answer: 'form' | 'session' | 'refused', error? }; `responses`
// the Response XML sent, with the id of the request it answers.
export async function startSamlIdp({ users, spMetadataUrl, port: fixedPort }) {
  const port = fixedPort ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const entityId = `${url}/metadata`;
  const ssoUrl = `${url}/sso`;
  const idp = makeIdentityProvider({ entityId, ssoUrl });
  // xmllint's first run takes seconds (it is compiled then): done now, so
  // that no browser waits for it.
  await schemaValidator.validate(`<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${entityId}</saml:Issuer>`);
  const requests = [];
  const responses = [];
  const sessions = new Map(); // cookie value -> { user, login: { authnInstant, sessionIndex } }
  const pending = new Map(); // hidden form field -> the request awaiting a login
  let sp;
  let spMetadataFetches = 0;

  const serviceProvider = async () => {
    if (sp) return sp;
    const response = await fetch(spMetadataUrl);
    if (!response.ok) throw new Error(`SP metadata at ${spMetadataUrl}: HTTP ${response.status}`);
    spMetadataFetches += 1;
    sp = samlify.ServiceProvider({ metadata: await response.text() });
    return sp;
  };

  const answerWithResponse = async (request, session) => {
    const { context } = await idp.createLoginResponse(sp, { extract: { request: { id: request.id } } }, 'post',
      session.user, {
        customTagReplacement: () => ({ context: responseXml({ idp, sp, request, ...session }) }),
      });
    responses.push({ inResponseTo: request.id, xml: Buffer.from(context, 'base64').toString('utf8') });
    return postBindingPage(sp.entityMeta.getAssertionConsumerService('post'), context, request.relayState);
  };

  // GET /sso?SAMLRequest=...&RelayState=...: parse and schema-check the
  // AuthnRequest, then answer from the IdP session or show the login form.
  const sso = async (req, searchParams) => {
    const provider = await serviceProvider();
    const query = Object.fromEntries(searchParams);
    const request = {
      relayState: searchParams.get('RelayState'),
      signed: searchParams.has('Signature') && searchParams.has('SigAlg'),
    };
    requests.push(request);
    let parsed;
    try {
      parsed = await idp.parseLoginRequest(provider, 'redirect', { query });
    } catch (error) {
      Object.assign(request, { answer: 'refused', error: String(error?.message ?? error) });
      return htmlPage('Corp SAML IdP: bad request', `<p id="idp-error">AuthnRequest refused: ${escapeHtml(request.error)}</p>`, 400);
    }
    Object.assign(request, {
      id: parsed.extract.request.id,
      issuer: parsed.extract.issuer,
      destination: parsed.extract.request.destination,
      acsUrl: parsed.extract.request.assertionConsumerServiceUrl,
      forceAuthn: forceAuthnOf(parsed.samlContent),
    });
    const session = sessions.get(cookieValue(req, kSessionCookie));
    if (session && !request.forceAuthn) {
      request.answer = 'session';
      return answerWithResponse(request, session);
    }
    request.answer = 'form';
    const pendingId = randomUUID();
    pending.set(pendingId, request);
    return loginPage(pendingId);
  };

  // POST /login: the IdP's own form. A right password opens an IdP session.
  const login = async (req, res) => {
    const form = await readForm(req);
    const request = pending.get(form.get('pending'));
    if (!request) return htmlPage('Corp SAML IdP', '<p id="idp-error">No sign-in in progress</p>', 400);
    const user = users.find((u) => u.login === form.get('login') && u.password === form.get('password'));
    if (!user) return loginPage(form.get('pending'), 'Wrong login or password');
    pending.delete(form.get('pending'));
    const cookie = randomUUID();
    const session = { user, login: { authnInstant: new Date().toISOString(), sessionIndex: newId() } };
    sessions.set(cookie, session);
    res.setHeader('set-cookie', `${kSessionCookie}=${cookie}; Path=/; HttpOnly; SameSite=Lax`);
    return answerWithResponse(request, session);
  };

  const route = async (req, res) => {
    const { pathname, searchParams } = new URL(req.url, url);
    if (req.method === 'GET' && pathname === '/metadata') {
      return { status: 200, type: 'application/samlmetadata+xml', html: idp.getMetadata() };
    }
    if (req.method === 'GET' && pathname === '/sso') return sso(req, searchParams);
    if (req.method === 'POST' && pathname === '/login') return login(req, res);
    return { status: 404, type: 'text/plain', html: 'not found' };
  };

  const server = http.createServer((req, res) => {
    route(req, res).then(({ status, type, html }) => {
      res.writeHead(status, { 'content-type': `${type ?? 'text/html'}; charset=utf-8`, 'cache-control': 'no-store' });
      res.end(html);
    }, (error) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`SAML IdP failed: ${error.stack}`);
    });
  });
  await listenOn(server, port);

  return {
    url,
    port,
    entityId,
    ssoUrl,
    metadataUrl: `${url}/metadata`,
    requests,
    responses,
    spMetadataFetches: () => spMetadataFetches,
    // The SP as the IdP read it from the broker's metadata (once an
    // AuthnRequest has arrived).
    serviceProvider: () => sp && {
      entityId: sp.entityMeta.getEntityID(),
      acsUrl: sp.entityMeta.getAssertionConsumerService('post'),
      wantAssertionsSigned: sp.entityMeta.isWantAssertionsSigned(),
    },
    stop: () => closeServer(server),
  };
}
