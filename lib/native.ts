/**
 * Loads the native addon: the prebuild for this platform first, then a local build, then
 * gives up with one clear error that says which system package is missing.
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

/** The file `npm run prebuild` writes, in the layout node-gyp-build and prebuildify use. */
export const prebuildPath = path.join(
  packageRoot,
  'prebuilds',
  `${process.platform}-${process.arch}`,
  'node.napi.node',
);

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

/** The exact prebuild first, then whatever node-gyp-build resolves (local build, other tags). */
function candidatePaths(): string[] {
  const override = process.env.NODE_TGCALLS_NATIVE_PATH;
  if (override) return [path.resolve(override)];
  const candidates = fs.existsSync(prebuildPath) ? [prebuildPath] : [];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const resolved = (require('node-gyp-build') as NodeGypBuild).path(packageRoot);
    if (!candidates.includes(resolved)) candidates.push(resolved);
  } catch {
    // Nothing built locally: explain() says what to install.
  }
  return candidates;
}

function explain(failures: { file: string; error: Error }[]): string {
  const missingLibrary = failures
    .map(({ error }) => /([\w.+-]+\.so[\w.]*): cannot open shared object file/.exec(error.message))
    .find((match) => match !== null)?.[1];
  if (missingLibrary !== undefined) {
    const debianPackage = debianPackageOfLibrary[missingLibrary] ?? 'libtgowt-dev';
    return (
      `the system library ${missingLibrary} is missing: install the Debian package ` +
      `${debianPackage} (apt-get install ${debianPackage}), or libtgowt-dev, which brings all of them`
    );
  }
  if (failures.length === 0) {
    return (
      `no prebuild for ${process.platform}-${process.arch} and no local build were found: ` +
      'install the Debian package libtgowt-dev (apt-get install libtgowt-dev) and run ' +
      '`npm rebuild node-tgcalls` to build the addon'
    );
  }
  return failures.map(({ file, error }) => `${file}: ${error.message}`).join('; ');
}

export function loadNative(): NativeBinding {
  const failures: { file: string; error: Error }[] = [];
  const candidates = candidatePaths();
  for (const file of candidates) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require(file) as NativeBinding;
    } catch (error) {
      failures.push({ file, error: error as Error });
    }
  }
  throw new TgCallsError(
    'NATIVE_ADDON_LOAD_FAILED',
    `node-tgcalls could not load its native addon: ${explain(failures)}`,
    { cause: failures[0]?.error },
  );
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
