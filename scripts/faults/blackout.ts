/**
 * A total outage of the path (every packet both ways dropped) in the middle of a relay-only
 * call, and what the call does: carries on once the path returns, or ends with the packet
 * timeout when the outage outlasts it.
 */
import type { ProtocolVersion } from '../../lib/engine/types';
import { measureContinuity } from '../../lib/media/continuity';
import type { TurnServer } from '../../test/support/turn-server';
import { startImpairedPath } from './relay-path';
import { delay, startToneCall, type Side, type TimelineEntry, type ToneCall } from './tone-call';

export interface BlackoutEvent {
  side: Side;
  event: string;
  /** Relative to the path's return, ms (negative: during the blackout). */
  atMs: number;
}

export interface BlackoutResult {
  blackoutMs: number;
  packetTimeoutMs: number;
  /** No error, and both sides hear the tone again and report established. */
  recovered: boolean;
  /** From the path's return until both sides hear the tone and neither is reconnecting (-1: never). */
  recoveryMs: number;
  /** From the path's return to the first tone frame, the later of the two sides (-1: never). */
  audioBackMs: number;
  /** Whether either side reported 'reconnecting' during or after the blackout. */
  reconnectingReported: boolean;
  /** State events and errors from the start of the blackout on. */
  events: BlackoutEvent[];
  errors: string[];
  /** From the start of the blackout to the first error, ms (-1: none). */
  failedAfterMs: number;
}

export interface BlackoutOptions {
  turn: TurnServer;
  blackoutMs: number;
  seed: number;
  packetTimeoutMs?: number;
  /** Longest watch after the path returns. Default 4000 ms. */
  observeMs?: number;
  version?: ProtocolVersion;
}

/** When `side` hears the tone again after `sinceMs` (performance.now() ms), or -1. */
function toneBackAt(call: ToneCall, side: Side, sinceMs: number): number {
  const hz = side === 'caller' ? call.calleeHz : call.callerHz;
  const after = call.heard[side].filter((f) => f.atMs >= sinceMs);
  const first = measureContinuity(
    after.map((f) => f.samples),
    hz,
  ).firstToneFrame;
  return first < 0 ? -1 : (after[first]?.atMs ?? -1);
}

/** When `side` was last back to established after reconnecting, 0 if it never left it, -1 if it is still out. */
function establishedBackAt(timeline: TimelineEntry[], side: Side, sinceMs: number): number {
  const events = timeline.filter((e) => e.side === side && e.atMs >= sinceMs);
  const last = events[events.length - 1];
  if (!last) return 0;
  return last.event === 'established' ? last.atMs : -1;
}

export async function measureBlackout(options: BlackoutOptions): Promise<BlackoutResult> {
  const packetTimeoutMs = options.packetTimeoutMs ?? 10_000;
  const path = await startImpairedPath(options.turn, { seed: options.seed });
  const call = startToneCall({
    version: options.version ?? '11.0.0',
    rtcServers: path.servers,
    enableP2P: false,
    config: { connectTimeoutMs: 20_000, packetTimeoutMs },
  });
  try {
    await call.established;
    await delay(2000);
    const startMs = performance.now();
    path.relay.blackout(options.blackoutMs);
    const returnMs = startMs + options.blackoutMs;
    const bothFailed = (): boolean =>
      new Set(call.timeline.filter((e) => e.event.startsWith('error:')).map((e) => e.side)).size ===
      2;
    const backAgain = (): boolean =>
      performance.now() > returnMs &&
      (['caller', 'callee'] as const).every(
        (side) =>
          toneBackAt(call, side, returnMs) >= 0 &&
          establishedBackAt(call.timeline, side, startMs) >= 0,
      );
    // Watch until both sides are back (plus a little, to see a late state event) or failed.
    const watchUntil = returnMs + (options.observeMs ?? 4000);
    while (performance.now() < watchUntil && !bothFailed() && !backAgain()) await delay(50);
    await delay(1000);

    const during = call.timeline.filter((e) => e.atMs >= startMs);
    const errors = during.filter((e) => e.event.startsWith('error:'));
    const audio = (['caller', 'callee'] as const).map((side) => toneBackAt(call, side, returnMs));
    const states = (['caller', 'callee'] as const).map((side) =>
      establishedBackAt(call.timeline, side, startMs),
    );
    const audioBack = audio.some((t) => t < 0) ? -1 : Math.max(...audio) - returnMs;
    const recovered = errors.length === 0 && audioBack >= 0 && states.every((t) => t >= 0);
    const backMs = Math.max(...audio, ...states.map((t) => (t === 0 ? returnMs : t)));
    return {
      blackoutMs: options.blackoutMs,
      packetTimeoutMs,
      recovered,
      recoveryMs: recovered ? Math.round(backMs - returnMs) : -1,
      audioBackMs: Math.round(audioBack),
      reconnectingReported: during.some((e) => e.event === 'reconnecting'),
      events: during.map((e) => ({
        side: e.side,
        event: e.event,
        atMs: Math.round(e.atMs - returnMs),
      })),
      errors: errors.map((e) => e.event.slice(6)),
      failedAfterMs: errors[0] ? Math.round(errors[0].atMs - startMs) : -1,
    };
  } finally {
    await call.stop();
    await path.close();
  }
}
