/**
 * A test double of the call engine (the native one is another component): two instances
 * reach each other only through phone.sendSignalingData, i.e. through the exchange. Each
 * sends one "hello" unit sealed with the call key (RawSignalingChannel) when it starts, and
 * reports 'established' only once it opened the peer's hello — which needs the same key.
 * It records the options it was created with.
 */
import { EventEmitter } from 'node:events';

import { RawSignalingChannel } from '../../lib/crypto';
import type {
  CallEngine,
  EngineEvents,
  EngineFactory,
  EngineFinalState,
  EngineOptions,
} from '../../lib/engine/types';

export interface LoopbackEngineBehaviour {
  /** Never sends or establishes (for connect timeouts). */
  silent?: boolean;
  /** Reports this side sent video. */
  hadVideo?: boolean;
  /** Emits remoteMediaState(active, video) once established. */
  remoteVideo?: 'inactive' | 'paused' | 'active';
}

export class LoopbackEngine extends EventEmitter implements CallEngine {
  readonly received: Buffer[] = [];
  readonly keyFingerprint: bigint;
  readonly keyBytes: Buffer;
  started = false;
  stopped = false;
  muted = false;
  private videoStarted = false;
  private readonly channel: RawSignalingChannel;
  private finalState: EngineFinalState | undefined;

  constructor(
    readonly options: EngineOptions,
    private readonly behaviour: LoopbackEngineBehaviour,
  ) {
    super();
    // Read now: the call layer releases its key handle once the call has ended.
    this.keyFingerprint = options.key.fingerprint();
    this.keyBytes = options.key.exportBytes();
    this.channel = new RawSignalingChannel(options.key, options.isOutgoing);
  }

  override on<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]): this {
    return super.on(event, listener);
  }

  override off<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]): this {
    return super.off(event, listener);
  }

  get hadVideo(): boolean {
    return this.behaviour.hadVideo === true || this.videoStarted;
  }

  /**
   * Starts sending video in the middle of the call, as an engine whose camera is switched on
   * during an audio call would; hadVideo stays true from then on.
   */
  startVideo(): void {
    this.videoStarted = true;
  }

  start(): void {
    this.started = true;
    if (this.behaviour.silent === true) return;
    const hello = Buffer.from(
      JSON.stringify({ hello: this.options.isOutgoing ? 'caller' : 'callee' }),
    );
    this.emit('signalingData', this.channel.seal(hello));
  }

  receiveSignalingData(data: Uint8Array): void {
    if (this.stopped) return;
    this.received.push(Buffer.from(data));
    const opened = this.channel.open(data);
    if (opened === null || this.behaviour.silent === true) return; // wrong key: stays connecting
    this.emit('state', 'established');
    this.emit('signalBars', 4);
    if (this.behaviour.remoteVideo !== undefined) {
      this.emit('remoteMediaState', 'active', this.behaviour.remoteVideo);
    }
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
  }

  stop(): Promise<EngineFinalState> {
    this.stopped = true;
    this.finalState ??= {
      debugJson: JSON.stringify({ engine: 'loopback', received: this.received.length }),
      trafficStats: { bytesSent: 0, bytesReceived: 0 },
      isRatingSuggested: false,
    };
    return Promise.resolve(this.finalState);
  }
}

/** A factory that keeps every engine it made, for assertions. */
export function loopbackEngineFactory(behaviour: LoopbackEngineBehaviour = {}): {
  factory: EngineFactory;
  engines: LoopbackEngine[];
} {
  const engines: LoopbackEngine[] = [];
  return {
    engines,
    factory: (options) => {
      const engine = new LoopbackEngine(options, behaviour);
      engines.push(engine);
      return engine;
    },
  };
}
