import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

import { TgCallsError, versions } from '../lib';
import { runNode } from './support/child';
import { distEntry, repoRoot } from './support/paths';

const packageJson = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  version: string;
};

describe('loading the addon', () => {
  it('reports the tg_owt snapshot and the package version in the main thread', () => {
    const reported = versions();
    expect(reported.tgOwt).toMatch(/^0~git\d{8}\.[0-9a-f]{7}/);
    expect(reported.addon).toBe(packageJson.version);
    expect(Array.isArray(reported.protocolVersions)).toBe(true);
  });

  it('loads and generates a certificate inside a worker thread', async () => {
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
       const tgcalls = require(${JSON.stringify(distEntry)});
       tgcalls.generateCertificateFingerprint().then((fingerprint) =>
         parentPort.postMessage({ versions: tgcalls.versions(), fingerprint }));`,
      { eval: true },
    );
    const message = await new Promise<{ versions: { tgOwt: string }; fingerprint: string }>(
      (resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      },
    );
    await worker.terminate();
    expect(message.versions.tgOwt).toBe(versions().tgOwt);
    expect(message.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('fails with NATIVE_ADDON_LOAD_FAILED naming libtgowt-dev when no addon file exists', () => {
    const missing = path.join(os.tmpdir(), 'no-such-dir', 'node_tgcalls.node');
    const child = runNode(
      `try { require(${JSON.stringify(distEntry)}).versions(); process.exit(3); }
       catch (error) { console.log(JSON.stringify({ name: error.name, code: error.code, message: error.message })); }`,
      { NODE_TGCALLS_NATIVE_PATH: missing },
    );
    expect(child.status).toBe(0);
    const error = JSON.parse(child.stdout) as { name: string; code: string; message: string };
    expect(error.name).toBe('TgCallsError');
    expect(error.code).toBe('NATIVE_ADDON_LOAD_FAILED');
    expect(error.message).toContain(`NODE_TGCALLS_NATIVE_PATH): ${missing}: Cannot find module`);
    expect(error.message).toContain('install the Debian package libtgowt-dev');
    expect(error.message).toContain('`apt-get install libtgowt-dev`');
    expect(error.message).toContain('`npm rebuild node-tgcalls`');
    // One line: require()'s stack of modules is not part of the message.
    expect(error.message).not.toContain('\n');
  });

  it("prints versions() for `require('node-tgcalls')` run from the repository root", () => {
    // The command of the issue, verbatim: the package resolves itself by name from its root.
    const child = spawnSync(
      process.execPath,
      ['-e', "console.log(require('node-tgcalls').versions())"],
      { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 },
    );
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const expected = versions();
    expect(child.stdout).toContain(`tgOwt: '${expected.tgOwt}'`);
    expect(child.stdout).toContain(`addon: '${packageJson.version}'`);
    for (const version of expected.protocolVersions) {
      expect(child.stdout).toContain(`'${version}'`);
    }
  });

  it('names the missing shared library and the package to install when dlopen fails', () => {
    // A stand-in addon that needs a library from a directory that is then removed, so the
    // dynamic loader reports exactly the error a machine without that package gives.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-load-'));
    try {
      const stubSource = path.join(dir, 'stub.c');
      fs.writeFileSync(stubSource, 'int srtp_stub(void) { return 0; }\n');
      const stubDir = path.join(dir, 'lib');
      fs.mkdirSync(stubDir);
      execFileSync('cc', [
        '-shared',
        '-fPIC',
        '-Wl,-soname,libtgcalls-missing.so.1',
        '-o',
        path.join(stubDir, 'libtgcalls-missing.so.1'),
        stubSource,
      ]);
      const addonSource = path.join(dir, 'addon.c');
      fs.writeFileSync(
        addonSource,
        'int srtp_stub(void);\nint use(void) { return srtp_stub(); }\n',
      );
      const addon = path.join(dir, 'fake.node');
      execFileSync('cc', [
        '-shared',
        '-fPIC',
        '-o',
        addon,
        addonSource,
        path.join(stubDir, 'libtgcalls-missing.so.1'),
      ]);
      fs.rmSync(stubDir, { recursive: true });

      const child = runNode(
        `try { require(${JSON.stringify(distEntry)}).versions(); process.exit(3); }
         catch (error) { console.log(JSON.stringify({ code: error.code, message: error.message })); }`,
        { NODE_TGCALLS_NATIVE_PATH: addon },
      );
      const error = JSON.parse(child.stdout) as { code: string; message: string };
      expect(error.code).toBe('NATIVE_ADDON_LOAD_FAILED');
      expect(error.message).toContain('libtgcalls-missing.so.1');
      expect(error.message).toContain('apt-get install libtgowt-dev');
      expect(error.message).toContain(addon);
      expect(error.message).toContain('`npm rebuild node-tgcalls`');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exports TgCallsError with a code', () => {
    const error = new TgCallsError('INVALID_ARGUMENT', 'bad');
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('INVALID_ARGUMENT');
  });
});
