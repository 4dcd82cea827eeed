/**
 * The process heaptrack watches to attribute RSS per call (bench/run.ts runs it under
 * `heaptrack` for two values of N): N loopback calls as in the concurrency benchmark (tones
 * from WAV files — the same two for every call — both endpoints in this process), held for a while, then stopped. Nothing
 * else is allocated meanwhile (no recording, no analysis), so the heap's peak is the calls'.
 *
 *   heaptrack -o FILE node build/bench/bench/memory.js --calls N [--seconds S]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { encodeWav, sineTone } from '../lib/media/wav';
import { startPair, type EnginePair } from '../test/support/engine-pair';
import { callTones } from './call-set';
import { numberArg, sleep } from './common';

async function main(): Promise<void> {
  const calls = numberArg('calls', 1);
  const seconds = numberArg('seconds', 2);
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
    for (let index = 0; index < calls; index++) {
      pairs.push(
        startPair({
          version: '11.0.0',
          callerAudio: { inputWav: callerTone, loopInput: true },
          calleeAudio: { inputWav: calleeTone, loopInput: true },
        }),
      );
      await sleep(50);
    }
    await Promise.all(pairs.map((pair) => pair.established));
    await sleep(seconds * 1000);
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
