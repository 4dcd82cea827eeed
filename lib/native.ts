/**
 * Loads the native addon: the prebuild for this platform first, then a local build, then
 * gives up with one clear error that names the files tried, the system package to install
 * (libtgowt-dev) and the command that rebuilds the addon.
 *
 * NODE_TGCALLS_NATIVE_PATH overrides the search with one explicit `.node` file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { TgCallsError } from './errors';

export type NativeLogLevel = 'verbose' | 'info' | 'warning' | 'error' | 'none';

/** The raw native surface; the public API wraps it (lib/index.ts and friends). */
export interface NativeBinding {
  versions(): { tgOwt: string; addon: string; protocolVersions: string[] };
  setErrorClass(errorClass: new (code: string, message: string) => Error): void;
  setLogger(level: NativeLogLevel, callback?: (level: NativeLogLevel, line: string) => void): void;
  generateCertificateFingerprint(): Promise<string>;
  liveRuntimeLeases(): number;
}

/** The package's root: the nearest directory above this file whose package.json is ours. */
function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const { name } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string };
      if (name === 'node-tgcalls') return dir;
    }
    if (path.dirname(dir) === dir) return path.resolve(start, '..');
  }
}

export const packageRoot = findPackageRoot(__dirname);

/** The file `npm run prebuild` writes under a package root, in node-gyp-build's layout. */
export function prebuildPathIn(root: string): string {
  return path.join(root, 'prebuilds', `${process.platform}-${process.arch}`, 'node.napi.node');
}

/** Debian packages that provide the shared libraries the addon links against directly. */
const debianPackageOfLibrary: Record<string, string> = {
  'libssl.so.3': 'libssl3',
  'libcrypto.so.3': 'libssl3',
  'libavcodec.so.59': 'libavcodec59',
  'libavutil.so.57': 'libavutil57',
  'libvpx.so.7': 'libvpx7',
  'libsrtp2.so.1': 'libsrtp2-1',
  'libopus.so.0': 'libopus0',
  'libabsl_bad_optional_access.so.20220623': 'libabsl20220623',
  'libabsl_throw_delegate.so.20220623': 'libabsl20220623',
  'libabsl_bad_variant_access.so.20220623': 'libabsl20220623',
};

interface NodeGypBuild {
  path(dir: string): string;
}

/**
 * The files to try, in order: `override` alone when set; otherwise the exact prebuild first,
 * then whatever node-gyp-build resolves (it prefers build/Release over prebuilds/, hence the
 * explicit prebuild in front).
 */
export function candidatePaths(root: string, override?: string): string[] {
  if (override) return [path.resolve(override)];
  const prebuild = prebuildPathIn(root);
  const candidates = fs.existsSync(prebuild) ? [prebuild] : [];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const resolved = (require('node-gyp-build') as NodeGypBuild).path(root);
    if (!candidates.includes(resolved)) candidates.push(resolved);
  } catch {
    // Nothing built locally: explain() says what to install and build.
  }
  return candidates;
}

const remedy =
  'install the Debian package libtgowt-dev (as root: `apt-get install libtgowt-dev`, or ' +
  '`scripts/install-system-deps` for everything the build needs), then run ' +
  '`npm rebuild node-tgcalls` to build the addon';

/** One message for every way loading can fail: what was tried, why it failed, what to do. */
function explain(root: string, override: string | undefined, failures: LoadFailure[]): string {
  const tried =
    failures.length === 0
      ? `no prebuild at ${prebuildPathIn(root)} and no local build in ${path.join(root, 'build', 'Release')}`
      : failures
          // require() appends its require stack on further lines: the first line is the reason.
          .map(({ file, error }) => `${file}: ${error.message.split('\n')[0]}`)
          .join('; ');
  const missingLibrary = failures
    .map(({ error }) => /([\w.+-]+\.so[\w.]*): cannot open shared object file/.exec(error.message))
    .find((match) => match !== null)?.[1];
  let cause = '';
  if (missingLibrary !== undefined) {
    const debianPackage = debianPackageOfLibrary[missingLibrary] ?? 'libtgowt-dev';
    cause =
      `the system library ${missingLibrary} is missing (Debian package ${debianPackage}: ` +
      `\`apt-get install ${debianPackage}\`, or libtgowt-dev, which brings all of them). `;
  }
  const via = override ? ' (NODE_TGCALLS_NATIVE_PATH)' : '';
  return `${cause}Tried${via}: ${tried}. To fix it: ${remedy}.`;
}

interface LoadFailure {
  file: string;
  error: Error;
}

export interface LoadedAddon {
  binding: NativeBinding;
  /** The `.node` file that loaded. */
  file: string;
}

/**
 * Loads the addon of the package at `root` (or the one `override` names), trying each
 * candidate in order; throws NATIVE_ADDON_LOAD_FAILED when none loads.
 */
export function loadNativeFrom(root: string, override?: string): LoadedAddon {
  const failures: LoadFailure[] = [];
  for (const file of candidatePaths(root, override)) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return { binding: require(file) as NativeBinding, file };
    } catch (error) {
      failures.push({ file, error: error as Error });
    }
  }
  throw new TgCallsError(
    'NATIVE_ADDON_LOAD_FAILED',
    `node-tgcalls could not load its native addon: ${explain(root, override, failures)}`,
    { cause: failures[0]?.error },
  );
}

export function loadNative(): NativeBinding {
  return loadNativeFrom(packageRoot, process.env.NODE_TGCALLS_NATIVE_PATH).binding;
}

let binding: NativeBinding | undefined;

/** The addon, loaded once per thread and set up to raise TgCallsError. */
export function native(): NativeBinding {
  if (binding === undefined) {
    const loaded = loadNative();
    loaded.setErrorClass(TgCallsError as unknown as new (code: string, message: string) => Error);
    binding = loaded;
  }
  return binding;
}
