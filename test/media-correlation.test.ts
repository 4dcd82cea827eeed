import { align, longestDropoutMs, lowPass, windowedCorrelation } from '../lib/media/correlation';
import { analyseTone } from '../lib/media/analysis';
import { sineTone } from '../lib/media/wav';

const rate = 48000;

/**
 * Uniform white noise, reproducible, peak `amplitude` (mulberry32: unlike a plain LCG, nearby
 * seeds give unrelated sequences, not shifted copies of one another).
 */
function noise(length: number, seed: number, amplitude = 8000): Int16Array {
  const out = new Int16Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const uniform = ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
    out[i] = Math.round((uniform - 0.5) * 2 * amplitude);
  }
  return out;
}

/** `signal` arriving `delay` samples late, scaled by `gain`, plus `added` (same length). */
function delayed(signal: Int16Array, delay: number, gain = 1, added?: Int16Array): Int16Array {
  const out = new Int16Array(signal.length + delay);
  for (let i = 0; i < signal.length; i++) out[i + delay] = Math.round((signal[i] ?? 0) * gain);
  if (added) for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) + (added[i] ?? 0);
  return out;
}

describe('alignment by cross-correlation', () => {
  it('finds a known delay, and with noise at 10 dB SNR a correlation of 1/√1.1', () => {
    const sent = noise(2 * rate, 1);
    expect(align(sent, delayed(sent, 4321), rate / 2)).toMatchObject({ lag: 4321 });
    expect(align(sent, delayed(sent, 4321), rate / 2).correlation).toBeCloseTo(1, 6);
    // Noise at a tenth of the power: the expected normalized correlation is 1/√(1 + 1/10).
    const quieter = noise(2 * rate + 4321, 2, 8000 / Math.sqrt(10));
    const result = align(sent, delayed(sent, 4321, 1, quieter), rate / 2);
    expect(result.lag).toBe(4321);
    expect(result.correlation).toBeCloseTo(1 / Math.sqrt(1.1), 2);
  });

  it('reports an inverted signal as -1 and unrelated noise as about 0', () => {
    const sent = noise(rate, 3);
    const inverted = align(sent, delayed(sent, 100, -1), rate / 2);
    expect(inverted.lag).toBe(100);
    expect(inverted.correlation).toBeCloseTo(-1, 6);
    // The strongest of 24 000 lags of unrelated noise: a few times 1/√48000.
    expect(Math.abs(align(sent, noise(rate, 4), rate / 2).correlation)).toBeLessThan(0.05);
  });

  it('ignores gain: half the amplitude still correlates fully, and is 6 dB down', () => {
    const sent = noise(rate, 5);
    const result = windowedCorrelation(sent, delayed(sent, 960, 0.5), { sampleRate: rate });
    expect(result.median).toBeCloseTo(1, 3);
    expect(result.receivedLevelDbfs - result.referenceLevelDbfs).toBeCloseTo(-6.02, 1);
  });

  it('aligns 5 s at 48 kHz over a 500 ms range quickly (FFT, not a search lag by lag)', () => {
    const sent = noise(5 * rate, 6);
    const received = delayed(sent, 17_000);
    align(sent.subarray(0, rate), received.subarray(0, 2 * rate), rate / 2); // JIT warm-up
    const startedAt = performance.now();
    expect(align(sent, received, rate / 2).lag).toBe(17_000);
    // About 0.3 s here; lag by lag it would be 24 000 × 240 000 products, several seconds.
    expect(performance.now() - startedAt).toBeLessThan(2000);
  });
});

describe('windowed correlation', () => {
  it('follows a delay that changes mid-signal, which defeats a single lag', () => {
    // What NetEq's time-stretching does to a call: the first half 40 ms late, the rest 45 ms.
    const sent = noise(2 * rate, 7);
    const received = new Int16Array(sent.length + 2400);
    received.set(sent.subarray(0, rate), 1920);
    received.set(sent.subarray(rate), rate + 2160);
    const result = windowedCorrelation(sent, received, { sampleRate: rate });
    expect(result.overall.correlation).toBeLessThan(0.8);
    expect(result.median).toBeCloseTo(1, 3);
    expect(result.fractionAbove09).toBe(1);
    expect(new Set(result.windows.map((w) => w.lag))).toEqual(new Set([1920, 2160]));
  });

  it('skips silent windows of the original', () => {
    const sent = new Int16Array(2 * rate);
    sent.set(noise(rate / 2, 8), rate);
    const result = windowedCorrelation(sent, delayed(sent, 480), { sampleRate: rate });
    expect(result.windows.map((w) => w.startMs)).toEqual([1000, 1200, 1400]);
  });
});

describe('drop-outs and band limiting', () => {
  it('counts missing audio where the original had some, not the original pauses', () => {
    const sent = new Int16Array(2 * rate);
    sent.set(noise(rate / 2, 9), 0);
    sent.set(noise(rate / 2, 10), rate);
    const received = delayed(sent, 480);
    expect(longestDropoutMs(sent, received, 480, rate)).toBe(0);
    received.fill(0, 480 + 4800, 480 + 4800 + 2400); // 50 ms lost
    expect(longestDropoutMs(sent, received, 480, rate)).toBe(50);
  });

  it('keeps a tone below the cut-off and removes one far above it', () => {
    const level = (samples: ArrayLike<number>) =>
      analyseTone(Int16Array.from(samples, Math.round), rate, 1000).levelDbfs;
    const tone = sineTone(1000, 0.5);
    expect(level(lowPass(tone, rate, 4000))).toBeCloseTo(level(tone), 0);
    let peak = 0;
    for (const sample of lowPass(sineTone(10_000, 0.5), rate, 4000).subarray(500, -500))
      peak = Math.max(peak, Math.abs(sample));
    expect(peak).toBeLessThan(0.4 * 32767 * 0.01); // at least 40 dB down
  });
});
