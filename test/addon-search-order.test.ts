// The loader's search order inside a package root: the prebuild, then the local build, then
// one clear error. Each case builds a temporary package root from copies of the real addon and
// loads it in a child process (two copies of the addon never share one process).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { TgCallsError } from '../lib/errors';
import { candidatePaths, loadNativeFrom, prebuildPathIn } from '../lib/native';
import { runNode } from './support/child';
import { repoRoot } from './support/paths';

const distNative = path.join(repoRoot, 'dist', 'native.js');
// The addon this test run uses (NODE_TGCALLS_NATIVE_PATH, or the repository's own build).
const realAddon = candidatePaths(repoRoot, process.env.NODE_TGCALLS_NATIVE_PATH)[0] ?? '';

interface Layout {
  prebuild?: 'addon' | 'garbage';
  localBuild?: 'addon';
}

let roots: string[] = [];

function packageRootWith(layout: Layout): { root: string; prebuild: string; localBuild: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-root-'));
  roots.push(root);
  const prebuild = prebuildPathIn(root);
  const localBuild = path.join(root, 'build', 'Release', 'node_tgcalls.node');
  if (layout.prebuild !== undefined) {
    fs.mkdirSync(path.dirname(prebuild), { recursive: true });
    if (layout.prebuild === 'addon') fs.copyFileSync(realAddon, prebuild);
    else fs.writeFileSync(prebuild, 'not an ELF file\n');
  }
  if (layout.localBuild !== undefined) {
    fs.mkdirSync(path.dirname(localBuild), { recursive: true });
    fs.copyFileSync(realAddon, localBuild);
  }
  return { root, prebuild, localBuild };
}

/** Loads the addon of `root` in a fresh process: the file that loaded and its tg_owt version. */
function loadInChild(root: string): { file: string; tgOwt: string } {
  const child = runNode(
    `const { loadNativeFrom } = require(${JSON.stringify(distNative)});
     const { file, binding } = loadNativeFrom(${JSON.stringify(root)});
     console.log(JSON.stringify({ file, tgOwt: binding.versions().tgOwt }));`,
  );
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
  return JSON.parse(child.stdout) as { file: string; tgOwt: string };
}

function loadError(root: string): TgCallsError {
  try {
    loadNativeFrom(root);
  } catch (error) {
    return error as TgCallsError;
  }
  throw new Error('the addon loaded');
}

const remedyParts = [
  'libtgowt-dev',
  '`apt-get install libtgowt-dev`',
  'scripts/install-system-deps',
  '`npm rebuild node-tgcalls`',
];

describe('the addon search order in a package root', () => {
  beforeAll(() => {
    expect(fs.existsSync(realAddon)).toBe(true);
  });

  afterEach(() => {
    for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
    roots = [];
  });

  it('loads the prebuild when both the prebuild and a local build exist', () => {
    const { root, prebuild } = packageRootWith({ prebuild: 'addon', localBuild: 'addon' });
    expect(prebuild).toBe(path.join(root, 'prebuilds', 'linux-x64', 'node.napi.node'));
    const loaded = loadInChild(root);
    expect(loaded.file).toBe(prebuild);
    expect(loaded.tgOwt).toMatch(/^0~git\d{8}\.[0-9a-f]{7}/);
  });

  it('loads the local build when there is no prebuild', () => {
    const { root, localBuild } = packageRootWith({ localBuild: 'addon' });
    expect(loadInChild(root).file).toBe(localBuild);
  });

  it('falls back to the local build when the prebuild does not load', () => {
    const { root, localBuild } = packageRootWith({ prebuild: 'garbage', localBuild: 'addon' });
    expect(loadInChild(root).file).toBe(localBuild);
  });

  it('names both places it looked, libtgowt-dev and the rebuild command when nothing exists', () => {
    const { root, prebuild } = packageRootWith({});
    const error = loadError(root);
    expect(error).toBeInstanceOf(TgCallsError);
    expect(error.code).toBe('NATIVE_ADDON_LOAD_FAILED');
    expect(error.message).toContain(prebuild);
    expect(error.message).toContain(path.join(root, 'build', 'Release'));
    for (const part of remedyParts) expect(error.message).toContain(part);
  });

  it('names the prebuild that failed and why, with the same remedy', () => {
    const { root, prebuild } = packageRootWith({ prebuild: 'garbage' });
    const error = loadError(root);
    expect(error.code).toBe('NATIVE_ADDON_LOAD_FAILED');
    expect(error.message).toContain(`${prebuild}: `);
    expect(error.message).toMatch(/invalid ELF header|file too short/);
    for (const part of remedyParts) expect(error.message).toContain(part);
    // The original dlopen error stays attached (an Error of Node's realm, not jest's).
    expect((error.cause as { message?: string } | undefined)?.message).toMatch(
      /invalid ELF header|file too short/,
    );
  });
});
