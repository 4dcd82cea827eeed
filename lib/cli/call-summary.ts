/** What `play` and `record` report about the call they made, for people and for --json. */
import type { PhoneCall } from '../calls/phone-call';
import type { CallMonitor } from './call-monitor';
import type { AudioLevels } from './level-meter';

export interface CallSummary {
  peerUserId: string;
  callId: string | undefined;
  /** The tgcalls version the engine ran. */
  version: string | undefined;
  emoji: string[];
  keyFingerprint: string | undefined;
  /** From placing (or receiving) the call to established, ms; -1 when it never was. */
  setupMs: number;
  /** How long the call was established, s. */
  seconds: number;
  ended: {
    reason: string;
    endedBy: 'local' | 'remote';
    /** The failure that ended the call, when one did. */
    error: { code: string; message: string } | undefined;
  };
  /** The highest level each direction reached, 0..1. */
  peakLevels: AudioLevels;
}

export function summariseCall(call: PhoneCall, monitor: CallMonitor): CallSummary {
  const info = call.endInfo;
  return {
    peerUserId: call.peerUserId.toString(),
    callId: call.id?.toString(),
    version: call.version,
    emoji: [...(call.emoji ?? [])],
    keyFingerprint: call.keyFingerprint?.toString(),
    setupMs: monitor.setupMs,
    seconds: Math.round(monitor.establishedSeconds * 10) / 10,
    ended: {
      reason: info?.reason ?? 'unspecified',
      endedBy: info?.endedBy ?? 'local',
      error:
        info?.error === undefined
          ? undefined
          : { code: info.error.code, message: info.error.message },
    },
    peakLevels: { ...monitor.levels.peak },
  };
}
