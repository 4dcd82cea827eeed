/**
 * A real call between two in-process endpoints: real WebRTC, real sockets, real signaling
 * (passed straight from one engine to the other, as phone.sendSignalingData would). Each side
 * sends a different tone; what each side received is analysed. Used by `node-tgcalls
 * loopback` for CI checks and by the tests.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { DhExchange, TELEGRAM_DH_GENERATOR, telegramDhPrime } from '../crypto';
import { analyseTone, isToneReceived, type ToneAnalysis } from '../media/analysis';
import { decodeWav, encodeWav, sineTone } from '../media/wav';
import { NativeCallEngine, type EngineStats } from './native-engine';
import type { EngineConfig, EngineFinalState, ProtocolVersion, RtcServer } from './types';

export interface LoopbackOptions {
  version?: ProtocolVersion;
  seconds?: number;
  callerHz?: number;
  calleeHz?: number;
  rtcServers?: RtcServer[];
  enableP2P?: boolean;
  config?: Partial<EngineConfig>;
  /** Where tones and recordings go; a temporary directory (removed after) by default. */
  workDir?: string;
  /** This side sends silence instead of its tone (to check that a silent far side fails). */
  silent?: 'caller' | 'callee';
  /** Called once both engines have started, e.g. to follow their levels and statistics. */
  onStarted?: (engines: { caller: NativeCallEngine; callee: NativeCallEngine }) => void;
}

export interface DirectionReport extends ToneAnalysis {
  expectedHz: number;
  /** Dominant frequency right and the tone in at least 90 % of windows. */
  ok: boolean;
  recording: string;
  /** The file the sending side played ('' when the work directory was temporary). */
  sent: string;
}

export interface LoopbackReport {
  version: ProtocolVersion;
  connected: boolean;
  /** From engine start to decoded audio on both sides, ms (-1: never). */
  setupMs: number;
  callerToCallee: DirectionReport;
  calleeToCaller: DirectionReport;
  callerStats: EngineStats;
  /** What the caller's engine returned from stop(): its debug JSON and traffic. */
  callerFinalState: EngineFinalState;
  ok: boolean;
}

/** A bot's engine settings: Telegram's default timeouts, no echo cancellation, noise
 * suppression or gain control (nobody speaks into a microphone). */
export const botEngineConfig: EngineConfig = {
  connectTimeoutMs: 30_000,
  packetTimeoutMs: 10_000,
  enableEchoCancellation: false,
  enableNoiseSuppression: false,
  enableGainControl: false,
};

const audibleFrame = 1000; // peak above which a received frame counts as audio

/** Whether a decoded frame carries audio: where `setupMs` of `loopback` and `peer` ends. */
export function isAudibleFrame(samples: Int16Array): boolean {
  return samples.some((sample) => Math.abs(sample) > audibleFrame);
}

export async function runLoopbackCall(options: LoopbackOptions = {}): Promise<LoopbackReport> {
  const version = options.version ?? '11.0.0';
  const seconds = options.seconds ?? 3;
  const callerHz = options.callerHz ?? 1000;
  const calleeHz = options.calleeHz ?? 600;
  const ownDir = options.workDir === undefined;
  const dir = options.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-loopback-'));
  try {
    const files = {
      callerTone: path.join(dir, `tone-${callerHz}.wav`),
      calleeTone: path.join(dir, `tone-${calleeHz}.wav`),
      callerHeard: path.join(dir, 'caller-heard.wav'),
      calleeHeard: path.join(dir, 'callee-heard.wav'),
    };
    const toneFile = (hz: number, silent: boolean): Buffer =>
      encodeWav({
        sampleRate: 48000,
        channels: 1,
        samples: silent ? new Int16Array(2 * 48000) : sineTone(hz, 2),
      });
    fs.writeFileSync(files.callerTone, toneFile(callerHz, options.silent === 'caller'));
    fs.writeFileSync(files.calleeTone, toneFile(calleeHz, options.silent === 'callee'));

    const p = telegramDhPrime();
    const callerDh = new DhExchange(p, TELEGRAM_DH_GENERATOR);
    const calleeDh = new DhExchange(p, TELEGRAM_DH_GENERATOR);
    const callerKey = callerDh.computeKey(calleeDh.publicValue);
    const calleeKey = calleeDh.computeKey(callerDh.publicValue);
    callerDh.release();
    calleeDh.release();

    const common = {
      version,
      rtcServers: options.rtcServers ?? [],
      enableP2P: options.enableP2P ?? true,
      customParameters: {},
      config: { ...botEngineConfig, ...options.config },
      video: false,
    };
    const caller = new NativeCallEngine({
      ...common,
      key: callerKey,
      isOutgoing: true,
      audio: {
        inputWav: files.callerTone,
        loopInput: true,
        outputWav: files.callerHeard,
        deliverIncoming: true,
      },
    });
    const callee = new NativeCallEngine({
      ...common,
      key: calleeKey,
      isOutgoing: false,
      audio: {
        inputWav: files.calleeTone,
        loopInput: true,
        outputWav: files.calleeHeard,
        deliverIncoming: true,
      },
    });
    caller.on('signalingData', (data) => {
      callee.receiveSignalingData(data);
    });
    callee.on('signalingData', (data) => {
      caller.receiveSignalingData(data);
    });

    let connected = 0;
    const heardAt: { caller?: number; callee?: number } = {};
    const startedAt = performance.now();
    const watch = (engine: NativeCallEngine, side: 'caller' | 'callee'): void => {
      engine.on('state', (state) => {
        if (state === 'established') connected |= side === 'caller' ? 1 : 2;
      });
      engine.on('audio', (samples: Int16Array) => {
        if (heardAt[side] !== undefined) return;
        if (isAudibleFrame(samples)) heardAt[side] = performance.now();
      });
    };
    watch(caller, 'caller');
    watch(callee, 'callee');

    caller.start();
    callee.start();
    options.onStarted?.({ caller, callee });
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const callerStats = await caller.getStats();
    const [callerFinalState] = await Promise.all([caller.stop(), callee.stop()]);
    callerKey.release();
    calleeKey.release();

    const direction = (recording: string, sent: string, expectedHz: number): DirectionReport => {
      const audio = decodeWav(fs.readFileSync(recording));
      const analysis = analyseTone(audio.samples, audio.sampleRate, expectedHz);
      return {
        ...analysis,
        expectedHz,
        ok: isToneReceived(analysis, expectedHz),
        recording: ownDir ? '' : recording,
        sent: ownDir ? '' : sent,
      };
    };
    const callerToCallee = direction(files.calleeHeard, files.callerTone, callerHz);
    const calleeToCaller = direction(files.callerHeard, files.calleeTone, calleeHz);
    const setupMs =
      heardAt.caller !== undefined && heardAt.callee !== undefined
        ? Math.round(Math.max(heardAt.caller, heardAt.callee) - startedAt)
        : -1;
    return {
      version,
      connected: connected === 3,
      setupMs,
      callerToCallee,
      calleeToCaller,
      callerStats,
      callerFinalState,
      ok: connected === 3 && callerToCallee.ok && calleeToCaller.ok,
    };
  } finally {
    if (ownDir) fs.rmSync(dir, { recursive: true, force: true });
  }
}
