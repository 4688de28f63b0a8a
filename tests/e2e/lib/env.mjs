// Where the end-to-end tests find the repository, the broker executable, the
// fake upstream IdPs, the example connector plugin and a scratch folder.
// CTest sets PASSERELLE_BIN, PASSERELLE_ROOT, PASSERELLE_FAKE_FACEBOOK,
// PASSERELLE_FAKE_GITHUB, PASSERELLE_EXAMPLE_PLUGIN_DIR and PASSERELLE_E2E_TMP
// (see e2e.cmake); run by hand, the defaults point at build/.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export const repoRoot = path.resolve(process.env.PASSERELLE_ROOT || path.join(here, '..', '..', '..'));

export const brokerBin = path.resolve(
  process.env.PASSERELLE_BIN || path.join(repoRoot, 'build', 'broker', 'passerelle'),
);

export const fakeFacebookBin = path.resolve(
  process.env.PASSERELLE_FAKE_FACEBOOK || path.join(repoRoot, 'build', 'fixtures', 'fake_facebook', 'fake-facebook'),
);

export const fakeGithubBin = path.resolve(
  process.env.PASSERELLE_FAKE_GITHUB || path.join(repoRoot, 'build', 'fixtures', 'fake_github', 'fake-github'),
);

// The folder holding example.so, the out-of-tree connector plugin that the
// CTest fixture sdk.build_example_connector builds against the installed SDK.
export const examplePluginDir = path.resolve(
  process.env.PASSERELLE_EXAMPLE_PLUGIN_DIR || path.join(repoRoot, 'build', 'tests', 'sdk', 'plugins'),
);

// Makes a fresh folder for one run (a broker's data_dir, Chromium's TMPDIR...)
// and returns it with a function that removes it.
export function makeTempDir(prefix) {
  const base = process.env.PASSERELLE_E2E_TMP || os.tmpdir();
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(path.join(base, `${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
