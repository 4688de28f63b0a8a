// Starts the real `passerelle` executable for a test file: picks a free port,
// writes a config whose issuer is the URL the broker is reached at (or one
// the caller gives, for nodes behind a proxy), gives it a fresh data_dir, and
// waits until discovery answers on the broker's own port.
//
// Set PASSERELLE_E2E_VERBOSE=1 to see the broker's output while tests run.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { superviseChild } from './child.mjs';
import { brokerBin, makeTempDir, repoRoot } from './env.mjs';
import { freePort, waitForHttp } from './net.mjs';

const kStartTimeoutMs = 10_000;
const kLogLimit = 64 * 1024;

// `config` is a broker config (ARCHITECTURE §6); its issuer, listen and
// data_dir are set here (replacing any it has). A restart test passes the
// `port` and `dataDir` of the broker it replaces (the caller then owns that
// directory). With `tls`, the broker serves HTTPS with the TEST-ONLY
// certificate of fixtures/tls, which the test process must trust
// (NODE_EXTRA_CA_CERTS=fixtures/tls/test-ca.pem, as CTest sets it).
// `issuer` replaces the broker's own URL as its issuer: several nodes on one
// store behind one proxy share the proxy's URL (the broker builds its URLs
// from the issuer, whatever Host a request has). `logLimit` is how much of
// the broker's output logTail() can show (the newest part; default 64 KiB).
// Returns { issuer, url, port, pid, config, logTail(), stop(), kill(), exited }
// (`url` is where this process listens, the issuer unless one was given):
// stop() ends it with SIGTERM, kill() with SIGKILL (a crash); `exited`
// resolves to { code, signal } once the process has ended.
export async function startBroker(config = {}, {
  port: fixedPort, dataDir, tls = false, issuer: sharedIssuer, logLimit = kLogLimit,
} = {}) {
  if (!existsSync(brokerBin)) {
    throw new Error(`broker executable not found at ${brokerBin}: build it first, or set PASSERELLE_BIN`);
  }
  const port = fixedPort ?? (await freePort());
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const issuer = sharedIssuer ?? url;
  const temp = makeTempDir('passerelle');
  const fullConfig = {
    ...config,
    issuer,
    listen: `127.0.0.1:${port}`,
    data_dir: dataDir ?? path.join(temp.dir, 'data'),
  };
  if (tls) {
    fullConfig.tls = {
      certificate_file: path.join(repoRoot, 'fixtures', 'tls', 'test-server.pem'),
      private_key_file: path.join(repoRoot, 'fixtures', 'tls', 'test-server.key'),
    };
  }
  const configPath = path.join(temp.dir, 'passerelle.json');
  writeFileSync(configPath, `${JSON.stringify(fullConfig, null, 2)}\n`);

  const child = spawn(brokerBin, ['serve', '--config', configPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { log, exited, describeExit, stop, kill } = superviseChild(child, { name: 'the broker', temp, logLimit });

  try {
    await waitForHttp(`${url}/.well-known/openid-configuration`, {
      timeoutMs: kStartTimeoutMs,
      alive: describeExit,
    });
  } catch (error) {
    const reason = describeExit() ? error.message : `${error.message}\nbroker output so far:\n${log()}`;
    await stop().catch(() => {});
    throw new Error(`could not start ${brokerBin}: ${reason}`);
  }

  return {
    issuer,
    url,
    port,
    pid: child.pid,
    config: fullConfig,
    logTail: (chars = 4000) => log().slice(-chars),
    stop,
    kill,
    exited,
  };
}
