/**
 * Quality of a relay-only call over an impaired path, measured on the audio each side
 * actually decoded: the longest stretch without the tone (10 ms frames), and the share of
 * 100 ms windows whose dominant frequency is the tone.
 */
import type { ProtocolVersion } from '../../lib/engine/types';
import { analyseTone } from '../../lib/media/analysis';
import { measureContinuity } from '../../lib/media/continuity';
import type { ImpairmentProfile } from '../../lib/netem';
import type { TurnServer } from '../../test/support/turn-server';
import { startImpairedPath } from './relay-path';
import { delay, framesBetween, startToneCall, type TimedFrame } from './tone-call';

export interface DirectionQuality {
  expectedHz: number;
  dominantHz: number;
  /** 100 ms windows with the right dominant frequency, 0..1. */
  toneFraction: number;
  /** 10 ms frames carrying the tone, 0..1. */
  toneFrameShare: number;
  longestGapMs: number;
  gapsOver60Ms: number;
}

export interface AudioQualityResult {
  profile: ImpairmentProfile;
  connected: boolean;
  /** Error codes either side reported. */
  errors: string[];
  localCandidateType: string;
  /** Packets the relay dropped over packets it saw, client → TURN leg. */
  relayLoss: number;
  relayOutOfOrder: number;
  callerToCallee: DirectionQuality;
  calleeToCaller: DirectionQuality;
}

export interface AudioQualityOptions {
  turn: TurnServer;
  profile: ImpairmentProfile;
  seed: number;
  /** Length of the measured stretch, after a 1 s settling time. Default 4. */
  seconds?: number;
  version?: ProtocolVersion;
}

function quality(frames: TimedFrame[], fromMs: number, toMs: number, hz: number): DirectionQuality {
  const window = framesBetween(frames, fromMs, toMs);
  const continuity = measureContinuity(window, hz);
  const joined = new Int16Array(window.reduce((n, f) => n + f.length, 0));
  window.reduce((at, f) => (joined.set(f, at), at + f.length), 0);
  const tone = analyseTone(joined, 48000, hz);
  return {
    expectedHz: hz,
    dominantHz: tone.dominantHz,
    toneFraction: tone.toneFraction,
    toneFrameShare: continuity.toneShare,
    longestGapMs: continuity.longestGapMs,
    gapsOver60Ms: continuity.gapsOver60Ms,
  };
}

export async function measureAudioQuality(
  options: AudioQualityOptions,
): Promise<AudioQualityResult> {
  const path = await startImpairedPath(options.turn, {
    seed: options.seed,
    profile: options.profile,
  });
  const call = startToneCall({
    version: options.version ?? '11.0.0',
    rtcServers: path.servers,
    enableP2P: false,
    config: { connectTimeoutMs: 20_000 },
  });
  try {
    const connected = await call.established.then(
      () => true,
      () => false,
    );
    let fromMs = 0;
    let toMs = 0;
    let localCandidateType = '';
    if (connected) {
      await delay(1000); // NetEq settles on the path's jitter
      fromMs = performance.now();
      await delay((options.seconds ?? 4) * 1000);
      toMs = performance.now();
      localCandidateType = (await call.caller.getStats()).localCandidateType;
    }
    const stats = path.relay.stats().toTarget;
    const dropped = Object.values(stats.dropped).reduce((a, b) => a + b, 0);
    return {
      profile: options.profile,
      connected,
      errors: call.timeline
        .filter((e) => e.event.startsWith('error:'))
        .map((e) => e.event.slice(6)),
      localCandidateType,
      relayLoss: stats.packets ? dropped / stats.packets : 0,
      relayOutOfOrder: stats.outOfOrder,
      callerToCallee: quality(call.heard.callee, fromMs, toMs, call.callerHz),
      calleeToCaller: quality(call.heard.caller, fromMs, toMs, call.calleeHz),
    };
  } finally {
    await call.stop();
    await path.close();
  }
}
