/** The in-process transport of LocalExchange.connect(): requests and updates never leave memory. */
import type { CallTransport } from '../calls/transport';
import { TgCallsError } from '../errors';
import type { PhoneRequest, PhoneResult, PhoneUpdate } from '../tl';
import type { ExchangeCore, ExchangeEndpoint } from './endpoint';

export class InProcessTransport implements CallTransport {
  readonly #exchange: ExchangeCore;
  readonly #userId: bigint;
  /** This client, as the exchange knows it: requests are answered for this device. */
  readonly #endpoint: ExchangeEndpoint;
  readonly #listeners = new Set<(update: unknown) => void>();
  /** Updates not delivered yet: delivered in order, asynchronously, like network traffic. */
  readonly #queue: PhoneUpdate[] = [];
  #flushScheduled = false;
  #detach: (() => void) | undefined;

  constructor(exchange: ExchangeCore, userId: bigint) {
    this.#exchange = exchange;
    this.#userId = userId;
    this.#endpoint = {
      userId,
      deliver: (update) => {
        this.#queue.push(update);
        this.#scheduleFlush();
      },
    };
    this.#detach = exchange.attach(this.#endpoint);
  }

  invoke<R extends PhoneRequest>(request: R): Promise<PhoneResult<R>> {
    return new Promise((resolve, reject) => {
      // Answered on a later turn of the event loop, as a network round trip would be.
      setImmediate(() => {
        if (this.#detach === undefined) {
          reject(new TgCallsError('EXCHANGE_DISCONNECTED', 'the transport is closed'));
          return;
        }
        try {
          resolve(this.#exchange.handle(this.#endpoint, request) as PhoneResult<R>);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
  }

  getSelfUserId(): Promise<bigint> {
    return Promise.resolve(this.#userId);
  }

  subscribe(onUpdate: (update: unknown) => void): () => void {
    this.#listeners.add(onUpdate);
    this.#scheduleFlush();
    return () => {
      this.#listeners.delete(onUpdate);
    };
  }

  /** Disconnects from the exchange; pending and later requests fail with EXCHANGE_DISCONNECTED. */
  close(): void {
    this.#detach?.();
    this.#detach = undefined;
    this.#listeners.clear();
    this.#queue.length = 0;
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled || this.#queue.length === 0 || this.#listeners.size === 0) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      for (const update of this.#queue.splice(0)) {
        for (const listener of [...this.#listeners]) listener(update);
      }
    });
  }
}
