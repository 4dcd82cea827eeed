/** CallManager options and their defaults. */
import { createNativeEngine } from '../engine/native-engine';
import type { EngineAudioOptions, EngineFactory, ProtocolVersion } from '../engine/types';
import type { CallLogger } from './logger';
import type { CallTransport } from './transport';

/** Telegram's client-config call timeouts (help.getConfig), in ms (spec §8.5). */
export interface CallTimeouts {
  /** Caller: hang up (missed) unless the callee's device rings within this time; both
   * sides: fail a key exchange that stalls this long. call_receive_timeout_ms. */
  receiveMs: number;
  /** Caller: hang up (missed) after the callee's device rang this long; callee: decline
   * (busy) an incoming call not answered this long (spec §8.5). call_ring_timeout_ms. */
  ringMs: number;
  /** Fail the call (disconnect) unless the engine is established this long after it
   * started. call_connect_timeout_ms; also handed to the engine. */
  connectMs: number;
  /** Handed to the engine: no packets this long ends an established call. call_packet_timeout_ms. */
  packetMs: number;
}

export const defaultCallTimeouts: Readonly<CallTimeouts> = {
  receiveMs: 20_000,
  ringMs: 90_000,
  connectMs: 30_000,
  packetMs: 10_000,
};

/** The versions the native engine implements, preferred first (spec §1.2). */
export const defaultProtocolVersions: readonly ProtocolVersion[] = ['11.0.0', '10.0.0'];

/** One call's media: where its audio comes from and goes, whether video frames are delivered. */
export interface CallMediaOptions {
  audio?: EngineAudioOptions;
  /** Emit decoded remote video frames on the engine ('videoFrame'). */
  deliverVideoFrames?: boolean;
}

export interface CallManagerOptions {
  transport: CallTransport;
  /** Creates the engine of each call once its key is verified; default: the native engine. */
  engineFactory?: EngineFactory;
  /** Advertised in phoneCallProtocol.library_versions, preferred first. */
  protocolVersions?: readonly ProtocolVersion[];
  timeouts?: Partial<CallTimeouts>;
  /** WebRTC audio processing for every call; all off by default (bots want raw audio). */
  audioProcessing?: {
    echoCancellation?: boolean;
    noiseSuppression?: boolean;
    gainControl?: boolean;
  };
  /** Incoming calls beyond this many unfinished calls are declined as busy. Default 1. */
  maxConcurrentCalls?: number;
  /** How long a hang-up waits for phone.discardCall before ending anyway. Default 5000 ms. */
  discardTimeoutMs?: number;
  logger?: CallLogger;
}

export interface ResolvedCallOptions {
  engineFactory: EngineFactory;
  protocolVersions: readonly ProtocolVersion[];
  timeouts: CallTimeouts;
  audioProcessing: { echoCancellation: boolean; noiseSuppression: boolean; gainControl: boolean };
  maxConcurrentCalls: number;
  discardTimeoutMs: number;
}

export function resolveCallOptions(options: CallManagerOptions): ResolvedCallOptions {
  const protocolVersions = options.protocolVersions ?? defaultProtocolVersions;
  if (protocolVersions.length === 0) {
    throw new RangeError('protocolVersions must name at least one version');
  }
  return {
    engineFactory: options.engineFactory ?? createNativeEngine,
    protocolVersions: [...protocolVersions],
    timeouts: { ...defaultCallTimeouts, ...options.timeouts },
    audioProcessing: {
      echoCancellation: options.audioProcessing?.echoCancellation ?? false,
      noiseSuppression: options.audioProcessing?.noiseSuppression ?? false,
      gainControl: options.audioProcessing?.gainControl ?? false,
    },
    maxConcurrentCalls: options.maxConcurrentCalls ?? 1,
    discardTimeoutMs: options.discardTimeoutMs ?? 5000,
  };
}
