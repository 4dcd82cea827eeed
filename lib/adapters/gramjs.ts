/**
 * fromGramJs(client): a CallTransport over a GramJS TelegramClient (the `telegram` package,
 * an optional peer dependency, loaded only when this function runs).
 */
import type * as Telegram from 'telegram';

import type { CallTransport } from '../calls/transport';
import type { PhoneRequest, PhoneResult } from '../tl';
import { fromGramJs as read, GramJsWriter, gramJsResult } from './gramjs-convert';

/** The part of GramJS's TelegramClient the adapter uses. */
export interface GramJsClient {
  invoke(request: never): Promise<unknown>;
  getMe(): Promise<unknown>;
  addEventHandler(callback: (update: never) => void, event?: never): void;
  removeEventHandler(callback: (update: never) => void, event: never): void;
}

type Structural = {
  invoke(request: unknown): Promise<unknown>;
  getMe(): Promise<{ id?: unknown }>;
  addEventHandler(callback: (update: unknown) => void, event?: unknown): void;
  removeEventHandler(callback: (update: unknown) => void, event: unknown): void;
};

function loadTelegram(): typeof Telegram {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('telegram') as typeof Telegram;
}

export function fromGramJs(client: GramJsClient): CallTransport {
  const telegram = loadTelegram();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Raw } = require('telegram/events') as typeof import('telegram/events');
  const write = new GramJsWriter(telegram);
  const gram = client as unknown as Structural;
  return {
    async invoke<R extends PhoneRequest>(request: R): Promise<PhoneResult<R>> {
      const result = await gram.invoke(write.request(request));
      return gramJsResult(request._, result) as PhoneResult<R>;
    },
    async getSelfUserId(): Promise<bigint> {
      const me = await gram.getMe();
      return BigInt(String(me.id));
    },
    subscribe(onUpdate: (update: unknown) => void): () => void {
      // Raw gets every update GramJS unpacked from Updates/UpdateShort containers.
      const event = new Raw({});
      const handler = (update: unknown): void => {
        const converted = read.update(update);
        if (converted !== undefined) onUpdate(converted);
      };
      gram.addEventHandler(handler, event);
      return () => {
        gram.removeEventHandler(handler, event);
      };
    },
  };
}
