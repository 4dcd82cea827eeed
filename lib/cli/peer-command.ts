/**
 * `node-tgcalls peer --version V --role caller|callee --key FILE --signaling PATH|-
 *    [--in FILE.wav] [--out FILE.wav] [--seconds N] [--expect-hz HZ] [--connect-timeout S]
 *    [--json]`
 *
 * One side of a call, for interoperability tests with other implementations. The key file
 * holds the 256-byte key as 512 hex characters. Signaling crosses a Unix socket (the callee
 * listens, the caller connects) or stdin/stdout (`-`), each unit framed as a 4-byte big-endian
 * length and the bytes given to phone.sendSignalingData. Exit 0 only when the call connected
 * and the expected tone was received; the process ends as soon as its call has.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { CallKey } from '../crypto';
import { analyseTone, isToneReceived } from '../media/analysis';
import { decodeWav, encodeWav, sineTone } from '../media/wav';
import { botEngineConfig, isAudibleFrame } from '../engine/loopback';
import { ENGINE_PROTOCOL_VERSIONS, NativeCallEngine } from '../engine/native-engine';
import type { EngineAudioOptions, ProtocolVersion } from '../engine/types';
import { UsageError, type CliArgs } from './args';
import { openSignalingPipe } from './signaling-pipe';

/** How much longer than the engine's connect timeout either side waits for the other's socket. */
const socketWaitMarginMs = 5_000;

function readKey(file: string): CallKey {
  const text = fs.readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-fA-F]{512}$/.test(text))
    throw new UsageError('--key must name a file with 512 hex characters');
  return new CallKey(Buffer.from(text, 'hex'));
}

interface CallOptions {
  version: ProtocolVersion;
  role: 'caller' | 'callee';
  key: CallKey;
  signalingTarget: string;
  connectTimeoutMs: number;
  seconds: number;
  audio: EngineAudioOptions;
}

interface CallOutcome {
  connected: boolean;
  startedAt: number;
  /** When the first audible frame was decoded. */
  heardAt?: number;
}

/** Opens the signaling pipe, holds the call for `seconds`, and closes both whatever happens. */
async function runCall(options: CallOptions): Promise<CallOutcome> {
  // Units that arrive before the engine has started wait here (an engine drops them).
  const early: Buffer[] = [];
  let deliver = (unit: Buffer): void => {
    early.push(unit);
  };
  const pipe = await openSignalingPipe({
    target: options.signalingTarget,
    role: options.role,
    waitMs: options.connectTimeoutMs + socketWaitMarginMs,
    onUnit: (unit) => {
      deliver(unit);
    },
  });
  try {
    const engine = new NativeCallEngine({
      version: options.version,
      key: options.key,
      isOutgoing: options.role === 'caller',
      rtcServers: [],
      enableP2P: true,
      customParameters: {},
      config: { ...botEngineConfig, connectTimeoutMs: options.connectTimeoutMs },
      video: false,
      audio: options.audio,
    });
    const outcome: CallOutcome = { connected: false, startedAt: performance.now() };
    engine.on('state', (state) => {
      if (state === 'established') outcome.connected = true;
    });
    // setupMs means what it means for `loopback`: from engine start to decoded audio.
    const onAudio = (samples: Int16Array): void => {
      if (isAudibleFrame(samples)) {
        outcome.heardAt = performance.now();
        engine.off('audio', onAudio);
      }
    };
    engine.on('audio', onAudio);
    engine.on('signalingData', (data) => {
      pipe.send(data);
    });
    engine.start();
    deliver = (unit) => {
      engine.receiveSignalingData(unit);
    };
    for (const unit of early.splice(0)) deliver(unit);
    await new Promise((resolve) => setTimeout(resolve, options.seconds * 1000));
    await engine.stop();
    engine.removeAllListeners();
    return outcome;
  } finally {
    pipe.close();
  }
}

export async function peerCommand(args: CliArgs): Promise<number> {
  const version = args.requiredChoice('version', ENGINE_PROTOCOL_VERSIONS);
  const role = args.requiredChoice('role', ['caller', 'callee'] as const);
  const keyFile = args.requiredString('key', 'a file with the key as 512 hex characters');
  const signalingTarget = args.requiredString('signaling', 'a Unix socket path, or - for stdio');
  const seconds = args.number('seconds', 5);
  const connectTimeoutMs = args.number('connect-timeout', 30) * 1000;
  const expectHz = args.number('expect-hz', role === 'caller' ? 600 : 1000);
  const json = args.flag('json');
  const log = (text: string): void => {
    // stdout carries signaling when --signaling is '-'.
    (signalingTarget === '-' ? process.stderr : process.stdout).write(`${text}\n`);
  };

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgcalls-peer-'));
  try {
    let input = args.string('in');
    if (input === undefined) {
      input = path.join(workDir, 'tone.wav');
      fs.writeFileSync(
        input,
        encodeWav({
          sampleRate: 48000,
          channels: 1,
          samples: sineTone(role === 'caller' ? 1000 : 600, 2),
        }),
      );
    }
    const output = args.string('out') ?? path.join(workDir, 'heard.wav');
    const key = readKey(keyFile);
    let outcome: CallOutcome;
    try {
      outcome = await runCall({
        version,
        role,
        key,
        signalingTarget,
        connectTimeoutMs,
        seconds,
        audio: { inputWav: input, loopInput: true, outputWav: output, deliverIncoming: true },
      });
    } finally {
      key.release();
    }

    const heard = decodeWav(fs.readFileSync(output));
    const analysis = analyseTone(heard.samples, heard.sampleRate, expectHz);
    const toneOk = isToneReceived(analysis, expectHz);
    const { connected, heardAt, startedAt } = outcome;
    const ok = connected && toneOk;
    const report = {
      version,
      role,
      connected,
      setupMs: heardAt === undefined ? -1 : Math.round(heardAt - startedAt),
      received: { expectedHz: expectHz, ...analysis, ok: toneOk },
      ok,
    };
    log(
      json
        ? JSON.stringify(report)
        : `${role} ${version}: ${connected ? 'connected' : 'NOT connected'}, heard ${analysis.dominantHz} Hz (expected ${expectHz}), tone in ${(analysis.toneFraction * 100).toFixed(0)} % of windows`,
    );
    return ok ? 0 : 1;
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}
