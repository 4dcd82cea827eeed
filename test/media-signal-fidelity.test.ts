/**
 * Known signals through a clean loopback call (real engine, Opus at WebRTC's default rate),
 * checked by what arrives: a sine's frequency, and for a chirp and espeak-ng speech the
 * waveform correlation with the original window by window (lib/media/correlation.ts says why
 * windows), the level over the active parts and drop-outs.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { analyseTone, longestGapMs } from '../lib/media/analysis';
import {
  align,
  longestDropoutMs,
  windowedCorrelation,
  type WindowedCorrelation,
} from '../lib/media/correlation';
import { PcmConverter } from '../lib/media/pcm-converter';
import { decodeWav, encodeWav, logChirp, sineTone } from '../lib/media/wav';
import { startPair } from './support/engine-pair';

const rate = 48000;
/** Time after a signal ends for its tail to arrive (the call's delay is well under it). */
const tailMs = 600;

interface Received {
  sent: Int16Array;
  heard: Int16Array;
}

/** espeak-ng's speech (22.05 kHz) at 48 kHz, so the reference is exactly what is sent. */
function speech(dir: string): Int16Array {
  const file = path.join(dir, 'espeak.wav');
  execFileSync('espeak-ng', ['-w', file, 'The quick brown fox jumps over the lazy dog.']);
  const wav = decodeWav(fs.readFileSync(file));
  const pcm = Buffer.from(wav.samples.buffer, wav.samples.byteOffset, wav.samples.byteLength);
  return new PcmConverter({
    format: 's16le',
    sampleRate: wav.sampleRate,
    channels: wav.channels,
  }).convert(pcm);
}

function rms(samples: Int16Array): number {
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  return Math.sqrt(sum / samples.length);
}

describe('known signals through a clean loopback call', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-fidelity-'));
  const received = new Map<string, Received>();

  // One call carries the three signals in turn: a call set-up per signal would cost seconds.
  beforeAll(async () => {
    const signals = {
      sine: sineTone(1000, 1.5),
      chirp: logChirp(100, 8000, 3),
      speech: speech(dir),
    };
    const pair = startPair({ version: '11.0.0', calleeAudio: { deliverIncoming: true } });
    try {
      await pair.established;
      let frames: Int16Array[] = [];
      pair.callee.on('audio', (samples) => frames.push(Int16Array.from(samples)));
      for (const [name, sent] of Object.entries(signals)) {
        const file = path.join(dir, `${name}.wav`);
        fs.writeFileSync(file, encodeWav({ sampleRate: rate, channels: 1, samples: sent }));
        frames = [];
        pair.caller.useWavInput(file);
        await new Promise((resolve) => setTimeout(resolve, (sent.length / rate) * 1000 + tailMs));
        const heard = new Int16Array(frames.reduce((sum, frame) => sum + frame.length, 0));
        frames.reduce((at, frame) => (heard.set(frame, at), at + frame.length), 0);
        received.set(name, { sent, heard });
      }
    } finally {
      await pair.stop();
    }
  }, 30_000);

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function signal(name: string): Received {
    const found = received.get(name);
    if (!found) throw new Error(`${name} was not received`);
    return found;
  }

  /** The measure of the waveform check, with the figures in the failure message. */
  function expectFaithful(name: string): WindowedCorrelation {
    const { sent, heard } = signal(name);
    const result = windowedCorrelation(sent, heard, { sampleRate: rate });
    const summary = {
      median: result.median,
      fractionAbove09: result.fractionAbove09,
      windows: result.windows.length,
      lagMs: (result.overall.lag * 1000) / rate,
    };
    expect({ name, ...summary, ok: result.median >= 0.9 }).toMatchObject({ ok: true });
    // The median alone would pass with nearly half the windows broken.
    expect({ name, ...summary, ok: result.fractionAbove09 >= 0.75 }).toMatchObject({ ok: true });
    expect(Math.abs(result.receivedLevelDbfs - result.referenceLevelDbfs)).toBeLessThanOrEqual(3);
    expect(longestDropoutMs(sent, heard, result.overall.lag, rate)).toBeLessThanOrEqual(40);
    return result;
  }

  it('delivers a sine at its frequency and level, without gaps', () => {
    const { sent, heard } = signal('sine');
    // Only the part that carries the sine: the tail after it is silence by design.
    const { lag } = align(sent, heard, rate / 2);
    const tone = analyseTone(heard.subarray(lag, lag + sent.length), rate, 1000);
    expect(tone.dominantHz).toBeGreaterThanOrEqual(985);
    expect(tone.dominantHz).toBeLessThanOrEqual(1015);
    expect(tone.toneFraction).toBeGreaterThanOrEqual(0.95);
    const sentDbfs = 20 * Math.log10(rms(sent) / 32768);
    expect(Math.abs(tone.levelDbfs - sentDbfs)).toBeLessThanOrEqual(3);
    expect(longestGapMs(heard, rate)).toBeLessThanOrEqual(40);
  });

  it('delivers a 100 Hz – 8 kHz chirp with its waveform, level and no gap', () => {
    expectFaithful('chirp');
    expect(longestGapMs(signal('chirp').heard, rate)).toBeLessThanOrEqual(40);
  });

  it('delivers espeak-ng speech with its waveform, level and no drop-out', () => {
    expectFaithful('speech');
  });
});
