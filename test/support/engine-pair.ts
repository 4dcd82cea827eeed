import type { CallKey } from '../../lib/crypto';
import { NativeCallEngine } from '../../lib/engine/native-engine';
import type {
  EngineAudioOptions,
  EngineConfig,
  EngineOptions,
  ProtocolVersion,
  RtcServer,
} from '../../lib/engine/types';

// The bot settings and the fault scripts' key exchange, under the names the tests use.
import { botEngineConfig as botConfig } from '../../lib/engine/loopback';
import { makeCallKeys as makeKeys } from '../../scripts/faults/tone-call';

export { botConfig, makeKeys };

/** A lone caller's options as a bot runs it (11.0.0, no servers, no video); `extra` on top. */
export function botCallerOptions(key: CallKey, extra: Partial<EngineOptions> = {}): EngineOptions {
  return {
    version: '11.0.0',
    key,
    isOutgoing: true,
    rtcServers: [],
    enableP2P: true,
    customParameters: {},
    config: botConfig,
    video: false,
    ...extra,
  };
}

export interface PairOptions {
  version: ProtocolVersion;
  callerKey?: CallKey;
  calleeKey?: CallKey;
  callerAudio?: EngineAudioOptions;
  calleeAudio?: EngineAudioOptions;
  rtcServers?: RtcServer[];
  enableP2P?: boolean;
  config?: Partial<EngineConfig>;
  video?: boolean;
  deliverVideoFrames?: boolean;
  /** Decides, per signaling unit, how many copies reach the other side (0 drops it). */
  deliveries?: (from: 'caller' | 'callee', unit: Buffer) => number;
}

export interface EnginePair {
  caller: NativeCallEngine;
  callee: NativeCallEngine;
  /** Resolves when both sides are established; rejects on the first failure. */
  established: Promise<void>;
  stop(): Promise<void>;
}

export function startPair(options: PairOptions): EnginePair {
  const keys =
    options.callerKey && options.calleeKey
      ? { callerKey: options.callerKey, calleeKey: options.calleeKey }
      : makeKeys();
  const common = {
    version: options.version,
    rtcServers: options.rtcServers ?? [],
    enableP2P: options.enableP2P ?? true,
    customParameters: {},
    config: { ...botConfig, ...options.config },
    video: options.video ?? false,
    deliverVideoFrames: options.deliverVideoFrames ?? false,
  };
  const caller = new NativeCallEngine({
    ...common,
    key: keys.callerKey,
    isOutgoing: true,
    audio: options.callerAudio ?? {},
  });
  const callee = new NativeCallEngine({
    ...common,
    key: keys.calleeKey,
    isOutgoing: false,
    audio: options.calleeAudio ?? {},
  });
  const link = (from: 'caller' | 'callee', to: NativeCallEngine) => (unit: Buffer) => {
    const copies = options.deliveries ? options.deliveries(from, unit) : 1;
    for (let i = 0; i < copies; i++) to.receiveSignalingData(unit);
  };
  caller.on('signalingData', link('caller', callee));
  callee.on('signalingData', link('callee', caller));
  const established = Promise.all(
    [caller, callee].map(
      (engine) =>
        new Promise<void>((resolve, reject) => {
          engine.on('state', (state) => {
            if (state === 'established') resolve();
          });
          engine.on('error', reject);
        }),
    ),
  ).then(() => undefined);
  established.catch(() => undefined); // observed by the tests that await it
  caller.start();
  callee.start();
  return {
    caller,
    callee,
    established,
    stop: async () => {
      await Promise.all([caller.stop(), callee.stop()]);
      keys.callerKey.release();
      keys.calleeKey.release();
    },
  };
}

export function threadCount(): number {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('node:fs') as typeof import('node:fs')).readdirSync('/proc/self/task').length;
}
