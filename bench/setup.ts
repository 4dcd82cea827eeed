/**
 * Setup time, in a fresh process, calls one after another:
 * - engine: from creating and starting both engines with the key known to the first decoded
 *   audio frame on both sides (in-process loopback, real sockets);
 * - exchange: through LocalExchange and two CallManagers, from call() (phone.requestCall) to
 *   the first decoded audio frame on both sides: DH config, request, ring, accept, g_a/g_b,
 *   key verification, engine start, ICE, DTLS, first audio. The callee accepts at once.
 * Baseline, measured between the calls: the median UDP round trip on 127.0.0.1 (common.ts).
 *
 *   node build/bench/bench/setup.js [--calls 100] [--exchange-calls 50]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { CallManager } from '../lib/calls';
import type { PhoneCall } from '../lib/calls';
import { NativeCallEngine } from '../lib/engine/native-engine';
import type { EngineFactory } from '../lib/engine/types';
import { LocalExchange } from '../lib/exchange';
import { encodeWav, sineTone } from '../lib/media/wav';
import { makeKeys, startPair } from '../test/support/engine-pair';
import { emitResult, median, numberArg, percentile, round, udpRoundTripMs } from './common';

const audible = 1000; // peak above which a decoded frame counts as audio
const callTimeoutMs = 20_000;

/** Resolves with performance.now() at the first audible frame the engine emits. */
function firstAudio(engine: NativeCallEngine): Promise<number> {
  return new Promise((resolve) => {
    const listener = (samples: Int16Array): void => {
      if (samples.some((sample) => Math.abs(sample) > audible)) {
        engine.off('audio', listener);
        resolve(performance.now());
      }
    };
    engine.on('audio', listener);
  });
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`${what} took more than ${callTimeoutMs} ms`));
    }, callTimeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function summary(times: number[]): { medianMs: number; p95Ms: number; maxMs: number } {
  return {
    medianMs: round(median(times), 1),
    p95Ms: round(percentile(times, 95), 1),
    maxMs: round(Math.max(...times), 1),
  };
}

/** Resolves with performance.now() when the engine reports 'established'. */
function establishedAt(engine: NativeCallEngine): Promise<number> {
  return new Promise((resolve) => {
    engine.on('state', (state) => {
      if (state === 'established') resolve(performance.now());
    });
  });
}

interface EngineSetup {
  totalMs: number;
  /** Start to both sides established (ICE and DTLS done). */
  establishedMs: number;
  /** Start to the first side established. */
  firstEstablishedMs: number;
  /** Start to the last signaling unit either side sent before the first side was established. */
  signalingMs: number;
  signalingUnits: number;
  /** From the first side established to the second (one DTLS handshake's last flight). */
  establishedGapMs: number;
}

async function engineSetups(
  count: number,
  tone: string,
  baseline: number[],
): Promise<EngineSetup[]> {
  const times: EngineSetup[] = [];
  for (let i = 0; i < count; i++) {
    const keys = makeKeys(); // the key is known before the clock starts
    const audio = { inputWav: tone, loopInput: true, deliverIncoming: true };
    const startedAt = performance.now();
    const pair = startPair({ version: '11.0.0', ...keys, callerAudio: audio, calleeAudio: audio });
    const established = Promise.all([establishedAt(pair.caller), establishedAt(pair.callee)]);
    let lastSignaling = startedAt;
    let units = 0;
    let oneEstablished = false;
    for (const engine of [pair.caller, pair.callee]) {
      engine.on('state', (state) => {
        if (state === 'established') oneEstablished = true;
      });
      engine.on('signalingData', () => {
        if (oneEstablished) return;
        lastSignaling = performance.now();
        units++;
      });
    }
    try {
      const heard = await withTimeout(
        Promise.all([firstAudio(pair.caller), firstAudio(pair.callee)]),
        'engine setup',
      );
      const sides = await established;
      times.push({
        totalMs: Math.max(...heard) - startedAt,
        establishedMs: Math.max(...sides) - startedAt,
        firstEstablishedMs: Math.min(...sides) - startedAt,
        establishedGapMs: Math.abs(sides[0] - sides[1]),
        signalingMs: lastSignaling - startedAt,
        signalingUnits: units,
      });
    } finally {
      await pair.stop();
    }
    if (i % 10 === 0) baseline.push(await udpRoundTripMs(10));
  }
  return times;
}

interface ExchangeSetup {
  totalMs: number;
  /** call() to the caller's engine running (key exchange done). */
  keyExchangeMs: number;
}

async function exchangeSetups(
  count: number,
  tone: string,
  baseline: number[],
): Promise<ExchangeSetup[]> {
  const exchange = new LocalExchange();
  // Engines as the call layer creates them, with audio from the tone and 'audio' events.
  let heard: Promise<number>[] = [];
  let callerEngineAt = 0;
  const engineFactory: EngineFactory = (options) => {
    const engine = new NativeCallEngine({
      ...options,
      audio: { inputWav: tone, loopInput: true, deliverIncoming: true },
    });
    if (options.isOutgoing) callerEngineAt = performance.now();
    heard.push(firstAudio(engine));
    return engine;
  };
  const alice = new CallManager({ transport: exchange.connect(1n), engineFactory });
  const bob = new CallManager({ transport: exchange.connect(2n), engineFactory });
  bob.on('incomingCall', (call) => {
    void call.accept();
  });
  const results: ExchangeSetup[] = [];
  try {
    for (let i = 0; i < count; i++) {
      heard = [];
      const ended: Promise<void>[] = [];
      const calleeEnded = new Promise<void>((resolve) => {
        bob.once('incomingCall', (call: PhoneCall) => {
          call.once('ended', () => {
            resolve();
          });
        });
      });
      const startedAt = performance.now();
      const call = alice.call({ _: 'inputUser', user_id: 2n, access_hash: 0n });
      ended.push(
        new Promise<void>((resolve) => {
          call.once('ended', () => {
            resolve();
          });
        }),
        calleeEnded,
      );
      try {
        await withTimeout(
          (async () => {
            while (heard.length < 2) await new Promise((resolve) => setTimeout(resolve, 1));
            const times = await Promise.all(heard);
            results.push({
              totalMs: Math.max(...times) - startedAt,
              keyExchangeMs: callerEngineAt - startedAt,
            });
          })(),
          'exchange setup',
        );
      } finally {
        await call.hangUp();
        await withTimeout(Promise.all(ended), 'hang-up');
      }
      if (i % 10 === 0) baseline.push(await udpRoundTripMs(10));
    }
  } finally {
    await Promise.all([alice.close(), bob.close()]);
    await exchange.close();
  }
  return results;
}

async function main(): Promise<void> {
  const calls = numberArg('calls', 100);
  const exchangeCalls = numberArg('exchange-calls', 50);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-bench-setup-'));
  try {
    const tone = path.join(dir, 'tone.wav');
    fs.writeFileSync(
      tone,
      encodeWav({ sampleRate: 48000, channels: 1, samples: sineTone(1000, 2) }),
    );
    const baseline: number[] = [];
    // One call first so the runtime's threads and factory exist (a process's first call
    // also pays for starting WebRTC); reported separately.
    const firstCall = await engineSetups(1, tone, baseline);
    const engine = await engineSetups(calls, tone, baseline);
    let exchange: ExchangeSetup[] = [];
    let exchangeError: string | undefined;
    try {
      exchange = exchangeCalls > 0 ? await exchangeSetups(exchangeCalls, tone, baseline) : [];
    } catch (error) {
      exchangeError = String(error);
    }
    const udpRttMs = median(baseline);
    const engineSummary = summary(engine.map((e) => e.totalMs));
    const exchangeTotals = exchange.map((e) => e.totalMs);
    emitResult({
      kind: 'setup',
      calls,
      firstCallInProcessMs: round(firstCall[0]?.totalMs ?? NaN, 1),
      engine: engineSummary,
      engineEstablished: summary(engine.map((e) => e.establishedMs)),
      engineFirstEstablished: summary(engine.map((e) => e.firstEstablishedMs)),
      engineSignaling: summary(engine.map((e) => e.signalingMs)),
      engineSignalingUnits: median(engine.map((e) => e.signalingUnits)),
      engineEstablishedGap: summary(engine.map((e) => e.establishedGapMs)),
      exchangeCalls: exchange.length,
      exchange: exchange.length ? summary(exchangeTotals) : null,
      exchangeKeyExchange: exchange.length ? summary(exchange.map((e) => e.keyExchangeMs)) : null,
      exchangeError,
      udpRttMs: round(udpRttMs, 3),
      engineMedianInUdpRtt: round(engineSummary.medianMs / udpRttMs, 0),
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
