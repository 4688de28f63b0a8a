// Network utilities: free loopback ports and waiting for a server to answer.
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

// Returns a TCP port that was free on 127.0.0.1 a moment ago: the kernel picks
// it for a listener on port 0, which is closed again before returning.
export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Polls `url` with GET until it answers with a status below 500, or throws
// after `timeoutMs`. `alive()` lets the caller stop early when the process that
// should answer has died; it returns a reason string in that case.
export async function waitForHttp(url, { timeoutMs = 10_000, alive = () => null } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    const dead = alive();
    if (dead) throw new Error(`${url} will not answer: ${dead}`);
    try {
      const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status < 500) return response;
      lastError = `status ${response.status}`;
    } catch (error) {
      lastError = error.cause?.code || error.message;
    }
    await sleep(100);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${lastError})`);
}

// Starts `server` (a node:http server) on 127.0.0.1:`port`. Idle keep-alive
// connections close after a second, so stopping it never waits long.
export async function listenOn(server, port) {
  server.keepAliveTimeout = 1_000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
}

// Stops `server`, dropping the connections it still has.
export function closeServer(server) {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

// POSTs `form` (application/x-www-form-urlencoded) to `url` with an
// Authorization header; returns { status, body, headers }, the body parsed as
// JSON, or { unparsed: <its start> } when it is not JSON (an error page).
export async function postForm(url, authorization, form) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = { unparsed: text.slice(0, 200) };
  }
  return { status: response.status, body, headers: response.headers };
}
