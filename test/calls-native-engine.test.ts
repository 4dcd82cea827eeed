import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { CallManager, type PhoneCall } from '../lib/calls';
import { runExchangeDemo } from '../lib/calls/demo';
import { LocalExchange } from '../lib/exchange';
import { NativeCallEngine, createNativeEngine } from '../lib/engine/native-engine';
import { analyseTone } from '../lib/media/analysis';
import { decodeWav, encodeWav, sineTone } from '../lib/media/wav';
import { repoRoot } from './support/paths';

describe('calls through the local exchange with the native engine', () => {
  it.each([['11.0.0'], ['10.0.0']] as const)(
    'requests, rings, accepts, exchanges keys, carries audio both ways and hangs up (%s)',
    async (version) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-calls-'));
      try {
        const tone = (hz: number, file: string) => {
          fs.writeFileSync(
            file,
            encodeWav({ sampleRate: 48000, channels: 1, samples: sineTone(hz, 1) }),
          );
          return file;
        };
        const callerTone = tone(1000, path.join(dir, 'a.wav'));
        const calleeTone = tone(600, path.join(dir, 'b.wav'));
        const callerHeard = path.join(dir, 'caller-heard.wav');
        const calleeHeard = path.join(dir, 'callee-heard.wav');
        const result = await runExchangeDemo({
          seconds: 2,
          protocolVersions: [version],
          engineFactory: (options) =>
            createNativeEngine({
              ...options,
              audio: options.isOutgoing
                ? { inputWav: callerTone, loopInput: true, outputWav: callerHeard }
                : { inputWav: calleeTone, loopInput: true, outputWav: calleeHeard },
            }),
        });
        expect(result.caller.version).toBe(version);
        expect(result.callee.version).toBe(version);
        expect(result.caller.keyFingerprint).toBe(result.callee.keyFingerprint);
        expect(result.caller.emoji).toEqual(result.callee.emoji);
        expect(result.discard.reason).toBe('hangup');
        expect(result.rating?.comment).toContain('#echo');
        expect(result.debugSaved).toBe(true);
        const debug = JSON.parse(result.caller.finalState?.debugJson ?? '{}') as { v?: number };
        expect(debug.v).toBe(3);
        for (const [file, hz] of [
          [calleeHeard, 1000],
          [callerHeard, 600],
        ] as const) {
          const audio = decodeWav(fs.readFileSync(file));
          const analysis = analyseTone(audio.samples, audio.sampleRate, hz);
          expect(analysis.dominantHz).toBeCloseTo(hz, -1);
          expect(analysis.toneFraction).toBeGreaterThan(0.9);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );

  it('prints the demo report as JSON with every field the CLI promises', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-demo-'));
    try {
      const stdout = execFileSync(
        process.execPath,
        [
          path.join(repoRoot, 'dist', 'cli', 'main.js'),
          'demo',
          '--json',
          '--seconds',
          '2',
          '--out',
          out,
        ],
        { encoding: 'utf8' },
      );
      type Side = { finalState: unknown; version: string; keyFingerprint: string; emoji: string[] };
      const report = JSON.parse(stdout) as Record<string, unknown> & {
        caller: Side;
        callee: Side;
        discard: { reason: string; duration: number };
        rating: { rating: number; comment: string; userInitiative: boolean };
        audio: { callerToCallee: { dominantHz: number }; calleeToCaller: { dominantHz: number } };
      };
      expect(report.caller.version).toBe('11.0.0');
      expect(report.caller.keyFingerprint).toMatch(/^-?\d+$/);
      expect(report.caller.emoji).toHaveLength(4);
      expect(report.caller.finalState).toBeDefined();
      // The callee ran the same version with the same key, and its own engine.
      expect(report.callee.version).toBe('11.0.0');
      expect(report.callee.keyFingerprint).toBe(report.caller.keyFingerprint);
      expect(report.callee.emoji).toEqual(report.caller.emoji);
      expect(report.callee.emoji.every((emoji) => emoji.length > 0)).toBe(true);
      expect(report.callee.finalState).toBeDefined();
      expect(report.callee.finalState).not.toEqual(report.caller.finalState);
      expect(report.discard.reason).toBe('hangup');
      // Hung up --seconds 2 after both sides were established.
      expect(report.discard.duration).toBeGreaterThanOrEqual(2);
      expect(report.discard.duration).toBeLessThanOrEqual(3);
      expect(report.rating.rating).toBe(4);
      expect(report.rating.userInitiative).toBe(false);
      expect(report.debugSaved).toBe(true);
      expect(report.audio.callerToCallee.dominantHz).toBeCloseTo(1000, -1);
      expect(report.audio.calleeToCaller.dominantHz).toBeCloseTo(600, -1);
      expect(report.recordings).toHaveLength(2);
      // The call report: an HTML page with its plots, and the measured figures as JSON.
      const html = fs.readFileSync(report.report as string, 'utf8');
      expect(html.match(/data:image\/png;base64,/g)?.length).toBe(10);
      const figures = JSON.parse(fs.readFileSync(report.reportJson as string, 'utf8')) as {
        setupMs: number;
        connection: string;
        codec: string;
        audio: { title: string; dominantHz?: number }[];
        timeline: { bytesReceived: number }[];
        debug: { v: number };
      };
      expect(figures.setupMs).toBeGreaterThan(0);
      expect(figures.connection).toMatch(/^direct/);
      expect(figures.codec).toBe('audio/opus');
      expect(figures.audio.find((a) => a.title === 'callee heard')?.dominantHz).toBeCloseTo(
        1000,
        -1,
      );
      expect(figures.timeline.length).toBeGreaterThan(0);
      expect(figures.debug.v).toBe(3);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);

  it('forwards the engine audio levels as audioLevel events, both directions, while a tone plays', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-levels-'));
    const exchange = new LocalExchange();
    const alice = new CallManager({ transport: exchange.connect(1n) });
    const bob = new CallManager({ transport: exchange.connect(2n) });
    try {
      const tone = (hz: number) => {
        const file = path.join(dir, `${hz}.wav`);
        fs.writeFileSync(
          file,
          encodeWav({ sampleRate: 48000, channels: 1, samples: sineTone(hz, 1, 0.4) }),
        );
        return file;
      };
      const levels: Record<'caller' | 'callee', { outgoing: number; incoming: number }[]> = {
        caller: [],
        callee: [],
      };
      const answered = new Promise<PhoneCall>((resolve) => {
        bob.once('incomingCall', (call) => {
          call.on('audioLevel', (level) => levels.callee.push(level));
          void call.accept({ audio: { inputWav: tone(600), loopInput: true } });
          resolve(call);
        });
      });
      const outgoing = alice.call(
        { _: 'inputUser', user_id: 2n, access_hash: 0n },
        { media: { audio: { inputWav: tone(1000), loopInput: true } } },
      );
      outgoing.on('audioLevel', (level) => levels.caller.push(level));
      const incoming = await answered;
      await Promise.all(
        [outgoing, incoming].map(
          (call) =>
            new Promise<void>((resolve) => {
              call.on('state', (state) => {
                if (state === 'established') resolve();
              });
            }),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await outgoing.hangUp();
      const counted = { caller: levels.caller.length, callee: levels.callee.length };
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (const side of ['caller', 'callee'] as const) {
        const list = levels[side];
        // Every 100 ms while the engine ran (at least the 1.5 s of the established call).
        expect(list.length).toBeGreaterThanOrEqual(10);
        for (const level of list) {
          expect(level.outgoing).toBeGreaterThanOrEqual(0);
          expect(level.outgoing).toBeLessThanOrEqual(1);
          expect(level.incoming).toBeGreaterThanOrEqual(0);
          expect(level.incoming).toBeLessThanOrEqual(1);
        }
        // A 0.4 tone is sent and one is heard: peaks well above silence both ways.
        expect(Math.max(...list.map((level) => level.outgoing))).toBeGreaterThan(0.2);
        expect(Math.max(...list.map((level) => level.incoming))).toBeGreaterThan(0.1);
        // None after the call ended.
        expect(list.length).toBe(counted[side]);
      }
    } finally {
      await alice.close();
      await bob.close();
      await exchange.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('gives each call its own media through call() and accept(), with the native engine by default', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-media-'));
    const exchange = new LocalExchange();
    const alice = new CallManager({ transport: exchange.connect(1n) });
    const bob = new CallManager({ transport: exchange.connect(2n) });
    try {
      const greeting = path.join(dir, 'greeting.wav');
      fs.writeFileSync(
        greeting,
        encodeWav({ sampleRate: 48000, channels: 1, samples: sineTone(700, 1) }),
      );
      const recording = path.join(dir, 'bob-heard.wav');
      const answered = new Promise<PhoneCall>((resolve) => {
        bob.once('incomingCall', (call) => {
          void call.accept({ audio: { outputWav: recording } });
          resolve(call);
        });
      });
      const outgoing = alice.call(
        { _: 'inputUser', user_id: 2n, access_hash: 0n },
        { media: { audio: { inputWav: greeting, loopInput: true } } },
      );
      const incoming = await answered;
      await new Promise<void>((resolve) => {
        incoming.on('state', (state) => {
          if (state === 'established') resolve();
        });
      });
      expect(incoming.engine).toBeInstanceOf(NativeCallEngine);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await outgoing.hangUp();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const audio = decodeWav(fs.readFileSync(recording));
      const analysis = analyseTone(audio.samples, audio.sampleRate, 700);
      expect(analysis.dominantHz).toBeCloseTo(700, -1);
      expect(analysis.toneFraction).toBeGreaterThan(0.9);
    } finally {
      await alice.close();
      await bob.close();
      await exchange.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
