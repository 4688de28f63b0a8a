// PostgreSQL for the end-to-end tests, through tests/postgres/server.sh: a
// fresh database on the server CTest starts for the whole run (the fixture
// `postgres`, found by PASSERELLE_TEST_POSTGRES), or a server of a test's own
// that it may kill and restart (never the shared one: other tests use it).
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';

import { makeTempDir, repoRoot } from './env.mjs';

const run = promisify(execFile);
const kServerScript = path.join(repoRoot, 'tests', 'postgres', 'server.sh');
// initdb and a start under `runuser` take a few seconds on a busy machine.
const kScriptTimeoutMs = 90_000;

async function serverSh(...args) {
  try {
    const { stdout } = await run('bash', [kServerScript, ...args], { timeout: kScriptTimeoutMs });
    return stdout.trim();
  } catch (error) {
    throw new Error(`server.sh ${args[0]} failed: ${error.stderr?.trim() || error.message}`);
  }
}

// server.sh accepts [a-z0-9_]+; the random part keeps reruns apart.
function databaseName(prefix) {
  return `${prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_${randomBytes(4).toString('hex')}`;
}

// The state folder of the shared server. Throws when the tests run without
// it: a test on PostgreSQL must not quietly pass without one.
export function sharedPostgresState() {
  const state = process.env.PASSERELLE_TEST_POSTGRES;
  if (!state) {
    throw new Error('PASSERELLE_TEST_POSTGRES is not set: run this file through CTest (fixture postgres), or start '
                    + 'a server with `bash tests/postgres/server.sh start DIR` and set PASSERELLE_TEST_POSTGRES=DIR');
  }
  return state;
}

// Creates a database named after `prefix` on the shared server; returns its
// connection URL (TEST-ONLY credentials).
export async function createSharedDatabase(prefix) {
  return serverSh('createdb', sharedPostgresState(), databaseName(prefix));
}

// Starts a PostgreSQL server of the caller's own in a temporary folder.
// Returns { createDatabase(prefix), kill(), start(), stop() }: kill() stops it
// at once as a crash would (the data stays), start() brings it back on the
// same port, stop() ends it and deletes everything (also done, synchronously,
// if the test process exits first).
export async function startOwnPostgres() {
  const temp = makeTempDir('postgres');
  const state = path.join(temp.dir, 'state');
  const stopNow = () => {
    spawnSync('bash', [kServerScript, 'stop', state], { stdio: 'ignore', timeout: kScriptTimeoutMs });
    temp.remove();
  };
  process.once('exit', stopNow);
  try {
    await serverSh('start', state);
  } catch (error) {
    process.off('exit', stopNow);
    stopNow();
    throw error;
  }
  let stopped = false;
  return {
    createDatabase: (prefix) => serverSh('createdb', state, databaseName(prefix)),
    kill: () => serverSh('kill', state),
    start: () => serverSh('start', state),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      process.off('exit', stopNow);
      await serverSh('stop', state);
      temp.remove();
    },
  };
}
