// scripts/install-system-deps against stand-ins for `id`, `dpkg-query` and `apt-get` placed
// first on PATH: the script runs unchanged, and the system's real package state never matters.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { repoRoot } from './support/paths';

const script = path.join(repoRoot, 'scripts', 'install-system-deps');

const stubs: Record<string, string> = {
  // Only `id -u` is used.
  id: 'echo "$STUB_UID"',
  // dpkg-query -W -f='${Status}' PACKAGE: installed unless PACKAGE is in $STUB_MISSING.
  'dpkg-query': `for package; do :; done
case " $STUB_MISSING " in *" $package "*) echo "dpkg-query: no packages found matching $package" >&2; exit 1;; esac
printf 'install ok installed'`,
  // Records each invocation, one line of arguments each.
  'apt-get': 'echo "$*" >> "$STUB_LOG"',
};

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  aptGetCalls: string[];
}

let dir = '';

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-deps-'));
  fs.mkdirSync(path.join(dir, 'bin'));
  for (const [name, body] of Object.entries(stubs)) {
    fs.writeFileSync(path.join(dir, 'bin', name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  }
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function runScript(options: {
  uid: number;
  missing: string[];
  args?: string[];
  withoutAptGet?: boolean;
}): Run {
  if (options.withoutAptGet === true) fs.rmSync(path.join(dir, 'bin', 'apt-get'));
  const log = path.join(dir, 'apt-get.log');
  const result = spawnSync('/bin/bash', [script, ...(options.args ?? [])], {
    encoding: 'utf8',
    timeout: 30_000,
    env: {
      // Without apt-get, the system directories must not provide the real one either; bash and
      // grep come from their absolute paths, the script needs nothing else on that branch.
      PATH: options.withoutAptGet === true ? path.join(dir, 'bin') : `${dir}/bin:/usr/bin:/bin`,
      STUB_UID: String(options.uid),
      STUB_MISSING: options.missing.join(' '),
      STUB_LOG: log,
    },
  });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    aptGetCalls: fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [],
  };
}

describe('scripts/install-system-deps', () => {
  it('is quiet and succeeds when every package is installed', () => {
    const run = runScript({ uid: 1000, missing: [] });
    expect(run).toEqual({ status: 0, stdout: '', stderr: '', aptGetCalls: [] });
  });

  it('prints the exact apt-get line and fails when not root and packages are missing', () => {
    const run = runScript({ uid: 1000, missing: ['libtgowt-dev', 'coturn'] });
    expect(run.status).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toContain('  apt-get install -y libtgowt-dev coturn');
    expect(run.aptGetCalls).toEqual([]);
  });

  it('checks only the build packages with --build', () => {
    expect(runScript({ uid: 1000, missing: ['coturn'], args: ['--build'] })).toMatchObject({
      status: 0,
      stdout: '',
      stderr: '',
    });
    const run = runScript({ uid: 1000, missing: ['coturn', 'cmake'], args: ['--build'] });
    expect(run.status).not.toBe(0);
    expect(run.stderr.split('\n')).toContain('  apt-get install -y cmake');
  });

  it('installs exactly the missing packages with apt-get when root', () => {
    const run = runScript({ uid: 0, missing: ['libtgowt-dev', 'ffmpeg'] });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('libtgowt-dev ffmpeg');
    expect(run.aptGetCalls).toEqual(['update -qq', 'install -y -qq libtgowt-dev ffmpeg']);
  });

  it('names the missing packages and fails on a system without apt-get', () => {
    fs.symlinkSync('/bin/grep', path.join(dir, 'bin', 'grep'));
    const run = runScript({ uid: 0, missing: ['espeak-ng'], withoutAptGet: true });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('has no apt-get: espeak-ng');
    expect(run.aptGetCalls).toEqual([]);
  });
});
