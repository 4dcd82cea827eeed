/** LocalExchange.listen(): the exchange on a loopback WebSocket, TL objects as codec JSON. */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

import { WebSocketServer, type WebSocket } from 'ws';

import type { ExchangeCore, ExchangeEndpoint } from './endpoint';
import { decodeTlJson, encodeTlJson } from './json-codec';
import { RpcError } from './rpc-error';

export interface ExchangeServer {
  url: string;
  close(): Promise<void>;
}

/** Wire messages (both directions), encoded with the TL JSON codec. */
export type ExchangeMessage =
  | { t: 'invoke'; id: number; request: unknown }
  | { t: 'result'; id: number; result: unknown }
  | { t: 'error'; id: number; errorCode: number; errorMessage: string }
  | { t: 'update'; update: unknown };

function errorFields(error: unknown): { errorCode: number; errorMessage: string } {
  if (error instanceof RpcError)
    return { errorCode: error.errorCode, errorMessage: error.errorMessage };
  return { errorCode: 500, errorMessage: 'INTERNAL' };
}

function serveClient(exchange: ExchangeCore, socket: WebSocket, userId: bigint): void {
  const send = (message: ExchangeMessage): void => {
    if (socket.readyState === socket.OPEN) socket.send(encodeTlJson(message));
  };
  const endpoint: ExchangeEndpoint = {
    userId,
    deliver: (update) => {
      send({ t: 'update', update });
    },
  };
  const detach = exchange.attach(endpoint);
  socket.on('message', (data: Buffer) => {
    let message: { t?: unknown; id?: unknown; request?: unknown };
    try {
      message = decodeTlJson(data.toString('utf8')) as typeof message;
    } catch {
      socket.close(1003, 'not a TL JSON message');
      return;
    }
    if (message.t !== 'invoke' || typeof message.id !== 'number') return;
    const id = message.id;
    try {
      send({ t: 'result', id, result: exchange.handle(endpoint, message.request) });
    } catch (error) {
      send({ t: 'error', id, ...errorFields(error) });
    }
  });
  socket.on('close', detach);
  socket.on('error', () => {
    socket.terminate();
  });
}

export async function serveExchange(exchange: ExchangeCore, port: number): Promise<ExchangeServer> {
  // Loopback only: the exchange has no authentication, any local process may call.
  const server = new WebSocketServer({ host: '127.0.0.1', port });
  await once(server, 'listening');
  server.on('connection', (socket, request) => {
    const user = new URL(request.url ?? '/', 'ws://127.0.0.1').searchParams.get('user') ?? '';
    if (!/^-?\d{1,20}$/.test(user)) {
      socket.close(1008, 'the user query parameter must be a user id');
      return;
    }
    serveClient(exchange, socket, BigInt(user));
  });
  const { port: boundPort } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${boundPort}`,
    close: async () => {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}
