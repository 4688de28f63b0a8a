// Run by CTest before the end-to-end tests (the e2e.setup fixture): checks
// what they need and says how to get it, instead of letting every test fail
// on a missing module.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { brokerBin, fakeFacebookBin, fakeGithubBin } from './env.mjs';

const e2eDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(e2eDir, 'package.json'));
const problems = [];

const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
  problems.push(`Node.js ${process.versions.node} is too old: 20 or newer is needed`);
}
for (const name of ['openid-client', 'jose', 'playwright-core', 'otplib']) {
  // Resolve the entry point: some packages (otplib) do not export their package.json.
  try {
    require.resolve(name);
  } catch {
    problems.push(`the Node package ${name} is missing from tests/e2e/node_modules: run .ci/install-deps`);
  }
}
if (!existsSync('/usr/bin/chromium')) {
  problems.push('/usr/bin/chromium is missing: run .ci/install-deps (Debian package chromium)');
}
if (!existsSync(brokerBin)) {
  problems.push(`the broker executable ${brokerBin} does not exist: build the passerelle target`);
}
for (const [bin, target] of [[fakeFacebookBin, 'fake-facebook'], [fakeGithubBin, 'fake-github']]) {
  if (!existsSync(bin)) problems.push(`the fake IdP ${bin} does not exist: build the ${target} target`);
}

if (problems.length > 0) {
  for (const problem of problems) console.error(`e2e setup: ${problem}`);
  process.exit(1);
}
console.log('e2e setup: Node packages, Chromium, the broker and the fake IdPs are in place');
