import { Worker } from 'node:worker_threads';

import { generateCertificateFingerprint, setLogger } from '../lib';
import { native } from '../lib/native';
import { runNode } from './support/child';
import { distEntry } from './support/paths';

const sha256Fingerprint = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

describe('the shared WebRTC runtime', () => {
  afterEach(() => {
    setLogger('none');
  });

  it('generates DTLS certificates whose SHA-256 fingerprints differ each time', async () => {
    const first = await generateCertificateFingerprint();
    const second = await generateCertificateFingerprint();
    expect(first).toMatch(sha256Fingerprint);
    expect(second).toMatch(sha256Fingerprint);
    expect(first).not.toBe(second);
  });

  it('shares one runtime among concurrent operations', async () => {
    const fingerprints = await Promise.all(
      Array.from({ length: 8 }, () => generateCertificateFingerprint()),
    );
    expect(new Set(fingerprints).size).toBe(8);
    expect(native().liveRuntimeLeases()).toBe(1);
  });

  it('delivers WebRTC log lines at the chosen level to the logger', async () => {
    const lines: { level: string; line: string }[] = [];
    setLogger('info', (level, line) => lines.push({ level, line }));
    await generateCertificateFingerprint();
    expect(lines.some(({ line }) => line.includes('Making certificate'))).toBe(true);
    expect(lines.every(({ level }) => level !== 'verbose')).toBe(true);
  });

  it('filters out lines below the chosen level', async () => {
    const lines: string[] = [];
    setLogger('error', (_level, line) => lines.push(line));
    await generateCertificateFingerprint();
    expect(lines.filter((line) => line.includes('Making certificate'))).toEqual([]);
  });

  it('stops delivering once the logger is removed', async () => {
    const lines: string[] = [];
    setLogger('info', (_level, line) => lines.push(line));
    setLogger('none');
    await generateCertificateFingerprint();
    expect(lines).toEqual([]);
  });

  it('rejects an unknown log level with a RangeError', () => {
    // Jest runs tests in their own realm, so compare the name rather than the constructor.
    let caught: unknown;
    try {
      setLogger('loud' as 'info', () => undefined);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
  });

  it('prints nothing to stdout or stderr when no logger is set', () => {
    const child = runNode(
      `require(${JSON.stringify(distEntry)}).generateCertificateFingerprint()
         .then(() => process.stdout.write('done'));`,
    );
    expect(child.status).toBe(0);
    expect(child.stdout).toBe('done');
    expect(child.stderr).toBe('');
  });

  it('exits cleanly when process.exit() runs while native work is in flight', () => {
    const child = runNode(
      `const tgcalls = require(${JSON.stringify(distEntry)});
       tgcalls.generateCertificateFingerprint().then(() => {
         for (let i = 0; i < 20; i++) tgcalls.generateCertificateFingerprint();
         process.exit(7);
       });`,
    );
    expect(child.signal).toBeNull();
    expect(child.status).toBe(7);
    expect(child.stderr).toBe('');
  });

  it('keeps the event loop alive until a pending result arrives, then lets it end', () => {
    const child = runNode(
      `require(${JSON.stringify(distEntry)}).generateCertificateFingerprint()
         .then((fingerprint) => process.stdout.write(fingerprint));`,
    );
    expect(child.status).toBe(0);
    expect(child.stdout).toMatch(sha256Fingerprint);
  });

  it('survives workers terminated with work in flight and returns their runtime share', async () => {
    await generateCertificateFingerprint();
    for (let round = 0; round < 5; round++) {
      const worker = new Worker(
        `const tgcalls = require(${JSON.stringify(distEntry)});
         for (let i = 0; i < 10; i++) tgcalls.generateCertificateFingerprint();
         require('node:worker_threads').parentPort.postMessage('started');
         setInterval(() => {}, 1000);`,
        { eval: true },
      );
      await new Promise((resolve) => worker.once('message', resolve));
      await worker.terminate();
    }
    expect(native().liveRuntimeLeases()).toBe(1);
    expect(await generateCertificateFingerprint()).toMatch(sha256Fingerprint);
  });
});
