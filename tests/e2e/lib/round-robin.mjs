// A reverse proxy on 127.0.0.1 that sends each request (not each connection)
// to the next of several broker nodes in turn, so that one client's
// consecutive requests (the login page, its POST, the code exchange...) land
// on different nodes. Method, path, headers (Host included: the broker builds
// its URLs from the issuer, not from Host) and body go through unchanged,
// except the hop-by-hop headers (RFC 9110 §7.6.1); the answer streams back.
// It counts the requests each node was sent, so a test can check the load
// was really spread.
import http from 'node:http';

import { closeServer, freePort, listenOn } from './net.mjs';

const kHopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding',
                           'upgrade']);

function endToEnd(headers) {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !kHopByHop.has(name)));
}

// `nodes` are the nodes' base URLs ("http://127.0.0.1:port"). Returns
// { url, port, counts, close() }: counts[i] is how many requests went to
// nodes[i]. A node that cannot be reached gets the request answered 502.
export async function startRoundRobin(nodes, { port: fixedPort } = {}) {
  const targets = nodes.map((node) => new URL(node));
  const counts = targets.map(() => 0);
  let next = 0;

  const server = http.createServer((request, response) => {
    const index = next;
    next = (next + 1) % targets.length;
    counts[index] += 1;
    const target = targets[index];
    // A fresh connection per request (agent: false): a kept-alive upstream
    // connection the node closes while idle could swallow a POST, and a
    // test must never wonder whether its refresh reached a node.
    const upstream = http.request({
      host: target.hostname,
      port: target.port,
      method: request.method,
      path: request.url,
      headers: endToEnd(request.headers),
      agent: false,
    }, (answer) => {
      response.writeHead(answer.statusCode, endToEnd(answer.headers));
      answer.pipe(response);
    });
    upstream.on('error', (error) => {
      if (response.headersSent) {
        response.destroy(error);
        return;
      }
      response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(`round-robin proxy: node ${index} (${target.host}) did not answer: ${error.code ?? error.message}`);
    });
    request.pipe(upstream);
  });

  const port = fixedPort ?? (await freePort());
  await listenOn(server, port);
  return { url: `http://127.0.0.1:${port}`, port, counts, close: () => closeServer(server) };
}
