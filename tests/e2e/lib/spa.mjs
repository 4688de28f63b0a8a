// The StoreZero single-page app (fixtures/spa) served in this process on a
// 127.0.0.1 port, the public client that registers it at the broker, and a
// bare page server standing for some other web site.
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { repoRoot } from './env.mjs';
import { closeServer, freePort, listenOn } from './net.mjs';

// A single-page app: a public client whose pages at `origin` may receive
// authorization responses by postMessage (response_mode=web_message).
export function spaClient(origin, clientId = 'e2e-spa') {
  return {
    client_id: clientId,
    name: 'End-to-end single-page app',
    app_type: 'spa',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    redirect_uris: [`${origin}/callback`],
    allowed_web_origins: [origin],
    allowed_logout_urls: [`${origin}/`],
  };
}

async function listen(server, port) {
  await listenOn(server, port);
  return () => closeServer(server);
}

// Serves fixtures/spa with its own request handler for `issuer` and
// `clientId` at http://127.0.0.1:<port>. Returns { url, origin, callbackUrl,
// close() }; `url` ends with "/".
export async function startSpa({ issuer, clientId, port }) {
  const spaPort = port ?? (await freePort());
  const origin = `http://127.0.0.1:${spaPort}`;
  const module = await import(pathToFileURL(path.join(repoRoot, 'fixtures', 'spa', 'server.mjs')).href);
  const server = module.createSpaServer({ issuer, clientId, port: spaPort, baseUrl: origin });
  const close = await listen(server, spaPort);
  return { url: `${origin}/`, origin, callbackUrl: `${origin}/callback`, close };
}

// A web site on another origin: `http://${host}:<port>` (listening on
// 127.0.0.1; "localhost" makes it a different origin and site from the
// broker's 127.0.0.1). setPage(pathname, html) decides what it serves.
// Returns { origin, setPage(), close() }.
export async function startOtherSite({ host = 'localhost' } = {}) {
  const port = await freePort();
  const origin = `http://${host}:${port}`;
  const pages = new Map();
  const server = http.createServer((req, res) => {
    req.resume();
    const html = pages.get(new URL(req.url, origin).pathname);
    if (html === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html);
  });
  const close = await listen(server, port);
  return { origin, setPage: (pathname, html) => pages.set(pathname, html), close };
}

// Where the SPA page is: waits until it has decided whether someone is
// signed in and returns { state, reason, email, text, problem }: state is
// "signed-in" or "signed-out" (or "unavailable" without the SDK), reason the
// OAuth error behind "signed-out", problem the alert shown, if any.
export async function spaStatus(page) {
  const status = page.locator('#status:not([data-state="checking"])');
  await status.waitFor();
  const problem = page.locator('#problem');
  return {
    state: await status.getAttribute('data-state'),
    reason: (await status.getAttribute('data-reason')) || '',
    email: (await status.locator('[data-user-email]').count()) > 0
      ? (await status.locator('[data-user-email]').textContent()).trim()
      : null,
    text: (await status.textContent()).trim(),
    problem: (await problem.isVisible()) ? (await problem.textContent()).trim() : '',
  };
}
