/**
 * A set of simultaneous loopback calls in one JavaScript thread: both endpoints of each call
 * in this process, a different tone each way (and per call), audio read from and recorded to
 * WAV files natively, echo cancellation, noise suppression and gain control off (bots).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { decodeWav, encodeWav, sineTone } from '../lib/media/wav';
import { analyseTone, toneToleranceHz } from '../lib/media/analysis';
import { startPair, type EnginePair } from '../test/support/engine-pair';
import { sleep } from './common';

/** Tones of call `index`: distinct for every call and direction, whole cycles in 2 s. */
export function callTones(index: number): { callerHz: number; calleeHz: number } {
  return { callerHz: 300 + 20 * index, calleeHz: 1300 + 20 * index };
}

export interface CallAudioResult {
  index: number;
  callerHz: number;
  calleeHz: number;
  /** toneFraction of what the callee heard (the caller's tone) and vice versa, from mark(). */
  callerToCallee: number;
  calleeToCaller: number;
  packetLoss: number;
  jitterMs: number;
}

export interface CallSet {
  /** Resolves with ms from start to every call established; rejects on a failure. */
  established: Promise<number>;
  /** Marks where the analysed part of every recording starts (the measurement window). */
  mark(): void;
  /** Audio frames sent and received so far, summed over every endpoint. */
  frames(): { sent: number; received: number };
  /** Stops every call and analyses what each side heard. */
  finish(): Promise<CallAudioResult[]>;
}

function toneFile(dir: string, hz: number): string {
  const file = path.join(dir, `tone-${hz}.wav`);
  if (!fs.existsSync(file))
    fs.writeFileSync(file, encodeWav({ sampleRate: 48000, channels: 1, samples: sineTone(hz, 2) }));
  return file;
}

function toneFraction(file: string, hz: number, fromFrame = 0): number {
  const audio = decodeWav(fs.readFileSync(file));
  const analysis = analyseTone(audio.samples.subarray(fromFrame * 480), audio.sampleRate, hz);
  const tolerance = toneToleranceHz(hz);
  return Math.abs(analysis.dominantHz - hz) <= tolerance ? analysis.toneFraction : 0;
}

/**
 * Starts calls `first` … `first + count - 1` (indices pick the tones), one every `staggerMs`
 * (as a bot's calls arrive over time; 0 starts them all at once).
 */
export function startCallSet(
  first: number,
  count: number,
  dir: string,
  staggerMs: number,
): CallSet {
  const startedAt = performance.now();
  const calls: {
    index: number;
    pair: EnginePair;
    heard: { caller: string; callee: string };
    markedFrames: { caller: number; callee: number };
  }[] = [];
  const startCall = (index: number): void => {
    const { callerHz, calleeHz } = callTones(index);
    const heard = {
      caller: path.join(dir, `call-${index}-caller-heard.wav`),
      callee: path.join(dir, `call-${index}-callee-heard.wav`),
    };
    const pair = startPair({
      version: '11.0.0',
      callerAudio: { inputWav: toneFile(dir, callerHz), loopInput: true, outputWav: heard.caller },
      calleeAudio: { inputWav: toneFile(dir, calleeHz), loopInput: true, outputWav: heard.callee },
      config: { connectTimeoutMs: 60_000 },
    });
    calls.push({ index, pair, heard, markedFrames: { caller: 0, callee: 0 } });
  };
  const allStarted = (async () => {
    for (let index = first; index < first + count; index++) {
      if (index > first && staggerMs > 0) await sleep(staggerMs);
      startCall(index);
    }
  })();
  const established = allStarted
    .then(() => Promise.all(calls.map((call) => call.pair.established)))
    .then(() => performance.now() - startedAt);
  established.catch(() => undefined);
  return {
    established,
    mark: () => {
      for (const call of calls) {
        call.markedFrames = {
          caller: call.pair.caller.audioCounters().framesReceived,
          callee: call.pair.callee.audioCounters().framesReceived,
        };
      }
    },
    frames: () => {
      let sent = 0;
      let received = 0;
      for (const call of calls) {
        for (const engine of [call.pair.caller, call.pair.callee]) {
          const counters = engine.audioCounters();
          sent += counters.framesSent;
          received += counters.framesReceived;
        }
      }
      return { sent, received };
    },
    finish: async () => {
      const stats = await Promise.all(calls.map((call) => call.pair.caller.getStats()));
      await Promise.all(calls.map((call) => call.pair.stop()));
      return calls.map((call, i) => {
        const { callerHz, calleeHz } = callTones(call.index);
        return {
          index: call.index,
          callerHz,
          calleeHz,
          callerToCallee: toneFraction(call.heard.callee, callerHz, call.markedFrames.callee),
          calleeToCaller: toneFraction(call.heard.caller, calleeHz, call.markedFrames.caller),
          packetLoss: stats[i]?.packetLoss ?? 0,
          jitterMs: stats[i]?.jitterMs ?? 0,
        };
      });
    },
  };
}
