import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { NativeCallEngine } from '../lib/engine/native-engine';
import { encodeWav, sineTone } from '../lib/media/wav';
import { botCallerOptions, makeKeys, startPair } from './support/engine-pair';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// What a running call obeys (mute) and reports (signal bars, statistics, dropped frames),
// through real loopback calls.
describe('a running call', () => {
  let dir: string;
  let toneFile: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-controls-'));
    toneFile = path.join(dir, 'tone.wav');
    fs.writeFileSync(
      toneFile,
      encodeWav({ sampleRate: 48000, channels: 1, samples: sineTone(800, 2, 0.5) }),
    );
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each(['11.0.0', '10.0.0'] as const)(
    'sends silence while muted and the tone again once unmuted, and tells the peer (%s)',
    async (version) => {
      const pair = startPair({ version, callerAudio: { inputWav: toneFile, loopInput: true } });
      const heard: number[] = [];
      pair.callee.on('audioLevels', (levels) => heard.push(levels.incoming));
      const remoteAudio: string[] = [];
      pair.callee.on('remoteMediaState', (audio) => remoteAudio.push(audio));
      // The loudest incoming level and the exact-zero frames of the next `ms`.
      const measure = async (ms: number) => {
        const from = heard.length;
        const silentBefore = pair.callee.audioCounters().receivedSilentFrames;
        await delay(ms);
        return {
          peak: Math.max(...heard.slice(from)),
          silentFrames: pair.callee.audioCounters().receivedSilentFrames - silentBefore,
        };
      };
      try {
        await pair.established;
        await delay(1000);
        const unmuted = await measure(1000);
        pair.caller.setMuted(true);
        await delay(500); // what was already in flight
        const muted = await measure(1000);
        pair.caller.setMuted(false);
        await delay(500);
        const unmutedAgain = await measure(1000);

        expect(unmuted.peak).toBeGreaterThan(0.3);
        expect(unmuted.silentFrames).toBe(0);
        expect(muted.peak).toBeLessThan(0.001);
        expect(muted.silentFrames).toBeGreaterThan(50); // of about 100 frames
        expect(unmutedAgain.peak).toBeGreaterThan(0.3);
        expect(remoteAudio).toContain('muted');
        expect(remoteAudio.at(-1)).toBe('active');
      } finally {
        await pair.stop();
      }
    },
  );

  it('reports signal bars between 0 and 4, above 0 once connected', async () => {
    const pair = startPair({
      version: '11.0.0',
      callerAudio: { inputWav: toneFile, loopInput: true },
    });
    const bars: number[] = [];
    pair.caller.on('signalBars', (value) => bars.push(value));
    try {
      await pair.established;
      const before = bars.length;
      await delay(2500); // bars come once a second
      const connectedBars = bars.slice(before);
      expect(connectedBars.length).toBeGreaterThanOrEqual(2);
      for (const value of bars) {
        expect(Number.isInteger(value)).toBe(true);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(4);
      }
      expect(connectedBars.at(-1)).toBeGreaterThan(0);
    } finally {
      await pair.stop();
    }
  });

  it('reports round-trip time, loss and jitter with plausible values on a clean path', async () => {
    const pair = startPair({
      version: '10.0.0',
      callerAudio: { inputWav: toneFile, loopInput: true },
      calleeAudio: { inputWav: toneFile, loopInput: true },
    });
    try {
      await pair.established;
      await delay(3000);
      const stats = await pair.caller.getStats();
      expect(Number.isFinite(stats.rttMs)).toBe(true);
      expect(stats.rttMs).toBeGreaterThanOrEqual(0); // measured: -1 means not yet
      expect(stats.rttMs).toBeLessThan(50); // loopback
      expect(stats.packetLoss).toBeGreaterThanOrEqual(0);
      expect(stats.packetLoss).toBeLessThan(0.01);
      expect(stats.packetsLost).toBe(0);
      expect(Number.isFinite(stats.jitterMs)).toBe(true);
      expect(stats.jitterMs).toBeGreaterThanOrEqual(0);
      expect(stats.jitterMs).toBeLessThan(30);
    } finally {
      await pair.stop();
    }
  });

  it('refuses an unknown protocol version with UNSUPPORTED_PROTOCOL_VERSION', () => {
    const { callerKey, calleeKey } = makeKeys();
    try {
      for (const version of ['9.0.0', '12.0.0', '']) {
        let failure: unknown;
        try {
          new NativeCallEngine(botCallerOptions(callerKey, { version: version as '11.0.0' }));
        } catch (error) {
          failure = error;
        }
        expect(failure).toMatchObject({
          name: 'TgCallsError',
          code: 'UNSUPPORTED_PROTOCOL_VERSION',
        });
        expect((failure as Error).message).toContain(`'${version}'`);
      }
    } finally {
      callerKey.release();
      calleeKey.release();
    }
  });

  it('counts the received frames dropped while JavaScript is blocked, and none otherwise', async () => {
    // Both sides deliver frames to JavaScript, so the shared bounded event queue fills sooner.
    const pair = startPair({
      version: '11.0.0',
      callerAudio: { inputWav: toneFile, loopInput: true, deliverIncoming: true },
      calleeAudio: { inputWav: toneFile, loopInput: true, deliverIncoming: true },
    });
    let delivered = 0;
    pair.callee.on('audio', () => delivered++);
    pair.caller.on('audio', () => undefined);
    try {
      await pair.established;
      await delay(1000);
      expect(pair.callee.audioCounters().receivedFramesDropped).toBe(0);

      // Block the event loop until the callee counts a dropped frame (or 20 s pass).
      const sleeper = new Int32Array(new SharedArrayBuffer(4));
      const blockedAt = Date.now();
      while (
        pair.callee.audioCounters().receivedFramesDropped === 0 &&
        Date.now() - blockedAt < 20_000
      ) {
        Atomics.wait(sleeper, 0, 0, 50);
      }
      const dropped = pair.callee.audioCounters().receivedFramesDropped;
      expect(dropped).toBeGreaterThan(0);

      await delay(1000); // the queue drains; frames flow again
      const counters = pair.callee.audioCounters();
      // Every received frame was either delivered or counted as dropped (a few in flight).
      expect(delivered + counters.receivedFramesDropped).toBeLessThanOrEqual(
        counters.framesReceived,
      );
      expect(delivered + counters.receivedFramesDropped).toBeGreaterThan(
        counters.framesReceived - 20,
      );
    } finally {
      await pair.stop();
    }
  }, 60_000);
});
