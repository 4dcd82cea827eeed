/**
 * The process valgrind's massif watches to attribute a call's memory (bench/run.ts runs it for
 * two values of N): N loopback calls as in the concurrency benchmark (tones from WAV files — the
 * same two for every call — both endpoints in this process), held for a while, then stopped.
 * Nothing else is allocated meanwhile (no recording, no analysis), so what grows with N is the
 * calls'. With `--snapshot FILE` it asks massif (through valgrind's gdbserver) for a detailed
 * snapshot once every call has carried audio for the hold time: the heap of live calls at a
 * known moment, not whichever peak the run reaches (in setup, in teardown, or in a queue that
 * backs up under valgrind's slowdown).
 *
 *   valgrind --tool=massif node build/bench/bench/memory.js --calls N [--seconds S] [--snapshot FILE]
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { encodeWav, sineTone } from '../lib/media/wav';
import { startPair, type EnginePair } from '../test/support/engine-pair';
import { callTones } from './call-set';
import { emitResult, numberArg, sleep, stringArg } from './common';

/** Under valgrind everything runs about 20× slower: connecting takes seconds, not milliseconds. */
const connectTimeoutMs = 180_000;

/** Asks the massif running this process to write a detailed snapshot of the heap to `file`. */
function massifSnapshot(file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      'vgdb',
      [`--pid=${process.pid}`, 'detailed_snapshot', file],
      { timeout: 60_000 },
      (error, _stdout, stderr) => {
        if (error) reject(new Error(`vgdb detailed_snapshot: ${error.message}\n${stderr}`));
        else if (!fs.existsSync(file)) reject(new Error(`vgdb wrote no snapshot (${stderr})`));
        else resolve();
      },
    );
  });
}

/** Audio frames received by the endpoint that received the fewest. */
function fewestFramesReceived(pairs: EnginePair[]): number {
  const counts = pairs.flatMap((pair) =>
    [pair.caller, pair.callee].map((engine) => engine.audioCounters().framesReceived),
  );
  return Math.min(...counts);
}

async function main(): Promise<void> {
  const calls = numberArg('calls', 1);
  const seconds = numberArg('seconds', 2);
  const snapshot = stringArg('snapshot', '');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-bench-memory-'));
  const pairs: EnginePair[] = [];
  try {
    // The same two tone files for every call: what grows with N is the calls alone.
    const tone = (hz: number): string => {
      const file = path.join(dir, `tone-${hz}.wav`);
      fs.writeFileSync(
        file,
        encodeWav({ sampleRate: 48000, channels: 1, samples: sineTone(hz, 2) }),
      );
      return file;
    };
    const { callerHz, calleeHz } = callTones(0);
    const callerTone = tone(callerHz);
    const calleeTone = tone(calleeHz);
    const started = performance.now();
    for (let index = 0; index < calls; index++) {
      pairs.push(
        startPair({
          version: '11.0.0',
          callerAudio: { inputWav: callerTone, loopInput: true },
          calleeAudio: { inputWav: calleeTone, loopInput: true },
          config: { connectTimeoutMs },
        }),
      );
      await sleep(50);
    }
    await Promise.all(pairs.map((pair) => pair.established));
    const establishedMs = performance.now() - started;
    await sleep(seconds * 1000);
    // A snapshot of calls that carry no audio would not show what a call holds.
    const framesReceived = fewestFramesReceived(pairs);
    if (framesReceived === 0) throw new Error('an endpoint received no audio during the hold');
    if (snapshot) await massifSnapshot(snapshot);
    emitResult({ calls, establishedMs: Math.round(establishedMs), framesReceived });
  } finally {
    await Promise.all(pairs.map((pair) => pair.stop()));
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
