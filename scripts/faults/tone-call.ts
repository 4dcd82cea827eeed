/**
 * A call between two in-process engines that each send a steady tone from a WAV file (paced
 * by the native audio clock, not by JavaScript) and hand every received 10 ms frame to
 * JavaScript with its arrival time, plus a timeline of state changes and errors. The fault
 * scenarios measure what a listener would hear with it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { DhExchange, TELEGRAM_DH_GENERATOR, telegramDhPrime, type CallKey } from '../../lib/crypto';
import { botEngineConfig } from '../../lib/engine/loopback';
import { NativeCallEngine } from '../../lib/engine/native-engine';
import type { EngineConfig, ProtocolVersion, RtcServer } from '../../lib/engine/types';
import { encodeWav, sineTone } from '../../lib/media/wav';

export type Side = 'caller' | 'callee';

export interface TimelineEntry {
  atMs: number;
  side: Side;
  /** A state name, or `error:CODE`. */
  event: string;
}

export interface TimedFrame {
  atMs: number;
  samples: Int16Array;
}

export interface ToneCallOptions {
  version?: ProtocolVersion;
  rtcServers?: RtcServer[];
  enableP2P?: boolean;
  config?: Partial<EngineConfig>;
  callerHz?: number;
  calleeHz?: number;
  /** Per signaling unit from one side: how to deliver it to the other (default: at once). */
  deliver?: (from: Side, unit: Buffer, send: (unit: Buffer) => void) => void;
  /** Record received audio frames (default true). */
  recordAudio?: boolean;
}

export interface ToneCall {
  caller: NativeCallEngine;
  callee: NativeCallEngine;
  callerHz: number;
  calleeHz: number;
  /** What each side received. */
  heard: Record<Side, TimedFrame[]>;
  timeline: TimelineEntry[];
  /** Resolves when both sides are established the first time; rejects on the first error. */
  established: Promise<void>;
  stop(): Promise<void>;
}

/** Both sides' keys from a real DH exchange on Telegram's prime. */
export function makeCallKeys(): { callerKey: CallKey; calleeKey: CallKey } {
  const p = telegramDhPrime();
  const caller = new DhExchange(p, TELEGRAM_DH_GENERATOR);
  const callee = new DhExchange(p, TELEGRAM_DH_GENERATOR);
  const keys = {
    callerKey: caller.computeKey(callee.publicValue),
    calleeKey: callee.computeKey(caller.publicValue),
  };
  caller.release();
  callee.release();
  return keys;
}

export function startToneCall(options: ToneCallOptions = {}): ToneCall {
  const callerHz = options.callerHz ?? 1000;
  const calleeHz = options.calleeHz ?? 600;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-faults-'));
  const toneFile = (hz: number): string => {
    const file = path.join(dir, `tone-${hz}.wav`);
    // Two seconds of whole cycles: the looped file has no phase jump.
    fs.writeFileSync(file, encodeWav({ sampleRate: 48000, channels: 1, samples: sineTone(hz, 2) }));
    return file;
  };
  const keys = makeCallKeys();
  const record = options.recordAudio ?? true;
  const common = {
    version: options.version ?? '11.0.0',
    rtcServers: options.rtcServers ?? [],
    enableP2P: options.enableP2P ?? true,
    customParameters: {},
    config: { ...botEngineConfig, ...options.config },
    video: false,
  };
  const engine = (isOutgoing: boolean, hz: number): NativeCallEngine =>
    new NativeCallEngine({
      ...common,
      key: isOutgoing ? keys.callerKey : keys.calleeKey,
      isOutgoing,
      audio: { inputWav: toneFile(hz), loopInput: true, deliverIncoming: record },
    });
  const caller = engine(true, callerHz);
  const callee = engine(false, calleeHz);
  const sides: Record<Side, NativeCallEngine> = { caller, callee };
  const heard: Record<Side, TimedFrame[]> = { caller: [], callee: [] };
  const timeline: TimelineEntry[] = [];

  const established = Promise.all(
    (['caller', 'callee'] as const).map((side) => {
      const self = sides[side];
      const peer = side === 'caller' ? callee : caller;
      self.on('signalingData', (unit) => {
        const send = (data: Buffer): void => {
          peer.receiveSignalingData(data);
        };
        if (options.deliver) options.deliver(side, unit, send);
        else send(unit);
      });
      if (record) {
        self.on('audio', (samples) => heard[side].push({ atMs: performance.now(), samples }));
      }
      return new Promise<void>((resolve, reject) => {
        self.on('state', (state) => {
          timeline.push({ atMs: performance.now(), side, event: state });
          if (state === 'established') resolve();
        });
        self.on('error', (error) => {
          const code = (error as { code?: string }).code ?? 'UNKNOWN';
          timeline.push({ atMs: performance.now(), side, event: `error:${code}` });
          reject(error);
        });
      });
    }),
  ).then(() => undefined);
  established.catch(() => undefined); // observed by whoever awaits it
  caller.start();
  callee.start();
  let stopped: Promise<void> | undefined;
  return {
    caller,
    callee,
    callerHz,
    calleeHz,
    heard,
    timeline,
    established,
    stop: () =>
      (stopped ??= Promise.all([caller.stop(), callee.stop()]).then(() => {
        keys.callerKey.release();
        keys.calleeKey.release();
        fs.rmSync(dir, { recursive: true, force: true });
      })),
  };
}

/** Frames received from `fromMs` to `toMs` (performance.now() times). */
export function framesBetween(
  frames: readonly TimedFrame[],
  fromMs: number,
  toMs = Infinity,
): Int16Array[] {
  return frames.filter((f) => f.atMs >= fromMs && f.atMs < toMs).map((f) => f.samples);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
