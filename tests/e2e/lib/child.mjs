// A test's child process (the broker, a fake IdP): its output kept (and shown
// with PASSERELLE_E2E_VERBOSE=1), how it ended, and stopping it, never
// leaving it behind even when the test process ends abruptly.
const kStopTimeoutMs = 5_000;

// `child` was spawned with stdout and stderr piped; `name` says what it is
// in messages ("the broker"); `temp` (from makeTempDir) is removed when it
// stops; `onOutput(log)` sees the output so far after each chunk.
// Returns { log(), exited, describeExit(), stop(), kill() }: describeExit()
// is null while it runs; stop() ends it with SIGTERM (SIGKILL after 5 s)
// and throws when it had died on its own; kill() is a crash (SIGKILL).
export function superviseChild(child, { name, temp, logLimit = 64 * 1024, onOutput = () => {} }) {
  let log = '';
  let exit = null;
  const collect = (chunk) => {
    log = (log + chunk.toString()).slice(-logLimit);
    if (process.env.PASSERELLE_E2E_VERBOSE) process.stderr.write(chunk);
    onOutput(log);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
  });
  child.on('error', (error) => {
    exit = { code: null, signal: null, error };
    onOutput(log);
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const describeExit = () => {
    if (!exit) return null;
    const how = exit.error ? exit.error.message : exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
    return `${name} stopped (${how}); its output:\n${log}`;
  };

  let stopped = false;
  const end = async (signal) => {
    if (!exit) {
      child.kill(signal);
      const timer = signal === 'SIGKILL' ? null : setTimeout(() => child.kill('SIGKILL'), kStopTimeoutMs);
      await exited;
      clearTimeout(timer);
    }
    process.off('exit', killOnExit);
    temp.remove();
  };
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const diedEarly = describeExit();
    await end('SIGTERM');
    if (diedEarly) throw new Error(`during the tests, ${diedEarly}`);
  };
  const kill = async () => {
    if (stopped) return;
    stopped = true;
    await end('SIGKILL');
  };
  return { log: () => log, exited, describeExit, stop, kill };
}
