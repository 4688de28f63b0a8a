// A real, tiny HTTP server on 127.0.0.1 standing in for a relying party's
// front end: it records every URL the browser is sent to and answers with a
// small page. Tests read what it recorded instead of intercepting the
// redirect inside the browser (Chromium's local-network checks and
// Playwright's routing do not mix well with redirects to 127.0.0.1).
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

import { closeServer, freePort, listenOn } from './net.mjs';

// Returns { origin, callbackUrl, logoutUrl, visits, nextVisit(), close() }.
// `visits` lists the full URLs received, oldest first.
export async function startRelyingParty() {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const visits = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, origin);
    // The browser asks for an icon on its own; that is no visit.
    if (url.pathname === '/favicon.ico') {
      res.writeHead(404).end();
      return;
    }
    visits.push(url);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end('<!doctype html><link rel="icon" href="data:,"><title>relying party</title><p id="relying-party">received</p>');
  });
  await listenOn(server, port);

  // Waits for the first visit to `pathname` after the `since`-th visit and
  // returns its URL, or throws after `timeoutMs` with `describe()` appended.
  const nextVisit = async (pathname, { since = 0, timeoutMs = 10_000, describe = async () => '' } = {}) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const hit = visits.slice(since).find((url) => url.pathname === pathname);
      if (hit) return hit;
      await sleep(50);
    }
    const seen = visits.slice(since).map((url) => url.pathname).join(', ') || 'nothing';
    throw new Error(`the relying party received no request for ${pathname} within ${timeoutMs} ms (received: ${seen})${await describe()}`);
  };

  return {
    origin,
    callbackUrl: `${origin}/callback`,
    logoutUrl: `${origin}/logged-out`,
    visits,
    nextVisit,
    close: () => closeServer(server),
  };
}
