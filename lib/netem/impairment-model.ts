/**
 * The impairment model of one direction of a path: what happens to each packet (lost,
 * delayed, held back, duplicated, queued behind a bandwidth cap, dropped in a blackout). Pure
 * and clock-free: the caller passes the time, so the model is unit-testable and a run is
 * reproducible from its seed.
 *
 * Each packet consumes the same number of random draws whatever its fate, so the n-th packet
 * of a direction gets the same random decisions for the same seed even when the profile or
 * the timing changes between runs.
 */
import { mulberry32, type Random } from './prng';

/**
 * Gilbert-Elliott bursty loss: a two-state Markov chain stepped once per packet. In the bad
 * state packets are lost with `lossBad` (default 1), in the good state with `lossGood`
 * (default 0). The mean burst length is 1 / pBadToGood packets.
 */
export interface GilbertElliott {
  pGoodToBad: number;
  pBadToGood: number;
  lossGood?: number;
  lossBad?: number;
}

export interface ImpairmentProfile {
  /** Independent loss probability per packet, 0..1. */
  loss?: number;
  /** Bursty loss, applied after (and in addition to) `loss`. */
  burstLoss?: GilbertElliott;
  /** Fixed one-way delay, ms. */
  delayMs?: number;
  /**
   * Uniform jitter: each packet's delay is delayMs ± jitterMs (never below 0). When the jitter
   * exceeds the packet spacing, packets overtake each other, as with Linux netem.
   */
  jitterMs?: number;
  /** Probability that a packet is held back `reorderGapMs` longer, so later ones overtake it. */
  reorder?: number;
  /** Extra hold of a reordered packet, ms. Default 20. */
  reorderGapMs?: number;
  /** Probability that a packet is delivered twice. */
  duplicate?: number;
  /** Bandwidth cap, kbit/s: packets are serialised at this rate behind a FIFO queue. */
  rateKbps?: number;
  /** Longest wait in the rate-limited queue before a packet is tail-dropped, ms. Default 200. */
  queueMs?: number;
}

/** A loss rate as a Gilbert-Elliott chain with whole bursts of `meanBurst` packets on average. */
export function burstLossFor(lossRate: number, meanBurst: number): GilbertElliott {
  if (!(lossRate >= 0 && lossRate < 1)) throw new RangeError('lossRate must be in [0, 1)');
  if (!(meanBurst >= 1)) throw new RangeError('meanBurst must be at least 1');
  const pBadToGood = 1 / meanBurst;
  // Stationary bad-state share p / (p + r) equals the loss rate when every bad packet is lost.
  return { pGoodToBad: (lossRate * pBadToGood) / (1 - lossRate), pBadToGood };
}

export type DropCause = 'blackout' | 'random' | 'burst' | 'queue';

export interface ImpairmentCounters {
  packets: number;
  /** Copies handed on (a duplicated packet counts twice). */
  delivered: number;
  dropped: Record<DropCause, number>;
  duplicated: number;
  /** Packets held back by `reorder` (jitter reordering is counted by the relay). */
  heldBack: number;
}

export interface Blackout {
  fromMs: number;
  untilMs: number;
}

function probability(name: string, value: number | undefined): number {
  const p = value ?? 0;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${name} must be a probability in [0, 1]`);
  return p;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  const n = value ?? fallback;
  if (!(n >= 0 && Number.isFinite(n))) throw new RangeError(`${name} must be a finite number ≥ 0`);
  return n;
}

/** Checks a profile's ranges; throws RangeError naming the bad field. */
export function validateProfile(profile: ImpairmentProfile): void {
  probability('loss', profile.loss);
  probability('reorder', profile.reorder);
  probability('duplicate', profile.duplicate);
  if (profile.burstLoss) {
    probability('burstLoss.pGoodToBad', profile.burstLoss.pGoodToBad);
    probability('burstLoss.pBadToGood', profile.burstLoss.pBadToGood);
    probability('burstLoss.lossGood', profile.burstLoss.lossGood);
    probability('burstLoss.lossBad', profile.burstLoss.lossBad ?? 1);
  }
  nonNegative('delayMs', profile.delayMs, 0);
  nonNegative('jitterMs', profile.jitterMs, 0);
  nonNegative('reorderGapMs', profile.reorderGapMs, 20);
  nonNegative('rateKbps', profile.rateKbps, 0);
  nonNegative('queueMs', profile.queueMs, 200);
}

export class ImpairmentModel {
  readonly counters: ImpairmentCounters = {
    packets: 0,
    delivered: 0,
    dropped: { blackout: 0, random: 0, burst: 0, queue: 0 },
    duplicated: 0,
    heldBack: 0,
  };
  private profile: ImpairmentProfile;
  private readonly random: Random;
  private burstBad = false;
  private queueFreeAtMs = 0;
  private readonly blackouts: Blackout[] = [];

  constructor(profile: ImpairmentProfile, seed: number) {
    validateProfile(profile);
    this.profile = { ...profile };
    this.random = mulberry32(seed);
  }

  /** Changes the profile from the next packet on; random and burst state carry over. */
  setProfile(profile: ImpairmentProfile): void {
    validateProfile(profile);
    this.profile = { ...profile };
  }

  /** Drops every packet that arrives in [fromMs, fromMs + durationMs). */
  addBlackout(fromMs: number, durationMs: number): void {
    this.blackouts.push({ fromMs, untilMs: fromMs + nonNegative('durationMs', durationMs, 0) });
  }

  inBlackout(nowMs: number): boolean {
    return this.blackouts.some((b) => nowMs >= b.fromMs && nowMs < b.untilMs);
  }

  /** The delivery times of a packet of `bytes` arriving at `nowMs`: none when it is dropped. */
  decide(nowMs: number, bytes: number): number[] {
    // Always the same draws per packet, in the same order (see the file comment).
    const draws = {
      loss: this.random(),
      burstLoss: this.random(),
      burstStep: this.random(),
      jitter: this.random(),
      reorder: this.random(),
      duplicate: this.random(),
      duplicateJitter: this.random(),
    };
    const p = this.profile;
    this.counters.packets++;
    const burstLost = this.stepBurst(draws.burstLoss, draws.burstStep);
    if (this.inBlackout(nowMs)) return this.drop('blackout');
    if (draws.loss < (p.loss ?? 0)) return this.drop('random');
    if (burstLost) return this.drop('burst');

    let departMs = nowMs;
    const rateKbps = p.rateKbps ?? 0;
    if (rateKbps > 0) {
      const startMs = Math.max(nowMs, this.queueFreeAtMs);
      if (startMs - nowMs > (p.queueMs ?? 200)) return this.drop('queue');
      departMs = startMs + (bytes * 8) / rateKbps; // bits / (kbit/s) = ms
      this.queueFreeAtMs = departMs;
    }
    const delay = (jitterDraw: number): number => {
      const jitter = p.jitterMs ?? 0;
      return Math.max(0, (p.delayMs ?? 0) + (2 * jitterDraw - 1) * jitter);
    };
    let deliverMs = departMs + delay(draws.jitter);
    if (draws.reorder < (p.reorder ?? 0)) {
      deliverMs += p.reorderGapMs ?? 20;
      this.counters.heldBack++;
    }
    const times = [deliverMs];
    if (draws.duplicate < (p.duplicate ?? 0)) {
      times.push(departMs + delay(draws.duplicateJitter));
      this.counters.duplicated++;
    }
    this.counters.delivered += times.length;
    return times;
  }

  /** Loss decision in the current state, then one step of the chain. */
  private stepBurst(lossDraw: number, stepDraw: number): boolean {
    const model = this.profile.burstLoss;
    if (!model) {
      this.burstBad = false;
      return false;
    }
    const lost = lossDraw < (this.burstBad ? (model.lossBad ?? 1) : (model.lossGood ?? 0));
    this.burstBad = this.burstBad ? stepDraw >= model.pBadToGood : stepDraw < model.pGoodToBad;
    return lost;
  }

  private drop(cause: DropCause): number[] {
    this.counters.dropped[cause]++;
    return [];
  }
}
