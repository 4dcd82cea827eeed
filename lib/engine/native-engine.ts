/**
 * The native call engine: tgcalls 11.0.0 / 10.0.0 on tg_owt (native/engine), behind the
 * CallEngine contract the call layer uses, plus what tools and bots need directly (audio,
 * statistics).
 */
import { EventEmitter } from 'node:events';

import { TgCallsError } from '../errors';
import { native } from '../native';
import type {
  AudioLevels,
  CallEngine,
  EngineFactory,
  EngineFinalState,
  EngineOptions,
  EngineEvents,
  EngineState,
  RemoteAudioState,
  RemoteVideoState,
} from './types';

/** The protocol versions the engine implements, preferred first. */
export const ENGINE_PROTOCOL_VERSIONS = ['11.0.0', '10.0.0'] as const;

export interface EngineStats {
  sendBitrateKbps: number;
  receiveBitrateKbps: number;
  availableOutgoingKbps: number;
  /** -1 until measured. */
  rttMs: number;
  /** Fraction of inbound audio packets lost, 0..1. */
  packetLoss: number;
  packetsLost: number;
  jitterMs: number;
  bytesSent: number;
  bytesReceived: number;
  /** Type of the selected local candidate: host, srflx, prflx or relay. */
  localCandidateType: string;
  remoteCandidateType: string;
  codec: string;
}

export interface AudioCounters {
  /** 10 ms frames sent (silence included). */
  framesSent: number;
  /** 10 ms frames decoded from the peer. */
  framesReceived: number;
  /** Frames sent as silence because pushed audio had not arrived in time. */
  inputUnderruns: number;
  /** Received frames that were all zeros (e.g. the peer is muted). */
  receivedSilentFrames: number;
  /**
   * Received frames dropped before reaching the 'audio' event because JavaScript fell more
   * than about 10 s of events behind (audio.deliverIncoming only; recordings still get them).
   */
  receivedFramesDropped: number;
  /** Pushed samples waiting to be sent. */
  queuedInputSamples: number;
}

interface NativeCallHandle {
  start(): void;
  receiveSignalingData(data: Uint8Array): void;
  setMuted(muted: boolean): void;
  pushAudio(samples: Int16Array): boolean;
  getStats(): Promise<EngineStats>;
  stop(): Promise<EngineFinalState>;
  audioCounters(): AudioCounters;
  pushVideoFrame(width: number, height: number, i420: Uint8Array): boolean;
  videoCounters(): VideoCounters;
  useFileInput(path: string, loop: boolean): void;
  usePushedInput(): void;
  setInputPaused(paused: boolean): void;
  setInputGain(gain: number): void;
}

export interface VideoCounters {
  framesReceived: number;
  /** Size and rotation of the last received frame. */
  width: number;
  height: number;
  rotation: number;
}

/** A decoded remote video frame: packed I420 (Y plane, then U, then V). */
export interface VideoFrame {
  width: number;
  height: number;
  rotation: number;
  timestampUs: number;
  data: Buffer;
}

type NativeCallConstructor = new (
  options: Record<string, unknown>,
  onEvent: (name: string, value: unknown) => void,
) => NativeCallHandle;

/** Events of NativeCallEngine: the CallEngine contract's and audio. */
export interface NativeEngineEvents extends EngineEvents {
  /** Each received 10 ms frame, when audio.deliverIncoming is set. */
  audio: (samples: Int16Array) => void;
  /** Each decoded remote video frame, when deliverVideoFrames is set. */
  videoFrame: (frame: VideoFrame) => void;
  /** The audio source ran dry (a file ended, or pushed audio stopped coming): silence is sent. */
  inputDrained: () => void;
}

// Typed events on top of EventEmitter (declaration merging with the class below).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface NativeCallEngine {
  on<E extends keyof NativeEngineEvents>(event: E, listener: NativeEngineEvents[E]): this;
  once<E extends keyof NativeEngineEvents>(event: E, listener: NativeEngineEvents[E]): this;
  off<E extends keyof NativeEngineEvents>(event: E, listener: NativeEngineEvents[E]): this;
  emit<E extends keyof NativeEngineEvents>(
    event: E,
    ...args: Parameters<NativeEngineEvents[E]>
  ): boolean;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class NativeCallEngine extends EventEmitter implements CallEngine {
  private readonly handle: NativeCallHandle;
  private finalState: Promise<EngineFinalState> | undefined;
  private started = false;

  constructor(options: EngineOptions) {
    super();
    const NativeCall = (native() as unknown as { NativeCall: NativeCallConstructor }).NativeCall;
    this.handle = new NativeCall(
      {
        version: options.version,
        key: options.key,
        isOutgoing: options.isOutgoing,
        rtcServers: options.rtcServers,
        enableP2P: options.enableP2P,
        connectTimeoutMs: options.config.connectTimeoutMs,
        packetTimeoutMs: options.config.packetTimeoutMs,
        enableEchoCancellation: options.config.enableEchoCancellation,
        enableNoiseSuppression: options.config.enableNoiseSuppression,
        enableGainControl: options.config.enableGainControl,
        audio: options.audio ?? {},
        video: options.video,
        deliverVideoFrames: options.deliverVideoFrames ?? false,
      },
      (name, value) => {
        this.dispatch(name, value);
      },
    );
    this.hadVideo = options.video;
  }

  /**
   * Whether this side has sent video at any point of the call. Fixed at creation: the native
   * engine creates its video track only for a call that starts with video (options.video) and
   * cannot start one mid-call, so nothing can change it later.
   */
  readonly hadVideo: boolean;

  start(): void {
    if (this.started)
      throw new TgCallsError('CALL_INVALID_STATE', 'the engine was already started');
    this.started = true;
    this.handle.start();
  }

  receiveSignalingData(data: Uint8Array): void {
    this.handle.receiveSignalingData(data);
  }

  setMuted(muted: boolean): void {
    this.handle.setMuted(muted);
  }

  /**
   * Queues 48 kHz mono PCM to send. Returns false when the queue is full: wait and push again
   * (the native clock drains 480 samples every 10 ms).
   */
  pushAudio(samples: Int16Array): boolean {
    return this.handle.pushAudio(samples);
  }

  getStats(): Promise<EngineStats> {
    return this.handle.getStats();
  }

  audioCounters(): AudioCounters {
    return this.handle.audioCounters();
  }

  /**
   * Sends one packed I420 frame (video calls only; pace frames yourself, e.g. 30 per second).
   * False when the size does not match width × height or the call has ended.
   */
  pushVideoFrame(width: number, height: number, i420: Uint8Array): boolean {
    return this.handle.pushVideoFrame(width, height, i420);
  }

  videoCounters(): VideoCounters {
    return this.handle.videoCounters();
  }

  /**
   * Sends a file (WAV or Ogg Opus, recognised by its content) from the next 10 ms frame on (no
   * gap, no glitch). Throws MEDIA_FILE_NOT_FOUND / MEDIA_FILE_INVALID, and then the current
   * source stays.
   */
  useFileInput(path: string, options: { loop?: boolean } = {}): void {
    this.handle.useFileInput(path, options.loop ?? false);
  }

  /** Older name of useFileInput(); takes Ogg Opus files too. */
  useWavInput(path: string, options: { loop?: boolean } = {}): void {
    this.useFileInput(path, options);
  }

  /** Sends what pushAudio() queues from the next frame on (the queue starts empty). */
  usePushedInput(): void {
    this.handle.usePushedInput();
  }

  /** A paused source is not consumed; silence is sent meanwhile. */
  setInputPaused(paused: boolean): void {
    this.handle.setInputPaused(paused);
  }

  /** Linear gain on what is sent (0..16, default 1). */
  setInputGain(gain: number): void {
    this.handle.setInputGain(gain);
  }

  stop(): Promise<EngineFinalState> {
    this.finalState ??= this.handle.stop();
    return this.finalState;
  }

  private dispatch(name: string, value: unknown): void {
    switch (name) {
      case 'signalingData':
        this.emit('signalingData', value as Buffer);
        break;
      case 'state':
        this.emit('state', value as EngineState);
        break;
      case 'signalBars':
        this.emit('signalBars', value as 0 | 1 | 2 | 3 | 4);
        break;
      case 'remoteMediaState': {
        const state = value as { audio: RemoteAudioState; video: RemoteVideoState };
        this.emit('remoteMediaState', state.audio, state.video);
        break;
      }
      case 'failed':
        // An engine that ends by itself reports it; without listeners it must not throw.
        if (this.listenerCount('error') > 0) this.emit('error', value as Error);
        break;
      case 'audioLevels':
        this.emit('audioLevels', value as AudioLevels);
        break;
      case 'audio':
        this.emit('audio', value as Int16Array);
        break;
      case 'videoFrame':
        this.emit('videoFrame', value as VideoFrame);
        break;
      case 'inputDrained':
        this.emit('inputDrained');
        break;
    }
  }
}

export const createNativeEngine: EngineFactory = (options) => new NativeCallEngine(options);
