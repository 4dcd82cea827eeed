/** LocalExchange.connectRemote(): a CallTransport to an exchange served by listen(). */
import { WebSocket } from 'ws';

import type { CallTransport } from '../calls/transport';
import { TgCallsError } from '../errors';
import type { PhoneRequest, PhoneResult } from '../tl';
import { decodeTlJson, encodeTlJson } from './json-codec';
import { RpcError } from './rpc-error';
import type { ExchangeMessage } from './ws-server';

export interface RemoteExchangeTransport extends CallTransport {
  /** Closes the socket; pending requests fail with EXCHANGE_DISCONNECTED. */
  close(): Promise<void>;
}

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

class RemoteTransport implements RemoteExchangeTransport {
  readonly #socket: WebSocket;
  readonly #userId: bigint;
  readonly #pending = new Map<number, Pending>();
  readonly #listeners = new Set<(update: unknown) => void>();
  /** Updates that arrived before anyone subscribed. */
  readonly #early: unknown[] = [];
  #nextId = 1;

  constructor(socket: WebSocket, userId: bigint) {
    this.#socket = socket;
    this.#userId = userId;
    socket.on('message', (data: Buffer) => {
      this.#receive(data);
    });
    socket.on('close', () => {
      const error = new TgCallsError('EXCHANGE_DISCONNECTED', 'the exchange connection closed');
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    });
    socket.on('error', () => {
      socket.terminate();
    });
  }

  invoke<R extends PhoneRequest>(request: R): Promise<PhoneResult<R>> {
    if (this.#socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(
        new TgCallsError('EXCHANGE_DISCONNECTED', 'the exchange connection is closed'),
      );
    }
    const id = this.#nextId++;
    const message: ExchangeMessage = { t: 'invoke', id, request };
    return new Promise<PhoneResult<R>>((resolve, reject) => {
      this.#pending.set(id, {
        resolve: (result) => {
          resolve(result as PhoneResult<R>);
        },
        reject,
      });
      this.#socket.send(encodeTlJson(message));
    });
  }

  getSelfUserId(): Promise<bigint> {
    return Promise.resolve(this.#userId);
  }

  subscribe(onUpdate: (update: unknown) => void): () => void {
    this.#listeners.add(onUpdate);
    for (const update of this.#early.splice(0)) onUpdate(update);
    return () => {
      this.#listeners.delete(onUpdate);
    };
  }

  async close(): Promise<void> {
    if (this.#socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => {
      this.#socket.once('close', () => {
        resolve();
      });
    });
    this.#socket.close();
    await closed;
  }

  #receive(data: Buffer): void {
    let message: Partial<Record<string, unknown>>;
    try {
      message = decodeTlJson(data.toString('utf8')) as typeof message;
    } catch {
      return; // not ours to crash on: the call layer times out what never arrives
    }
    if (message.t === 'update') {
      if (this.#listeners.size === 0) this.#early.push(message.update);
      for (const listener of [...this.#listeners]) listener(message.update);
      return;
    }
    const pending = typeof message.id === 'number' ? this.#pending.get(message.id) : undefined;
    if (pending === undefined || typeof message.id !== 'number') return;
    this.#pending.delete(message.id);
    if (message.t === 'result') {
      pending.resolve(message.result);
    } else {
      const code = typeof message.errorCode === 'number' ? message.errorCode : 500;
      const text = typeof message.errorMessage === 'string' ? message.errorMessage : 'INTERNAL';
      pending.reject(new RpcError(code, text));
    }
  }
}

export async function connectRemote(url: string, userId: bigint): Promise<RemoteExchangeTransport> {
  const target = new URL(url);
  if (target.protocol !== 'ws:') throw new RangeError(`not a ws:// URL: ${url}`);
  target.searchParams.set('user', userId.toString());
  const socket = new WebSocket(target);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => {
      resolve();
    });
    socket.once('error', (error) => {
      reject(
        new TgCallsError('EXCHANGE_DISCONNECTED', `cannot reach the exchange: ${error.message}`),
      );
    });
  });
  return new RemoteTransport(socket, userId);
}
