/**
 * The byte stream `node-tgcalls peer` exchanges signaling units over: a Unix socket (the
 * callee listens, the caller connects) or this process's stdin/stdout (`-`). Opening waits a
 * bounded time for the other side; closing releases every handle, so the process can end.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import type { Readable, Writable } from 'node:stream';

import { TgCallsError } from '../errors';
import { UnitReader, frame } from './length-prefixed';

export interface SignalingPipe {
  /** Sends one unit (dropped once the pipe is closed or the other side has gone). */
  send(unit: Uint8Array): void;
  /** Stops reading and writing and releases the socket or stdin. Safe to call twice. */
  close(): void;
}

export interface SignalingPipeOptions {
  /** A Unix socket path, or '-' for stdin/stdout. */
  target: string;
  role: 'caller' | 'callee';
  /** How long to wait for the other side's socket before giving up. */
  waitMs: number;
  onUnit: (unit: Buffer) => void;
}

export async function openSignalingPipe(options: SignalingPipeOptions): Promise<SignalingPipe> {
  if (options.target === '-') {
    return attach(process.stdin, process.stdout, options.onUnit, () => {
      // A paused stdin still holds its handle: destroy it so the event loop can end.
      process.stdin.pause();
      process.stdin.destroy();
    });
  }
  const socket =
    options.role === 'callee'
      ? await acceptOne(options.target, options.waitMs)
      : await connectWhenListening(options.target, options.waitMs);
  return attach(socket, socket, options.onUnit, () => socket.destroy());
}

function attach(
  input: Readable,
  output: Writable,
  onUnit: (unit: Buffer) => void,
  release: () => void,
): SignalingPipe {
  const reader = new UnitReader();
  let closed = false;
  let writable = true;
  const onData = (chunk: Buffer): void => {
    let units: Buffer[];
    try {
      units = reader.push(chunk);
    } catch {
      // A length beyond any signaling unit: the stream is not (or no longer) framed
      // signaling, and nothing after this point can be trusted to be.
      input.off('data', onData);
      return;
    }
    for (const unit of units) onUnit(unit);
  };
  // The other side may end first (EPIPE, ECONNRESET): its units no longer matter, and an
  // unhandled stream error would end this process with a crash instead of its report.
  const onError = (): void => {
    writable = false;
  };
  input.on('data', onData);
  input.on('error', onError);
  output.on('error', onError);
  return {
    send: (unit) => {
      if (writable && !closed && output.writable) output.write(frame(unit));
    },
    close: () => {
      if (closed) return;
      closed = true;
      input.off('data', onData);
      release();
    },
  };
}

function timeoutError(message: string): TgCallsError {
  return new TgCallsError('CALL_CONNECT_TIMEOUT', message);
}

function acceptOne(socketPath: string, waitMs: number): Promise<net.Socket> {
  fs.rmSync(socketPath, { force: true });
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    const timer = setTimeout(() => {
      server.close();
      fs.rmSync(socketPath, { force: true });
      reject(
        timeoutError(`no caller connected to ${socketPath} within ${Math.round(waitMs / 1000)} s`),
      );
    }, waitMs);
    server.once('connection', (socket) => {
      clearTimeout(timer);
      server.close();
      resolve(socket);
    });
    server.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    server.listen(socketPath);
  });
}

async function connectWhenListening(socketPath: string, waitMs: number): Promise<net.Socket> {
  // The callee may not be listening yet: retry until it is, within waitMs.
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await new Promise<net.Socket>((resolve, reject) => {
        const attempt = net.connect(socketPath, () => {
          attempt.off('error', reject);
          resolve(attempt);
        });
        attempt.once('error', reject);
      });
    } catch (error) {
      if (Date.now() > deadline) {
        throw timeoutError(
          `no callee listened on ${socketPath} within ${Math.round(waitMs / 1000)} s (${
            error instanceof Error ? error.message : String(error)
          })`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
