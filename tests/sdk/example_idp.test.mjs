// The example IdP (fixtures/example_connector/example-idp.mjs) keeps the
// promises its connector and the browser tests rely on: the page's hooks,
// the registered redirect URI, the client secret, and single-use codes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startExampleIdp } from '../../fixtures/example_connector/example-idp.mjs';

// Secrets here are test fixtures.
const client = { client_id: 'example-client', client_secret: 'example-secret-fixture' };
const callback = 'http://127.0.0.1:9/login/callback';
let idp;

before(async () => {
  idp = await startExampleIdp({
    clientId: client.client_id,
    clientSecret: client.client_secret,
    redirectUri: callback,
  });
});
after(() => idp.stop());

const post = (path, form) =>
  fetch(idp.url + path, { method: 'POST', redirect: 'manual', body: new URLSearchParams(form) });

async function approve(user = 'ex-1001', state = 'st-1') {
  const res = await post('/authorize/approve', { client_id: client.client_id, redirect_uri: callback, state, user });
  assert.equal(res.status, 302);
  return new URL(res.headers.get('location'));
}

test('the login page has a button per user and a cancel button, carrying the request', async () => {
  const query = new URLSearchParams({ client_id: client.client_id, redirect_uri: callback, state: 'a"b' });
  const res = await fetch(`${idp.url}/authorize?${query}`);
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /<button[^>]* data-user="ex-1001"/);
  assert.match(html, /<button[^>]* data-user="ex-1002"/);
  assert.match(html, /<button[^>]* data-action="cancel"/);
  assert.match(html, /name="state" value="a&quot;b"/);
});

test('an unknown client or an unregistered redirect URI gets an error page, not a redirect', async () => {
  for (const [client_id, redirect_uri] of [
    ['someone-else', callback],
    [client.client_id, 'http://127.0.0.1:9/elsewhere'],
  ]) {
    const res = await fetch(`${idp.url}/authorize?${new URLSearchParams({ client_id, redirect_uri, state: 's' })}`);
    assert.equal(res.status, 400, `${client_id} ${redirect_uri}`);
  }
});

test('approve returns a code and the state; the token endpoint answers the user once', async () => {
  const back = await approve('ex-1001', 'st-1');
  assert.equal(back.origin + back.pathname, callback);
  assert.equal(back.searchParams.get('state'), 'st-1');
  const form = { ...client, code: back.searchParams.get('code'), redirect_uri: callback };
  const first = await post('/token', form);
  assert.equal(first.status, 200);
  assert.deepEqual(await first.json(), {
    sub: 'ex-1001',
    email: 'ada@example.test',
    email_verified: true,
    name: 'Ada Lovelace',
  });
  const again = await post('/token', form);
  assert.equal(again.status, 400);
  assert.deepEqual(await again.json(), { error: 'invalid_grant' });
});

test('the token endpoint checks the secret and the redirect URI', async () => {
  const code = (await approve()).searchParams.get('code');
  const wrongSecret = await post('/token', { ...client, client_secret: 'wrong', code, redirect_uri: callback });
  assert.equal(wrongSecret.status, 401);
  const wrongRedirect = await post('/token', { ...client, code, redirect_uri: 'http://127.0.0.1:9/other' });
  assert.equal(wrongRedirect.status, 400);
});

test('cancel returns access_denied with the state', async () => {
  const res = await post('/authorize/cancel', { client_id: client.client_id, redirect_uri: callback, state: 'st-2' });
  assert.equal(res.status, 302);
  const back = new URL(res.headers.get('location'));
  assert.equal(back.searchParams.get('error'), 'access_denied');
  assert.equal(back.searchParams.get('state'), 'st-2');
  assert.equal(back.searchParams.get('code'), null);
});
