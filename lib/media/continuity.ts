/**
 * What a listener hears of a steady test tone, frame by frame: whether each 10 ms frame
 * carries the tone, and the longest stretch without it. Measured on decoded (NetEq-concealed)
 * audio, so a loss that packet-loss concealment hides does not count as a gap, and one that
 * it cannot hide (silence, noise, a wrong pitch) does.
 */

export interface ContinuityOptions {
  /** Samples per frame; 480 = 10 ms at 48 kHz (one 'audio' event of the engine). */
  frameLength?: number;
  sampleRate?: number;
  /** Share of a frame's energy that must sit at the tone for it to count. Default 0.5. */
  minToneShare?: number;
  /** Frames quieter than this carry no tone, dBFS. Default -40. */
  minLevelDbfs?: number;
}

export interface ContinuityReport {
  frames: number;
  /** Index of the first frame with the tone (-1: none). */
  firstToneFrame: number;
  /** Frames from the first tone frame on that carry the tone, 0..1. */
  toneShare: number;
  /** Longest run of frames without the tone after the first tone frame, ms. */
  longestGapMs: number;
  /** Runs without the tone longer than 60 ms. */
  gapsOver60Ms: number;
}

/** Fraction of a frame's energy at `hz` (Goertzel), 1 for a pure tone of whole cycles. */
export function toneShareOfFrame(frame: ArrayLike<number>, sampleRate: number, hz: number): number {
  const n = frame.length;
  const coefficient = 2 * Math.cos((2 * Math.PI * hz) / sampleRate);
  let previous = 0;
  let previous2 = 0;
  let energy = 0;
  for (let i = 0; i < n; i++) {
    const x = frame[i] ?? 0;
    energy += x * x;
    const current = x + coefficient * previous - previous2;
    previous2 = previous;
    previous = current;
  }
  if (energy === 0) return 0;
  const power = previous * previous + previous2 * previous2 - coefficient * previous * previous2;
  return power / ((n / 2) * energy);
}

/** Splits concatenated audio into whole frames. */
export function framesOf(samples: Int16Array, frameLength = 480): Int16Array[] {
  const frames: Int16Array[] = [];
  for (let start = 0; start + frameLength <= samples.length; start += frameLength) {
    frames.push(samples.subarray(start, start + frameLength));
  }
  return frames;
}

export function measureContinuity(
  frames: readonly Int16Array[],
  hz: number,
  options: ContinuityOptions = {},
): ContinuityReport {
  const sampleRate = options.sampleRate ?? 48000;
  const frameMs = ((options.frameLength ?? 480) / sampleRate) * 1000;
  const minShare = options.minToneShare ?? 0.5;
  const minRms = 32768 * 10 ** ((options.minLevelDbfs ?? -40) / 20);
  let first = -1;
  let toneFrames = 0;
  let run = 0;
  let longest = 0;
  let over60 = 0;
  const endRun = (): void => {
    longest = Math.max(longest, run);
    if (run * frameMs > 60) over60++;
    run = 0;
  };
  frames.forEach((frame, index) => {
    let sum = 0;
    for (const sample of frame) sum += sample * sample;
    const loud = Math.sqrt(sum / Math.max(frame.length, 1)) >= minRms;
    const hasTone = loud && toneShareOfFrame(frame, sampleRate, hz) >= minShare;
    if (first < 0) {
      if (!hasTone) return;
      first = index;
    }
    if (hasTone) {
      toneFrames++;
      endRun();
    } else {
      run++;
    }
  });
  endRun();
  const counted = first < 0 ? 0 : frames.length - first;
  return {
    frames: frames.length,
    firstToneFrame: first,
    toneShare: counted ? toneFrames / counted : 0,
    longestGapMs: Math.round(longest * frameMs),
    gapsOver60Ms: over60,
  };
}
