/**
 * Faults on the signaling path (phone.sendSignalingData → updatePhoneCallSignalingData): each
 * unit is, with probability `rate`, dropped — or, in the mixed mode, hit by one fault chosen
 * at random among drop, delay, duplicate and reorder. Seeded, so a run is reproducible.
 */
import { mulberry32 } from '../../lib/netem';
import type { Side } from './tone-call';

export type SignalingFaultMode = 'loss' | 'mixed';
export type SignalingFault = 'drop' | 'delay' | 'duplicate' | 'reorder';

export interface SignalingFaultOptions {
  mode: SignalingFaultMode;
  /** Share of units that get a fault, 0..1. */
  rate: number;
  seed: number;
  /** Longest delay of a delayed unit or of a duplicate's second copy, ms. Default 400. */
  maxDelayMs?: number;
}

export interface SignalingFaultCounters extends Record<SignalingFault, number> {
  units: number;
}

export interface SignalingFaultInjector {
  readonly deliver: (from: Side, unit: Buffer, send: (unit: Buffer) => void) => void;
  readonly counters: SignalingFaultCounters;
  /** Cancels pending deliveries. */
  readonly close: () => void;
}

const faults: readonly SignalingFault[] = ['drop', 'delay', 'duplicate', 'reorder'];

export function signalingFaultInjector(options: SignalingFaultOptions): SignalingFaultInjector {
  const random = mulberry32(options.seed);
  const maxDelayMs = options.maxDelayMs ?? 400;
  const counters: SignalingFaultCounters = {
    units: 0,
    drop: 0,
    delay: 0,
    duplicate: 0,
    reorder: 0,
  };
  const timers = new Set<NodeJS.Timeout>();
  // A reordered unit waits for the next unit of its side (or maxDelayMs) and follows it.
  const heldBack: Partial<Record<Side, () => void>> = {};
  let closed = false;

  const later = (ms: number, run: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!closed) run();
    }, ms);
    timers.add(timer);
  };
  const releaseHeld = (from: Side): void => {
    const release = heldBack[from];
    heldBack[from] = undefined;
    release?.();
  };

  return {
    counters,
    deliver: (from, unit, send) => {
      if (closed) return;
      counters.units++;
      const hit = random() < options.rate;
      const choice = random();
      const delayMs = Math.round(random() * maxDelayMs);
      const fault: SignalingFault | undefined = !hit
        ? undefined
        : options.mode === 'loss'
          ? 'drop'
          : faults[Math.floor(choice * faults.length)];
      if (fault) counters[fault]++;
      switch (fault) {
        case 'drop':
          break;
        case 'delay':
          later(delayMs, () => {
            send(unit);
          });
          break;
        case 'duplicate':
          send(unit);
          later(delayMs, () => {
            send(unit);
          });
          break;
        case 'reorder': {
          releaseHeld(from);
          let sent = false;
          const release = (): void => {
            if (sent) return;
            sent = true;
            send(unit);
          };
          heldBack[from] = release;
          later(maxDelayMs, release);
          return; // not followed by a release: this unit waits for the next one
        }
        case undefined:
          send(unit);
          break;
      }
      releaseHeld(from);
    },
    close: () => {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
