/**
 * The contract between the TypeScript call layer (lib/calls) and the native call engine
 * (the tgcalls protocol on tg_owt). The call layer creates an engine only from the FINAL
 * phoneCall constructor; everything before that is the key exchange.
 */
import type { CallKey } from '../crypto';

/** tgcalls protocol versions the engine implements, preferred first. */
export type ProtocolVersion = '11.0.0' | '10.0.0';

/** A STUN or TURN server from phoneConnectionWebrtc (spec §3.4). */
export interface RtcServer {
  host: string;
  port: number;
  /** TURN credentials; empty for STUN. */
  login: string;
  password: string;
  isTurn: boolean;
  isTcp: boolean;
}

export interface EngineConfig {
  /** ms without connection before the call fails (Telegram: call_connect_timeout_ms). */
  connectTimeoutMs: number;
  /** ms without packets before an established call ends (call_packet_timeout_ms). */
  packetTimeoutMs: number;
  /** WebRTC audio processing; off by default, as bots want the audio untouched. */
  enableEchoCancellation: boolean;
  enableNoiseSuppression: boolean;
  enableGainControl: boolean;
}

export interface EngineOptions {
  version: ProtocolVersion;
  key: CallKey;
  isOutgoing: boolean;
  rtcServers: RtcServer[];
  /** From the final phoneCall's p2p_allowed: false means relay only. */
  enableP2P: boolean;
  /** phoneCall.custom_parameters, parsed; unknown keys are ignored by the engine. */
  customParameters: Record<string, unknown>;
  config: EngineConfig;
  /** The call starts with outgoing video (phoneCall.video). */
  video: boolean;
  /** Where outgoing audio comes from and where received audio goes; default: pushAudio(). */
  audio?: EngineAudioOptions;
  /** Emit 'videoFrame' events with each decoded remote video frame (packed I420). */
  deliverVideoFrames?: boolean;
  /**
   * Accepted for completeness of the tgcalls descriptor; protocols 10.0.0 and 11.0.0 do not
   * use them (spec §3.2, §3.7: network type and data saving only drove libtgvoip and 2.7.7).
   */
  initialNetworkType?: NetworkType;
  dataSaving?: 'never' | 'mobile' | 'always';
}

/** tgcalls' NetworkType (spec §3.5). */
export type NetworkType =
  | 'unknown'
  | 'gprs'
  | 'edge'
  | '3g'
  | 'hspa'
  | 'lte'
  | 'wifi'
  | 'ethernet'
  | 'otherHighSpeed'
  | 'otherLowSpeed'
  | 'otherMobile'
  | 'dialup';

/**
 * Audio of one call: 48 kHz mono PCM, paced natively every 10 ms.
 *
 * Files are read and written natively in two formats. Input files are recognised by their
 * content: WAV (PCM or float, any rate and channel count; resampled to 48 kHz mono) or Ogg Opus
 * (any channel layout and pre-skip; mixed down to mono). Recordings are Ogg Opus when the name
 * ends in `.ogg`, `.opus` or `.oga` (20 ms packets, 64 kbit/s mono, 96 kbit/s stereo), else
 * 16-bit WAV. Either kind of recording stays playable when the process dies: the WAV header and
 * the Ogg pages are brought up to date at least every second.
 */
export interface EngineAudioOptions {
  /** Send this file (WAV or Ogg Opus, see above). */
  inputFile?: string;
  /** Start the input file again when it ends. */
  loopInput?: boolean;
  /** Record what the peer sends into this file (48 kHz mono; Ogg Opus or WAV by extension). */
  outputFile?: string;
  /** Record both directions into one stereo file: left what we send, right what we hear. */
  conversationFile?: string;
  /** Older name of `inputFile`; also takes Ogg Opus now. Give one of the two. */
  inputWav?: string;
  /** Older name of `outputFile`; also writes Ogg Opus for an .ogg/.opus/.oga name. */
  outputWav?: string;
  /** Older name of `conversationFile`. */
  conversationWav?: string;
  /** How much pushed audio may wait, in ms (backpressure beyond it). Default 1000. */
  inputQueueMs?: number;
  /** Emit 'audio' events with each received 10 ms frame. */
  deliverIncoming?: boolean;
}

export type EngineState = 'connecting' | 'established' | 'reconnecting' | 'failed';

export type RemoteAudioState = 'muted' | 'active';
export type RemoteVideoState = 'inactive' | 'paused' | 'active';

export interface EngineFinalState {
  /** Implementation-specific debug JSON for phone.saveCallDebug; never holds key material. */
  debugJson: string;
  trafficStats: { bytesSent: number; bytesReceived: number };
  isRatingSuggested: boolean;
}

export interface AudioLevels {
  outgoing: number;
  incoming: number;
}

export interface EngineEvents {
  /** One opaque unit for phone.sendSignalingData. */
  signalingData: (data: Buffer) => void;
  state: (state: EngineState) => void;
  signalBars: (bars: 0 | 1 | 2 | 3 | 4) => void;
  remoteMediaState: (audio: RemoteAudioState, video: RemoteVideoState) => void;
  /**
   * Peak levels of the last 100 ms, 0..1: `outgoing` what this side sends, `incoming` what it
   * hears. Optional for an engine to emit; the native engine does every 100 ms.
   */
  audioLevels: (levels: AudioLevels) => void;
  /** The engine ended by itself (failure, timeout); stop() still returns the final state. */
  error: (error: Error) => void;
}

export interface CallEngine {
  on<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]): this;
  off<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]): this;
  /** Starts networking and signaling. Signaling listeners must be attached before. */
  start(): void;
  /** updatePhoneCallSignalingData.data, in arrival order. Bad data is dropped silently. */
  receiveSignalingData(data: Uint8Array): void;
  setMuted(muted: boolean): void;
  /** Whether this side has sent video at any point of the call. */
  readonly hadVideo: boolean;
  /** Ends the call; safe to call twice (the second call returns the same result). */
  stop(): Promise<EngineFinalState>;
}

/** Creates an engine; the call layer takes one so tests and tools can supply their own. */
export type EngineFactory = (options: EngineOptions) => CallEngine;
