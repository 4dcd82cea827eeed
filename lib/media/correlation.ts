/**
 * How closely received audio follows the waveform that was sent: the delay found by
 * cross-correlation (FFT), then the normalized correlation at it, for the whole signal and
 * window by window.
 *
 * The measure for "correlation with the original" through a call is `windowedCorrelation`:
 * 200 ms windows of the original's active parts, each aligned on its own within ±30 ms of the
 * overall delay, summarised by the median (with the fraction of windows at ≥ 0.9 beside it).
 * One delay for a whole call does not hold, as measured on clean loopback calls (Opus at
 * WebRTC's default ~32 kbps):
 * - NetEq (the jitter buffer) time-stretches while it settles, mostly in a call's first seconds:
 *   the delay jumps by pitch periods (8–15 ms). The single-lag correlation of the same
 *   recordings then varies from call to call (0.53–0.95), while the per-window median stays
 *   at 0.94–0.999.
 * - Opus' encoder high-pass (VoIP mode) leads the phase of the lowest frequencies: a sweep
 *   arrives 1.2 ms early at 100 Hz and 0.3 ms at 200 Hz against 2 kHz, which costs a single
 *   lag about 0.05 on a 100 Hz – 8 kHz chirp; offline libopus shows the same shift.
 * What stays is the codec: speech windows correlate at a median 0.96 (offline libopus 0.968 at
 * 32 kbps, 0.972 at 64 kbps), with the low ones the quiet edges of words and fricatives, which
 * Opus codes as shaped noise. Band-limiting to 4 kHz changes this by under 0.01 for speech and
 * for a chirp up to 8 kHz, so the measure is full band; at ~32 kbps Opus carries no waveform
 * above about 12 kHz at all, so test signals stay below that.
 */

import { fft } from './fft';

function prefixSquares(samples: ArrayLike<number>): Float64Array {
  const sums = new Float64Array(samples.length + 1);
  for (let i = 0; i < samples.length; i++) sums[i + 1] = (sums[i] ?? 0) + (samples[i] ?? 0) ** 2;
  return sums;
}

/**
 * The normalized correlation of `reference` with `received` shifted by each lag 0..maxLag:
 * element L is Σ r[i]·s[i+L] / √(Σ r[i]² · Σ s[i+L]²) over the i where both exist. 1 means the
 * same waveform (at any gain), -1 the inverted one, about 0 unrelated signals.
 */
export function correlationByLag(
  reference: ArrayLike<number>,
  received: ArrayLike<number>,
  maxLag: number,
): Float64Array {
  const n0 = reference.length;
  const n1 = received.length;
  const lags = Math.max(0, Math.min(maxLag, n1 - 1));
  // Negative lags wrap to the top of the circular correlation; they must stay above maxLag.
  let size = 1;
  while (size < Math.max(n1, n0 + lags + 1)) size <<= 1;
  const refRe = new Float64Array(size);
  const refIm = new Float64Array(size);
  const recRe = new Float64Array(size);
  const recIm = new Float64Array(size);
  for (let i = 0; i < n0; i++) refRe[i] = reference[i] ?? 0;
  for (let i = 0; i < n1; i++) recRe[i] = received[i] ?? 0;
  fft(refRe, refIm);
  fft(recRe, recIm);
  // conj(Ref) · Rec, whose inverse transform is Σ r[i]·s[i+L].
  for (let k = 0; k < size; k++) {
    const ar = refRe[k] ?? 0;
    const ai = -(refIm[k] ?? 0);
    const br = recRe[k] ?? 0;
    const bi = recIm[k] ?? 0;
    refRe[k] = ar * br - ai * bi;
    refIm[k] = ar * bi + ai * br;
  }
  fft(refRe, refIm, true);
  const refEnergy = prefixSquares(reference);
  const recEnergy = prefixSquares(received);
  const out = new Float64Array(lags + 1);
  for (let lag = 0; lag <= lags; lag++) {
    const end = Math.min(n0, n1 - lag); // overlap is reference[0, end)
    const energy = (refEnergy[end] ?? 0) * ((recEnergy[end + lag] ?? 0) - (recEnergy[lag] ?? 0));
    out[lag] = energy > 0 ? (refRe[lag] ?? 0) / size / Math.sqrt(energy) : 0;
  }
  return out;
}

export interface Alignment {
  /** Samples by which `received` lags `reference`. */
  lag: number;
  /** Normalized correlation at that lag, -1..1. */
  correlation: number;
  /**
   * The correlation at the parabola peak through lag-1, lag, lag+1: the value at the true,
   * fractional delay. At 48 kHz half a sample of misalignment costs 13 % at 8 kHz, so
   * integer lags understate how well wideband audio was kept.
   */
  interpolatedCorrelation: number;
}

/**
 * The lag with the strongest correlation, and the correlation there. `polarity` 0 takes either
 * sign (an inverted channel shows as -1); ±1 takes only that sign, which a short window needs:
 * in a near-periodic window the inverted peak half a period away is as strong as the true one.
 */
export function bestAlignment(correlations: Float64Array, polarity: -1 | 0 | 1 = 0): Alignment {
  const strength = (value: number): number => (polarity === 0 ? Math.abs(value) : polarity * value);
  let lag = 0;
  for (let i = 1; i < correlations.length; i++)
    if (strength(correlations[i] ?? 0) > strength(correlations[lag] ?? 0)) lag = i;
  // Rounding can put a perfect match a hair above 1.
  const centre = Math.max(-1, Math.min(1, correlations[lag] ?? 0));
  const left = correlations[lag - 1];
  const right = correlations[lag + 1];
  let interpolated = centre;
  if (left !== undefined && right !== undefined) {
    const curvature = left - 2 * centre + right;
    if (curvature !== 0) {
      const offset = (0.5 * (left - right)) / curvature;
      if (Math.abs(offset) <= 1) interpolated = centre - 0.25 * (left - right) * offset;
    }
  }
  // A parabola can overshoot between tightly spaced points; a correlation cannot exceed 1.
  interpolated = Math.max(-1, Math.min(1, interpolated));
  return { lag, correlation: centre, interpolatedCorrelation: interpolated };
}

/** Aligns `received` to `reference` (received later by 0..maxLag samples). */
export function align(
  reference: ArrayLike<number>,
  received: ArrayLike<number>,
  maxLag: number,
  polarity: -1 | 0 | 1 = 0,
): Alignment {
  return bestAlignment(correlationByLag(reference, received, maxLag), polarity);
}

/**
 * Linear-phase (zero-delay) low-pass FIR, Blackman-windowed sinc. Applied to both signals
 * before correlating, it keeps the comparison to the band a codec carries as a waveform.
 */
export function lowPass(
  samples: ArrayLike<number>,
  sampleRate: number,
  cutoffHz: number,
  taps = 255,
): Float64Array {
  const half = (taps - 1) >> 1;
  const kernel = new Float64Array(2 * half + 1);
  const fc = cutoffHz / sampleRate;
  let sum = 0;
  for (let k = -half; k <= half; k++) {
    const sinc = k === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * k) / (Math.PI * k);
    const phase = (2 * Math.PI * (k + half)) / (2 * half);
    const blackman = 0.42 - 0.5 * Math.cos(phase) + 0.08 * Math.cos(2 * phase);
    kernel[k + half] = sinc * blackman;
    sum += sinc * blackman;
  }
  const out = new Float64Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    let acc = 0;
    const from = Math.max(-half, -i);
    const to = Math.min(half, samples.length - 1 - i);
    for (let k = from; k <= to; k++) acc += (kernel[k + half] ?? 0) * (samples[i + k] ?? 0);
    out[i] = acc / sum;
  }
  return out;
}

export interface WindowCorrelation {
  /** Start of the window in the reference, ms. */
  startMs: number;
  /** The window's own lag, samples (compare with the global lag: NetEq time-stretching). */
  lag: number;
  correlation: number;
  interpolatedCorrelation: number;
}

export interface WindowedCorrelationOptions {
  sampleRate: number;
  /** Longest plausible delay through the call, ms. Default 500. */
  maxDelayMs?: number;
  /** Window length, ms. Default 200. */
  windowMs?: number;
  /** How far each window's lag may move from the whole signal's lag, ms. Default 30. */
  searchMs?: number;
  /** Windows of the reference quieter than this carry nothing to compare, dBFS. Default -40. */
  activeDbfs?: number;
}

export interface WindowedCorrelation {
  /** The whole signal's alignment. */
  overall: Alignment;
  windows: WindowCorrelation[];
  /** Median interpolated correlation over the active windows. */
  median: number;
  /** Active windows whose interpolated correlation is at least 0.9, 0..1. */
  fractionAbove09: number;
  /** RMS of the reference's active windows, dBFS. */
  referenceLevelDbfs: number;
  /** RMS of the received audio over the same windows (each at its own lag), dBFS. */
  receivedLevelDbfs: number;
}

function dbfs(squareSum: number, count: number): number {
  return count ? 10 * Math.log10(Math.max(squareSum / count, 1e-18) / 32768 ** 2) : -Infinity;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * The correlation of received audio with the original, window by window: each active window of
 * the reference is aligned on its own within ±searchMs of the overall lag. One lag for the
 * whole call is wrong for a call: NetEq adapts its jitter buffer by time-stretching (dropping or
 * repeating pitch periods), which shifts the delay by milliseconds during a call, and a few
 * samples of misalignment already decorrelate the upper part of the spectrum.
 */
export function windowedCorrelation(
  reference: ArrayLike<number>,
  received: ArrayLike<number>,
  options: WindowedCorrelationOptions,
): WindowedCorrelation {
  const rate = options.sampleRate;
  const maxLag = Math.round(((options.maxDelayMs ?? 500) * rate) / 1000);
  const windowLength = Math.round(((options.windowMs ?? 200) * rate) / 1000);
  const search = Math.round(((options.searchMs ?? 30) * rate) / 1000);
  const activeRms = 32768 * 10 ** ((options.activeDbfs ?? -40) / 20);
  const overall = align(reference, received, maxLag);
  const windows: WindowCorrelation[] = [];
  const referenceEnergy = prefixSquares(reference);
  const receivedEnergy = prefixSquares(received);
  let referenceSquares = 0;
  let receivedSquares = 0;
  for (let start = 0; start + windowLength <= reference.length; start += windowLength) {
    const energy = (referenceEnergy[start + windowLength] ?? 0) - (referenceEnergy[start] ?? 0);
    if (Math.sqrt(energy / windowLength) < activeRms) continue;
    // The window's lag may move ±search around the overall one, within the received audio.
    const from = Math.max(0, start + overall.lag - search);
    const to = Math.min(received.length - windowLength, start + overall.lag + search);
    if (to < from) continue;
    const part = (data: ArrayLike<number>, at: number, length: number): Float64Array => {
      const out = new Float64Array(length);
      for (let i = 0; i < length; i++) out[i] = data[at + i] ?? 0;
      return out;
    };
    const local = align(
      part(reference, start, windowLength),
      part(received, from, to - from + windowLength),
      to - from,
      overall.correlation < 0 ? -1 : 1,
    );
    const lag = from - start + local.lag;
    referenceSquares += energy;
    receivedSquares +=
      (receivedEnergy[start + lag + windowLength] ?? 0) - (receivedEnergy[start + lag] ?? 0);
    windows.push({
      startMs: (start * 1000) / rate,
      lag,
      correlation: local.correlation,
      interpolatedCorrelation: local.interpolatedCorrelation,
    });
  }
  const values = windows.map((w) => w.interpolatedCorrelation);
  return {
    overall,
    windows,
    median: median(values),
    fractionAbove09: values.length ? values.filter((v) => v >= 0.9).length / values.length : 0,
    referenceLevelDbfs: dbfs(referenceSquares, windows.length * windowLength),
    receivedLevelDbfs: dbfs(receivedSquares, windows.length * windowLength),
  };
}

/**
 * The longest run of 10 ms frames in which the reference is clearly audible (peak at least
 * 4 × `threshold`) and the received audio, at `lag`, is not (peak below `threshold`), in ms: a
 * drop-out. Unlike a gap in the received audio alone it does not count the pauses of speech.
 */
export function longestDropoutMs(
  reference: ArrayLike<number>,
  received: ArrayLike<number>,
  lag: number,
  sampleRate: number,
  threshold = 500,
): number {
  const frame = Math.round(sampleRate / 100);
  const peak = (data: ArrayLike<number>, from: number): number => {
    let max = 0;
    for (let i = from; i < from + frame; i++) max = Math.max(max, Math.abs(data[i] ?? 0));
    return max;
  };
  let longest = 0;
  let run = 0;
  for (let start = 0; start + frame <= reference.length; start += frame) {
    if (start + lag + frame > received.length) break;
    const dropped =
      peak(reference, start) >= 4 * threshold && peak(received, start + lag) < threshold;
    run = dropped ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest * 10;
}
