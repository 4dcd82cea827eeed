import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

import { setLogger } from '../lib';
import { runExchangeDemo } from '../lib/calls/demo';
import { createNativeEngine, NativeCallEngine } from '../lib/engine/native-engine';
import { botConfig, makeKeys } from './support/engine-pair';
import { repoRoot } from './support/paths';

/** Every 16-byte window of `secret` in the encodings a log line or a JSON dump would use. */
function encodings(secret: Buffer): string[] {
  const windows: string[] = [];
  for (let at = 0; at + 16 <= secret.length; at += 16) {
    const part = secret.subarray(at, at + 16);
    windows.push(part.toString('hex'), part.toString('hex').toUpperCase(), part.toString('base64'));
  }
  windows.push(JSON.stringify([...secret.subarray(0, 16)]).slice(1, -1)); // a dumped Uint8Array
  return windows;
}

function expectNoSecret(text: string, secret: Buffer): void {
  for (const window of encodings(secret)) expect(text).not.toContain(window);
}

describe('key material', () => {
  it.each(['11.0.0', '10.0.0'] as const)(
    'is wiped from process memory: DH exponents once released, the call key once the call ends (%s)',
    (version) => {
      const output = execFileSync(
        process.execPath,
        [
          path.join(__dirname, 'support', 'key-wipe-child.js'),
          path.join(repoRoot, 'dist'),
          version,
        ],
        { encoding: 'utf8', timeout: 60_000 },
      );
      const report = JSON.parse(output) as Record<string, number>;
      // The scan finds what is there (4 windows per live secret, one key per side)...
      expect(report.exponentWhileHeld).toBe(4);
      expect(report.keyDuringCall).toBe(8);
      // ...and nothing once it is gone, without waiting for garbage collection.
      expect(report.exponentAfterRelease).toBe(0);
      expect(report.keyAfterCallEnded).toBe(0);
    },
  );

  it('never appears in WebRTC logs, call logs or the debug JSON (what saveCallDebug uploads) of a whole call', async () => {
    const keys: Buffer[] = [];
    const lines: string[] = [];
    const sink = (line: string): void => {
      lines.push(line);
    };
    setLogger('verbose', (_level, line) => lines.push(line));
    try {
      const result = await runExchangeDemo({
        seconds: 1,
        logger: { debug: sink, info: sink, warn: sink },
        engineFactory: (options) => {
          keys.push(options.key.exportBytes());
          return createNativeEngine(options);
        },
      });
      const text = [
        ...lines,
        JSON.stringify(result, (_key, value: unknown) =>
          typeof value === 'bigint' ? value.toString() : value,
        ),
      ].join('\n');
      expect(keys).toHaveLength(2);
      expect(lines.length).toBeGreaterThan(100); // verbose WebRTC logging did run
      expect(result.debugSaved).toBe(true);
      for (const key of keys) expectNoSecret(text, key);
    } finally {
      setLogger('none');
    }
  });

  it('never appears in the error of a call that fails', async () => {
    const { callerKey, calleeKey } = makeKeys();
    const keyBytes = callerKey.exportBytes();
    const engine = new NativeCallEngine({
      version: '11.0.0',
      key: callerKey,
      isOutgoing: true,
      rtcServers: [],
      enableP2P: true,
      customParameters: {},
      config: { ...botConfig, connectTimeoutMs: 500 },
      video: false,
    });
    const failure = new Promise<Error>((resolve) => engine.on('error', resolve));
    engine.start();
    const error = await failure;
    await engine.stop();
    expect(error).toMatchObject({ code: 'CALL_CONNECT_TIMEOUT' });
    expectNoSecret(`${error.message}\n${String(error.stack)}\n${JSON.stringify(error)}`, keyBytes);
    callerKey.release();
    calleeKey.release();
  });
});
