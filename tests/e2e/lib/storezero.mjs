// Starts the StoreZero demo shop (fixtures/storezero) as its own process,
// configured through its environment variables like the demo does.
import { spawn } from 'node:child_process';
import path from 'node:path';

import { repoRoot } from './env.mjs';
import { freePort, waitForHttp } from './net.mjs';

// Returns { url, port, stop() }. `settings` gives issuer, clientId,
// clientSecret; `port` may be chosen beforehand (redirect URIs name it).
export async function startStoreZero({ issuer, clientId, clientSecret, port }) {
  const shopPort = port ?? (await freePort());
  const url = `http://127.0.0.1:${shopPort}`;
  const child = spawn(process.execPath, [path.join(repoRoot, 'fixtures', 'storezero', 'server.mjs')], {
    env: {
      ...process.env,
      ISSUER: issuer,
      PORT: String(shopPort),
      BASE_URL: url,
      CLIENT_ID: clientId,
      CLIENT_SECRET: clientSecret,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  let exit = null;
  const onOutput = (chunk) => {
    log = (log + chunk.toString()).slice(-16 * 1024);
    if (process.env.PASSERELLE_E2E_VERBOSE) process.stderr.write(chunk);
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => {
    exit = { code, signal };
    resolve();
  }));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (!exit) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
  };

  try {
    await waitForHttp(`${url}/`, {
      alive: () => (exit ? `storezero stopped (code ${exit.code}, signal ${exit.signal}):\n${log}` : null),
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port: shopPort, logTail: () => log, stop };
}
