/**
 * Hostile signaling units injected into both sides of a live call, while audio flows: the
 * call must stay established and keep carrying both tones.
 */
import type { ProtocolVersion } from '../../lib/engine/types';
import { analyseTone } from '../../lib/media/analysis';
import { hostileKinds, makeHostileUnits, type HostileKind } from './hostile-signaling';
import { delay, framesBetween, startToneCall, type Side } from './tone-call';

export interface HostileCallResult {
  version: ProtocolVersion;
  cases: number;
  byKind: Record<HostileKind, number>;
  /** No error and both sides still established at the end. */
  survived: boolean;
  errors: string[];
  /** Tone windows in the last second, per direction (0..1). */
  callerToCalleeToneFraction: number;
  calleeToCallerToneFraction: number;
}

/** Genuine units of a call, captured on their way to the peer. */
function capturing(store: Buffer[]) {
  return (_from: Side, unit: Buffer, send: (unit: Buffer) => void): void => {
    store.push(Buffer.from(unit));
    send(unit);
  };
}

export async function runHostileCall(options: {
  version: ProtocolVersion;
  count: number;
  seed: number;
}): Promise<HostileCallResult> {
  // Another call's units: encrypted with another key.
  const foreign: Buffer[] = [];
  const other = startToneCall({
    version: options.version,
    recordAudio: false,
    deliver: capturing(foreign),
  });
  await other.established.finally(() => other.stop());

  const genuine: Buffer[] = [];
  const call = startToneCall({ version: options.version, deliver: capturing(genuine) });
  try {
    await call.established;
    await delay(300);
    const units = makeHostileUnits({ genuine, foreign }, options.count, options.seed);
    const byKind = Object.fromEntries(hostileKinds.map((k) => [k, 0])) as Record<
      HostileKind,
      number
    >;
    for (let i = 0; i < units.length; i++) {
      const unit = units[i];
      if (!unit) continue;
      byKind[unit.kind]++;
      (i % 2 ? call.caller : call.callee).receiveSignalingData(unit.data);
      if (i % 25 === 24) await new Promise((resolve) => setImmediate(resolve));
    }
    await delay(500);
    const fromMs = performance.now();
    await delay(1000);
    const toMs = performance.now();
    const toneFraction = (side: Side, hz: number): number => {
      const frames = framesBetween(call.heard[side], fromMs, toMs);
      const joined = new Int16Array(frames.length * 480);
      frames.forEach((f, i) => {
        joined.set(f, i * 480);
      });
      return analyseTone(joined, 48000, hz).toneFraction;
    };
    const errors = call.timeline.filter((e) => e.event.startsWith('error:'));
    const lastState = (side: Side): string | undefined =>
      call.timeline.filter((e) => e.side === side && !e.event.startsWith('error:')).pop()?.event;
    return {
      version: options.version,
      cases: units.length,
      byKind,
      survived:
        errors.length === 0 &&
        lastState('caller') === 'established' &&
        lastState('callee') === 'established',
      errors: errors.map((e) => e.event.slice(6)),
      callerToCalleeToneFraction: toneFraction('callee', call.callerHz),
      calleeToCallerToneFraction: toneFraction('caller', call.calleeHz),
    };
  } finally {
    await call.stop();
  }
}
