/**
 * node-tgcalls: Telegram 1:1 voice and video calls for Node.js.
 */
import { native, type NativeLogLevel } from './native';

export { TgCallsError, type TgCallsErrorCode } from './errors';

export type LogLevel = NativeLogLevel;

export interface Versions {
  /** Debian version of the tg_owt snapshot the addon was built against. */
  tgOwt: string;
  /** Version of this package's native addon. */
  addon: string;
  /** tgcalls protocol versions the engine implements, preferred first. */
  protocolVersions: string[];
}

export function versions(): Versions {
  return native().versions();
}

/**
 * Sends WebRTC's log lines at `level` or above to `logger`, on this thread. Nothing is logged
 * (and nothing printed) until a logger is set; `setLogger('none')` switches logging off.
 * Lines never contain key material. When lines come faster than JavaScript takes them, the
 * excess is dropped rather than queued without bound.
 */
export function setLogger(
  level: LogLevel,
  logger?: (level: Exclude<LogLevel, 'none'>, line: string) => void,
): void {
  native().setLogger(level, logger as ((level: LogLevel, line: string) => void) | undefined);
}

/**
 * Creates WebRTC's shared PeerConnectionFactory (once per process) and a fresh DTLS
 * certificate, and returns the certificate's SHA-256 fingerprint ("AB:CD:…", 32 pairs).
 * A self-check that the WebRTC build works end to end on this machine.
 */
export function generateCertificateFingerprint(): Promise<string> {
  return native().generateCertificateFingerprint();
}

// The call layer: Telegram's phoneCall* objects and phone.* methods mapped onto calls.
export * from './calls';
export {
  runExchangeDemo,
  type ExchangeDemoOptions,
  type ExchangeDemoResult,
  type ExchangeDemoSide,
} from './calls/demo';
export * as tl from './tl';
export * from './exchange';
export * from './adapters';

// The call engine on its own (CI loopback tests, tools): see docs/engine.md.
export {
  NativeCallEngine,
  createNativeEngine,
  ENGINE_PROTOCOL_VERSIONS,
  type AudioCounters,
  type EngineStats,
  type NativeEngineEvents,
  type VideoCounters,
  type VideoFrame,
} from './engine/native-engine';
export type {
  AudioLevels,
  CallEngine,
  EngineAudioOptions,
  EngineConfig,
  EngineEvents,
  EngineFactory,
  EngineFinalState,
  EngineOptions,
  EngineState,
  NetworkType,
  ProtocolVersion,
  RtcServer,
} from './engine/types';
export { runLoopbackCall, type LoopbackOptions, type LoopbackReport } from './engine/loopback';
export { analyseTone, type ToneAnalysis } from './media/analysis';
export { decodeWav, encodeWav, sineTone, type PcmAudio } from './media/wav';
export {
  receiveToStream,
  sendPcmStream,
  type StreamSinkHandle,
  type StreamSourceHandle,
} from './media/streams';
export { recordWithFfmpeg, sendWithFfmpeg } from './media/ffmpeg';
export type { PcmFormat } from './media/pcm-converter';
export {
  recordVideoWithFfmpeg,
  sendVideoWithFfmpeg,
  type FfmpegVideoRecording,
  type FfmpegVideoSinkOptions,
  type FfmpegVideoSource,
  type FfmpegVideoSourceOptions,
  type VideoRecordingSummary,
  type VideoSourceSummary,
} from './media/ffmpeg-video';
