import type { PhoneUpdate } from '../tl';

/** One connected client of a user: where that user's updates go. */
export interface ExchangeEndpoint {
  readonly userId: bigint;
  deliver(update: PhoneUpdate): void;
}

/** What transports need from the LocalExchange. */
export interface ExchangeCore {
  /** Connects one client; returns the function that disconnects it. */
  attach(endpoint: ExchangeEndpoint): () => void;
  /** Answers one request of the client `endpoint` (one attached before), or throws an RpcError. */
  handle(endpoint: ExchangeEndpoint, request: unknown): unknown;
}
