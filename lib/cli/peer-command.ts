/**
 * `node-tgcalls peer --version V --role caller|callee --key FILE --signaling PATH
 *    [--in FILE.wav] [--out FILE.wav] [--seconds N] [--expect-hz HZ] [--json]`
 *
 * One side of a call, for interoperability tests with other implementations. The key file
 * holds the 256-byte key as 512 hex characters. Signaling crosses a Unix socket (the callee
 * listens, the caller connects) or stdin/stdout (`-`), each unit framed as a 4-byte big-endian
 * length and the bytes given to phone.sendSignalingData. Exit 0 only when the call connected
 * and the expected tone was received.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';

import { CallKey } from '../crypto';
import { analyseTone } from '../media/analysis';
import { decodeWav, encodeWav, sineTone } from '../media/wav';
import { ENGINE_PROTOCOL_VERSIONS, NativeCallEngine } from '../engine/native-engine';
import { UsageError, type CliArgs } from './args';
import { UnitReader, frame } from './length-prefixed';

interface SignalingPipe {
  input: Readable;
  output: Writable;
  close(): void;
}

async function openSignaling(target: string, role: 'caller' | 'callee'): Promise<SignalingPipe> {
  if (target === '-')
    return { input: process.stdin, output: process.stdout, close: () => undefined };
  if (role === 'callee') {
    fs.rmSync(target, { force: true });
    return new Promise((resolve, reject) => {
      const server = net.createServer((socket) => {
        server.close();
        resolve({ input: socket, output: socket, close: () => socket.destroy() });
      });
      server.once('error', reject);
      server.listen(target);
    });
  }
  // The caller waits for the callee's socket to appear, for up to 20 s.
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const socket = await new Promise<net.Socket>((resolve, reject) => {
        const attempt = net.connect(target, () => {
          resolve(attempt);
        });
        attempt.once('error', reject);
      });
      return { input: socket, output: socket, close: () => socket.destroy() };
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function readKey(file: string): CallKey {
  const text = fs.readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-fA-F]{512}$/.test(text))
    throw new UsageError('--key must name a file with 512 hex characters');
  return new CallKey(Buffer.from(text, 'hex'));
}

export async function peerCommand(args: CliArgs): Promise<number> {
  const role = args.choice('role', ['caller', 'callee'] as const, 'caller');
  const version = args.choice('version', ENGINE_PROTOCOL_VERSIONS, '11.0.0');
  const keyFile = args.string('key');
  const signalingTarget = args.string('signaling');
  if (keyFile === undefined || signalingTarget === undefined)
    throw new UsageError('--key and --signaling are required');
  const seconds = args.number('seconds', 5);
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
    const pipe = await openSignaling(signalingTarget, role);
    const engine = new NativeCallEngine({
      version,
      key,
      isOutgoing: role === 'caller',
      rtcServers: [],
      enableP2P: true,
      customParameters: {},
      config: {
        connectTimeoutMs: 30_000,
        packetTimeoutMs: 10_000,
        enableEchoCancellation: false,
        enableNoiseSuppression: false,
        enableGainControl: false,
      },
      video: false,
      audio: { inputWav: input, loopInput: true, outputWav: output },
    });
    const startedAt = performance.now();
    let connectedAt: number | undefined;
    engine.on('state', (state) => {
      if (state === 'established') connectedAt ??= performance.now();
    });
    engine.on('signalingData', (data) => pipe.output.write(frame(data)));
    const reader = new UnitReader();
    pipe.input.on('data', (chunk: Buffer) => {
      for (const unit of reader.push(chunk)) engine.receiveSignalingData(unit);
    });
    engine.start();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    await engine.stop();
    key.release();
    pipe.close();

    const heard = decodeWav(fs.readFileSync(output));
    const analysis = analyseTone(heard.samples, heard.sampleRate, expectHz);
    const connected = connectedAt !== undefined;
    const ok =
      connected &&
      Math.abs(analysis.dominantHz - expectHz) <= Math.max(15, expectHz * 0.02) &&
      analysis.toneFraction >= 0.9;
    const report = {
      version,
      role,
      connected,
      setupMs: connectedAt === undefined ? -1 : Math.round(connectedAt - startedAt),
      received: { expectedHz: expectHz, ...analysis },
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
