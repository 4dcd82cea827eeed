/**
 * One call's engine: created from the final phoneCall, wired before start(), stopped once.
 */
import type {
  AudioLevels,
  CallEngine,
  EngineFactory,
  EngineFinalState,
  EngineOptions,
  EngineState,
  RemoteAudioState,
  RemoteVideoState,
} from '../engine/types';
import { TgCallsError } from '../errors';
import type { Log } from './logger';

export interface EngineHandlers {
  signalingData: (data: Buffer) => void;
  state: (state: EngineState) => void;
  signalBars: (bars: 0 | 1 | 2 | 3 | 4) => void;
  remoteMediaState: (audio: RemoteAudioState, video: RemoteVideoState) => void;
  audioLevels: (levels: AudioLevels) => void;
  error: (error: Error) => void;
}

export class EngineSession {
  private stopping: Promise<EngineFinalState | undefined> | undefined;

  private constructor(
    private readonly engine: CallEngine,
    private readonly log: Log,
  ) {}

  /** Creates and starts the engine. Throws CALL_ENGINE_FAILED when the factory or start() throws. */
  static start(
    factory: EngineFactory,
    options: EngineOptions,
    handlers: EngineHandlers,
    log: Log,
  ): EngineSession {
    let engine: CallEngine;
    try {
      engine = factory(options);
      // Signaling listeners must be attached before start() (engine contract).
      engine.on('signalingData', handlers.signalingData);
      engine.on('state', handlers.state);
      engine.on('signalBars', handlers.signalBars);
      engine.on('remoteMediaState', handlers.remoteMediaState);
      // Attached with the others, before start(): the first levels come 100 ms after it.
      engine.on('audioLevels', handlers.audioLevels);
      engine.on('error', handlers.error);
      engine.start();
    } catch (error) {
      throw new TgCallsError('CALL_ENGINE_FAILED', 'the call engine could not start', {
        cause: error,
      });
    }
    return new EngineSession(engine, log);
  }

  /** The engine itself, for media (pushAudio, statistics, audio events). */
  get instance(): CallEngine {
    return this.engine;
  }

  receive(data: Uint8Array): void {
    if (this.stopping !== undefined) return;
    try {
      this.engine.receiveSignalingData(data);
    } catch (error) {
      // The contract says bad data is dropped silently; an engine that throws anyway is logged.
      this.log.warn(
        `engine rejected signaling data: ${error instanceof Error ? error.message : 'error'}`,
      );
    }
  }

  setMuted(muted: boolean): void {
    if (this.stopping === undefined) this.engine.setMuted(muted);
  }

  get hadVideo(): boolean {
    return this.engine.hadVideo;
  }

  /** Stops the engine once; resolves with its final state, or undefined if stop() failed. */
  stop(): Promise<EngineFinalState | undefined> {
    this.stopping ??= Promise.resolve()
      .then(() => this.engine.stop())
      .then(
        (finalState) => finalState,
        (error: unknown) => {
          this.log.warn(`engine stop failed: ${error instanceof Error ? error.message : 'error'}`);
          return undefined;
        },
      );
    return this.stopping;
  }
}
