// The fake upstream IdPs of fixtures/ (fake-facebook, fake-github) as
// processes for the browser tests: each gets a config file in a fresh folder,
// listens on a port the kernel picks (it prints the URL once it listens),
// and is stopped with SIGTERM after the tests.
//
// Set PASSERELLE_E2E_VERBOSE=1 to see their output while tests run.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { superviseChild } from './child.mjs';
import { fakeFacebookBin, fakeGithubBin, makeTempDir } from './env.mjs';
import { waitForHttp } from './net.mjs';

const kStartTimeoutMs = 10_000;
const kLogLimit = 16 * 1024;

// Runs `bin --port 0 --config FILE` with `config` written to FILE and
// resolves once it answers HTTP at the URL it printed. Returns { url,
// logTail(), stop() }; stop() throws when the process had died on its own.
async function startFakeIdp(name, bin, config) {
  if (!existsSync(bin)) throw new Error(`${name} executable not found at ${bin}: build it first`);
  const temp = makeTempDir(name);
  const configPath = path.join(temp.dir, 'config.json');
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);

  const child = spawn(bin, ['--port', '0', '--config', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let announced;
  const listening = new Promise((resolve) => {
    announced = resolve;
  });
  const { log, exited, describeExit, stop } = superviseChild(child, {
    name,
    temp,
    logLimit: kLogLimit,
    // Resolves with the URL it prints, or with null once it failed to start.
    onOutput: (output) => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) announced(match[1]);
      else if (describeExit()) announced(null);
    },
  });

  try {
    let timer;
    const url = await Promise.race([
      listening,
      exited.then(() => null),
      new Promise((resolve) => {
        timer = setTimeout(() => resolve(null), kStartTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (!url) throw new Error(describeExit() ?? `no "listening on" line within ${kStartTimeoutMs} ms; output:\n${log()}`);
    // Any answer will do (404 at the root): the server accepts requests.
    await waitForHttp(`${url}/`, { timeoutMs: kStartTimeoutMs, alive: describeExit });
    return { url, logTail: (chars = 4000) => log().slice(-chars), stop };
  } catch (error) {
    await stop().catch(() => {});
    throw new Error(`could not start ${bin}: ${error.message}`);
  }
}

// The fake Facebook (fixtures/fake_facebook/main.cpp documents the config):
// `apps` are [{app_id, app_secret, redirect_uris}], `users` are [{id, email,
// password, first_name, last_name}]. Returns { url, stop(), logTail(),
// connectionOptions(app) }, the last giving the facebook connector's options
// for one of the apps, every endpoint pointing at this fake.
export async function startFakeFacebook({ apps, users }) {
  const idp = await startFakeIdp('fake-facebook', fakeFacebookBin, { apps, users });
  const graph = `${idp.url}/v19.0`;
  return {
    ...idp,
    connectionOptions: (app) => ({
      client_id: app.app_id,
      client_secret: app.app_secret,
      authorization_endpoint: `${graph}/dialog/oauth`,
      token_endpoint: `${graph}/oauth/access_token`,
      userinfo_endpoint: `${graph}/me`,
      logout_endpoint: `${idp.url}/logout.php`,
    }),
  };
}

// The fake GitHub (fixtures/fake_github/main.cpp documents the config):
// `apps` are [{client_id, client_secret, name, callback_url}], `users` are
// [{id, login, password, name, emails: [{email, primary, verified,
// visibility}]}]. Returns the same shape as startFakeFacebook, with the
// github connector's options.
export async function startFakeGithub({ apps, users }) {
  const idp = await startFakeIdp('fake-github', fakeGithubBin, { apps, users });
  return {
    ...idp,
    connectionOptions: (app) => ({
      client_id: app.client_id,
      client_secret: app.client_secret,
      authorization_endpoint: `${idp.url}/login/oauth/authorize`,
      token_endpoint: `${idp.url}/login/oauth/access_token`,
      userinfo_endpoint: `${idp.url}/user`,
      emails_endpoint: `${idp.url}/user/emails`,
    }),
  };
}
