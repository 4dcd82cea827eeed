/**
 * Objective checks of received audio: the dominant frequency of each 100 ms window, how much of
 * the signal is the expected tone (SNR), and the fraction of windows that carry it.
 */

import { fft } from './fft';

export interface Spectrum {
  binHz: number;
  /** Power per bin up to the Nyquist frequency. */
  power: Float64Array;
}

/** Power spectrum of one window (Hann-weighted, zero-padded to a power of two). */
export function powerSpectrum(window: ArrayLike<number>, sampleRate: number): Spectrum {
  let size = 1;
  while (size < window.length) size <<= 1;
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  for (let i = 0; i < window.length; i++) {
    const hann = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (window.length - 1));
    re[i] = (window[i] ?? 0) * hann;
  }
  fft(re, im);
  const power = new Float64Array(size / 2);
  for (let i = 0; i < power.length; i++) power[i] = (re[i] ?? 0) ** 2 + (im[i] ?? 0) ** 2;
  return { binHz: sampleRate / size, power };
}

export interface ToneAnalysis {
  /** Median of the per-window dominant frequencies (Hz), over windows with signal. */
  dominantHz: number;
  /** Power within ±25 Hz of the expected tone against everything else (dB). */
  snrDb: number;
  /** Fraction of 100 ms windows, after the first one with signal, whose dominant frequency is the expected one. */
  toneFraction: number;
  /** RMS level of the windows with signal, dBFS. */
  levelDbfs: number;
  /** Seconds from the start of the recording to the first window with signal (-1: none). */
  signalStartSeconds: number;
  windows: number;
}

/** How far a dominant frequency may be from the expected tone's: ±max(15 Hz, 2 %). */
export function toneToleranceHz(expectedHz: number): number {
  return Math.max(15, expectedHz * 0.02);
}

/**
 * The pass rule of `loopback`, `peer` and `demo`: the dominant frequency is the expected one
 * and the tone is in at least 90 % of the windows.
 */
export function isToneReceived(analysis: ToneAnalysis, expectedHz: number): boolean {
  return (
    Math.abs(analysis.dominantHz - expectedHz) <= toneToleranceHz(expectedHz) &&
    analysis.toneFraction >= 0.9
  );
}

const windowSeconds = 0.1;
const silenceDbfs = -50;

function dbfs(rms: number): number {
  return 20 * Math.log10(Math.max(rms, 1e-9) / 32768);
}

/** Analyses mono audio for a tone at `expectedHz` (tolerance ±max(15 Hz, 2 %)). */
export function analyseTone(
  samples: Int16Array,
  sampleRate: number,
  expectedHz: number,
): ToneAnalysis {
  const windowLength = Math.round(sampleRate * windowSeconds);
  const tolerance = toneToleranceHz(expectedHz);
  const dominant: number[] = [];
  let matching = 0;
  let counted = 0;
  let tonePower = 0;
  let otherPower = 0;
  let squareSum = 0;
  let signalSamples = 0;
  let signalStart = -1;
  for (let start = 0; start + windowLength <= samples.length; start += windowLength) {
    const window = samples.subarray(start, start + windowLength);
    let sum = 0;
    for (const sample of window) sum += sample * sample;
    if (signalStart < 0 && dbfs(Math.sqrt(sum / windowLength)) < silenceDbfs) continue;
    const isFirst = signalStart < 0;
    if (isFirst) signalStart = start / sampleRate;
    squareSum += sum;
    signalSamples += windowLength;
    const { binHz, power } = powerSpectrum(window, sampleRate);
    let peak = 1;
    for (let bin = 2; bin < power.length; bin++)
      if ((power[bin] ?? 0) > (power[peak] ?? 0)) peak = bin;
    // Parabolic interpolation of the peak between bins.
    const left = power[peak - 1] ?? 0;
    const centre = power[peak] ?? 0;
    const right = power[peak + 1] ?? 0;
    const denominator = left - 2 * centre + right;
    const offset = denominator === 0 ? 0 : (0.5 * (left - right)) / denominator;
    const hz = (peak + offset) * binHz;
    dominant.push(hz);
    for (let bin = 1; bin < power.length; bin++) {
      if (Math.abs(bin * binHz - expectedHz) <= 25) tonePower += power[bin] ?? 0;
      else otherPower += power[bin] ?? 0;
    }
    if (!isFirst) {
      counted++;
      if (Math.abs(hz - expectedHz) <= tolerance) matching++;
    }
  }
  const sorted = [...dominant].sort((a, b) => a - b);
  return {
    dominantHz: sorted.length ? Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0) : 0,
    snrDb:
      Math.round(10 * Math.log10(Math.max(tonePower, 1e-12) / Math.max(otherPower, 1e-12)) * 10) /
      10,
    toneFraction: counted ? matching / counted : 0,
    levelDbfs: signalSamples
      ? Math.round(dbfs(Math.sqrt(squareSum / signalSamples)) * 10) / 10
      : -Infinity,
    signalStartSeconds: signalStart,
    windows: counted,
  };
}

/**
 * The longest run of near-silent 10 ms frames (peak below `threshold`) between the first and
 * the last frame with signal, in ms: what a listener hears as a drop-out.
 */
export function longestGapMs(samples: Int16Array, sampleRate: number, threshold = 500): number {
  const frame = Math.round(sampleRate / 100);
  const loud: boolean[] = [];
  for (let start = 0; start + frame <= samples.length; start += frame) {
    let peak = 0;
    for (let i = start; i < start + frame; i++) peak = Math.max(peak, Math.abs(samples[i] ?? 0));
    loud.push(peak >= threshold);
  }
  const first = loud.indexOf(true);
  const last = loud.lastIndexOf(true);
  let longest = 0;
  let run = 0;
  for (let i = first; first >= 0 && i <= last; i++) {
    run = loud[i] === true ? 0 : run + 1;
    longest = Math.max(longest, run);
  }
  return longest * 10;
}
