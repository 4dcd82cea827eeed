import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

import { NativeCallEngine } from '../lib/engine/native-engine';
import type { EngineAudioOptions } from '../lib/engine/types';
import { encodeWav, sineTone } from '../lib/media/wav';
import { runNode } from './support/child';
import { botCallerOptions, makeKeys, startPair } from './support/engine-pair';
import { repoRoot } from './support/paths';

const dist = (...parts: string[]): string => JSON.stringify(path.join(repoRoot, 'dist', ...parts));
const callSource = `
  const { DhExchange, telegramDhPrime } = require(${dist('crypto', 'index.js')});
  const { NativeCallEngine } = require(${dist('engine', 'native-engine.js')});
  function startCall(version) {
    const p = telegramDhPrime();
    const a = new DhExchange(p, 3), b = new DhExchange(p, 3);
    const config = { connectTimeoutMs: 30000, packetTimeoutMs: 10000 };
    const common = { version, rtcServers: [], enableP2P: true, customParameters: {}, config, video: false };
    const caller = new NativeCallEngine({ ...common, key: a.computeKey(b.publicValue), isOutgoing: true });
    const callee = new NativeCallEngine({ ...common, key: b.computeKey(a.publicValue), isOutgoing: false });
    caller.on('signalingData', (d) => callee.receiveSignalingData(d));
    callee.on('signalingData', (d) => caller.receiveSignalingData(d));
    const established = new Promise((resolve) => caller.on('state', (s) => s === 'established' && resolve([caller, callee])));
    caller.start(); callee.start();
    return established;
  }`;

/** What a crashed native teardown prints. */
const crashMarkers = /pure virtual|Aborted|FATAL|Segmentation|terminate called|napi_|Assertion/i;

function engineWithAudio(audio: EngineAudioOptions): NativeCallEngine {
  const { callerKey, calleeKey } = makeKeys();
  calleeKey.release();
  try {
    return new NativeCallEngine(botCallerOptions(callerKey, { audio }));
  } finally {
    callerKey.release();
  }
}

describe('a stopped call', () => {
  it('refuses start(), and ignores or answers harmlessly every other method', async () => {
    const pair = startPair({ version: '11.0.0' });
    await pair.established;
    const final = await pair.caller.stop();
    const { caller } = pair;
    expect(() => {
      caller.start();
    }).toThrow(expect.objectContaining({ code: 'CALL_INVALID_STATE' }) as Error);
    expect(() => {
      caller.receiveSignalingData(Buffer.alloc(100, 1));
      caller.setMuted(true);
    }).not.toThrow();
    expect(caller.pushAudio(new Int16Array(480))).toBe(false);
    expect(caller.pushVideoFrame(2, 2, new Uint8Array(6))).toBe(false);
    expect((await caller.getStats()).bytesReceived).toBe(0);
    expect(caller.audioCounters().framesSent).toBeGreaterThan(0);
    expect(caller.videoCounters().framesReceived).toBe(0);
    // Stopping again, even twice at once, gives the same final state.
    const again = await Promise.all([caller.stop(), caller.stop()]);
    expect(again).toEqual([final, final]);
    await pair.stop();
  });

  it('stops cleanly when it was never started, and cannot be started afterwards', async () => {
    const engine = engineWithAudio({});
    const final = await engine.stop();
    expect(final.trafficStats).toEqual({ bytesSent: 0, bytesReceived: 0 });
    expect(() => {
      engine.start();
    }).toThrow(expect.objectContaining({ code: 'CALL_INVALID_STATE' }) as Error);
  });

  it('stops while the connection is still being set up', async () => {
    const pair = startPair({ version: '10.0.0' });
    const [callerFinal, calleeFinal] = await Promise.all([pair.caller.stop(), pair.callee.stop()]);
    expect(JSON.parse(callerFinal.debugJson)).toMatchObject({ v: 3 });
    expect(JSON.parse(calleeFinal.debugJson)).toMatchObject({ v: 3 });
    await pair.stop();
  });
});

describe('audio files that are not usable audio', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-bad-media-'));
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const file = (name: string, bytes: Buffer): string => {
    const target = path.join(dir, name);
    fs.writeFileSync(target, bytes);
    return target;
  };
  const wav = encodeWav({ sampleRate: 48000, channels: 1, samples: sineTone(440, 0.5) });

  it.each([
    ['an empty file', () => file('empty.wav', Buffer.alloc(0)), 'MEDIA_FILE_INVALID'],
    ['a header cut short', () => file('cut.wav', wav.subarray(0, 30)), 'MEDIA_FILE_INVALID'],
    [
      'text',
      () => file('text.wav', Buffer.from('not a wave file at all\n'.repeat(20))),
      'MEDIA_FILE_INVALID',
    ],
    [
      'random bytes',
      () =>
        file('random.wav', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))),
      'MEDIA_FILE_INVALID',
    ],
    [
      'an mp3-looking file',
      () => file('tone.mp3', Buffer.concat([Buffer.from('ID3\x03\x00'), Buffer.alloc(500, 0xff)])),
      'MEDIA_FILE_INVALID',
    ],
    ['a missing file', () => path.join(dir, 'missing.wav'), 'MEDIA_FILE_NOT_FOUND'],
  ])('refuses %s as input with a typed error', (_name, input, code) => {
    expect(() => engineWithAudio({ inputWav: input() })).toThrow(
      expect.objectContaining({ name: 'TgCallsError', code }) as Error,
    );
  });

  it('refuses a recording path it cannot write with MEDIA_FILE_UNWRITABLE', () => {
    expect(() => engineWithAudio({ outputWav: path.join(dir, 'no', 'such', 'dir.wav') })).toThrow(
      expect.objectContaining({ code: 'MEDIA_FILE_UNWRITABLE' }) as Error,
    );
  });

  it('plays what is there of a file whose data is shorter than its header says', async () => {
    const truncated = file('short.wav', wav.subarray(0, 44 + 9600)); // header says 0.5 s, 0.1 s there
    const received: Int16Array[] = [];
    const pair = startPair({
      version: '11.0.0',
      callerAudio: { inputWav: truncated, loopInput: true },
      calleeAudio: { deliverIncoming: true },
    });
    pair.callee.on('audio', (frame) => received.push(frame));
    await pair.established;
    await new Promise((resolve) => setTimeout(resolve, 800));
    await pair.stop();
    expect(received.some((frame) => frame.some((sample) => Math.abs(sample) > 1000))).toBe(true);
  });
});

describe('ending the process or a worker with calls running', () => {
  it('dies with exit code 1 and no native crash on an uncaught exception mid-call', () => {
    const child = runNode(`${callSource}
      Promise.all([startCall('11.0.0'), startCall('10.0.0')]).then(() => {
        setTimeout(() => { throw new Error('boom from the application'); }, 100);
      });`);
    expect(child.signal).toBeNull();
    expect(child.status).toBe(1);
    expect(child.stderr).toContain('boom from the application');
    expect(child.stderr).not.toMatch(crashMarkers);
  });

  it('exits cleanly on SIGTERM handled by process.exit() with calls still running', () => {
    const child = runNode(`${callSource}
      process.on('SIGTERM', () => process.exit(0));
      startCall('11.0.0').then(() => process.kill(process.pid, 'SIGTERM'));`);
    expect(child.signal).toBeNull();
    expect(child.status).toBe(0);
    expect(child.stderr).toBe('');
  });

  it('ends a worker that calls process.exit() mid-call and keeps the main thread working', async () => {
    for (let round = 0; round < 2; round++) {
      const worker = new Worker(
        `${callSource}
         startCall('11.0.0').then(() => process.exit(3));`,
        { eval: true },
      );
      const code = await new Promise<number>((resolve, reject) => {
        worker.once('exit', resolve);
        worker.once('error', reject);
      });
      expect(code).toBe(3);
    }
    const pair = startPair({ version: '10.0.0' });
    await pair.established;
    await pair.stop();
  });

  it('terminates a worker while its stop() is still in flight', async () => {
    const worker = new Worker(
      `${callSource}
       startCall('10.0.0').then((engines) => {
         for (const engine of engines) void engine.stop();
         require('node:worker_threads').parentPort.postMessage('stopping');
       });`,
      { eval: true },
    );
    await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
  });
});
