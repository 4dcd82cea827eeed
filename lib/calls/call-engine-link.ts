/**
 * A call's side of its engine (spec §8.4): the engine options built from the final phoneCall,
 * the early signaling buffered until the engine exists and replayed into it, a mute set
 * before it starts, each signaling unit it emits sent as its own phone.sendSignalingData, and
 * its media events passed on while the call is not ending. The call's state machine (which
 * state an engine state means, the timers) stays in CallSession; this module only needs the
 * few hooks in EngineLinkHost, so it never sees the session.
 */
import type { CallKey } from '../crypto';
import type {
  CallEngine,
  EngineFactory,
  EngineFinalState,
  EngineOptions,
  EngineState,
  ProtocolVersion,
  RtcServer,
} from '../engine/types';
import { TgCallsError } from '../errors';
import type { InputPhoneCall, PhoneCallFinal } from '../tl';
import { parseCustomParameters } from './custom-parameters';
import { EngineSession } from './engine-session';
import type { EmitCallEvent } from './events';
import type { Log } from './logger';
import type { CallMediaOptions, ResolvedCallOptions } from './options';
import { invokePhone } from './rpc';
import { SignalingBuffer } from './signaling-buffer';
import type { CallTransport } from './transport';

/** What the link needs from its call. */
export interface EngineLinkHost {
  transport: CallTransport;
  engineFactory: EngineFactory;
  log: Log;
  /** The public events the engine drives: signalBars, remoteMediaState, audioLevel. */
  emit: EmitCallEvent;
  /** The engine's connection state, for the call's state machine. */
  engineState: (state: EngineState) => void;
  /** Ends the call with a failure (`error`, discardCall(disconnect), `ended`). */
  fail: (error: unknown) => void;
  /** The call began ending: engine events no longer reach its listeners. */
  hasBegunEnding: () => boolean;
  /** The call has ended: signaling in either direction is dropped. */
  hasEnded: () => boolean;
  /** The call as phone.sendSignalingData names it. */
  peer: () => InputPhoneCall;
}

/** What the engine is started with, besides the final phoneCall itself. */
export interface EngineStartInputs {
  key: CallKey;
  version: ProtocolVersion;
  rtcServers: RtcServer[];
  isOutgoing: boolean;
  enableP2P: boolean;
  options: ResolvedCallOptions;
  media: CallMediaOptions;
  log: Log;
}

/** The engine's options for the call that `call` (the final phoneCall) describes. */
export function engineOptionsFor(call: PhoneCallFinal, inputs: EngineStartInputs): EngineOptions {
  const { options, media } = inputs;
  return {
    version: inputs.version,
    key: inputs.key,
    isOutgoing: inputs.isOutgoing,
    rtcServers: inputs.rtcServers,
    enableP2P: inputs.enableP2P,
    customParameters: parseCustomParameters(call.custom_parameters, inputs.log),
    config: {
      connectTimeoutMs: options.timeouts.connectMs,
      packetTimeoutMs: options.timeouts.packetMs,
      enableEchoCancellation: options.audioProcessing.echoCancellation,
      enableNoiseSuppression: options.audioProcessing.noiseSuppression,
      enableGainControl: options.audioProcessing.gainControl,
    },
    video: call.video === true,
    audio: media.audio,
    deliverVideoFrames: media.deliverVideoFrames,
  };
}

export class CallEngineLink {
  private engine: EngineSession | undefined;
  private readonly early = new SignalingBuffer();
  private muted = false;
  private remoteHadVideo = false;

  constructor(private readonly host: EngineLinkHost) {}

  /** The running engine (media access), once started. */
  get instance(): CallEngine | undefined {
    return this.engine?.instance;
  }

  /** Whether the remote side or this engine had video at any point. */
  get hadVideo(): boolean {
    return this.remoteHadVideo || (this.engine?.hadVideo ?? false);
  }

  /** Signaling from the peer: into the engine, or buffered until it starts. */
  receive(data: Uint8Array): void {
    const { log } = this.host;
    if (this.host.hasEnded()) {
      log.debug('signaling data for an ended call dropped');
    } else if (this.engine !== undefined) {
      this.engine.receive(data);
    } else {
      this.early.push(data);
      log.debug(`signaling data before the engine started: buffered (${this.early.size})`);
    }
  }

  /** Kept for an engine that has not started yet, so that it starts muted. */
  setMuted(muted: boolean): void {
    this.muted = muted;
    this.engine?.setMuted(muted);
  }

  /**
   * Creates, wires and starts the engine, then replays the early signaling. Throws
   * CALL_ENGINE_FAILED as EngineSession.start does; the engine's own failures go to fail().
   */
  start(options: EngineOptions): void {
    const { host } = this;
    const engine = EngineSession.start(
      host.engineFactory,
      options,
      {
        signalingData: (data) => {
          this.send(data);
        },
        state: (state) => {
          host.engineState(state);
        },
        signalBars: (bars) => {
          if (!host.hasBegunEnding()) host.emit('signalBars', bars);
        },
        remoteMediaState: (audio, video) => {
          if (video !== 'inactive') this.remoteHadVideo = true;
          if (!host.hasBegunEnding()) host.emit('remoteMediaState', audio, video);
        },
        audioLevels: (levels) => {
          if (!host.hasBegunEnding()) host.emit('audioLevel', levels);
        },
        error: (error) => {
          host.fail(
            new TgCallsError('CALL_ENGINE_FAILED', `the call engine failed: ${error.message}`, {
              cause: error,
            }),
          );
        },
      },
      host.log,
    );
    this.engine = engine;
    if (host.hasBegunEnding()) {
      void engine.stop(); // the engine failed inside start(); the call's end did not see it yet
      return;
    }
    if (this.muted) engine.setMuted(true);
    host.log.info(
      `engine started: tgcalls ${options.version}, ${options.rtcServers.length} servers`,
    );
    const early = this.early.drain();
    if (early.dropped > 0)
      host.log.debug(`${early.dropped} early signaling units dropped (buffer full)`);
    for (const unit of early.units) engine.receive(unit);
  }

  /** Stops the engine once, if it started; its final state, when stop() succeeded. */
  stop(): Promise<EngineFinalState | undefined> | undefined {
    return this.engine?.stop();
  }

  /** Each unit is its own phone.sendSignalingData; false or an RPC error fails the call. */
  private send(data: Buffer): void {
    const { host } = this;
    if (host.hasEnded()) {
      host.log.debug('signaling data after the call ended: dropped');
      return;
    }
    invokePhone(host.transport, {
      _: 'phone.sendSignalingData',
      peer: host.peer(),
      data,
    }).then(
      (delivered) => {
        if (!delivered) {
          host.fail(new TgCallsError('CALL_RPC_FAILED', 'phone.sendSignalingData returned false'));
        }
      },
      (error: unknown) => {
        host.fail(error);
      },
    );
  }
}
