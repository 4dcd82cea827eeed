/**
 * fromMtcute(client): a CallTransport over an mtcute TelegramClient (`@mtcute/node` or
 * `@mtcute/core`, optional peer dependencies; nothing is loaded until this function runs).
 */
import * as path from 'node:path';

import type { CallTransport } from '../calls/transport';
import type { PhoneRequest, PhoneResult } from '../tl';
import {
  fromMtcute as read,
  mtcuteUpdate,
  mtcuteUpdates,
  toMtcute,
  type LongClass,
} from './mtcute-convert';

/** The part of mtcute's TelegramClient the adapter uses. */
export interface MtcuteClient {
  call(request: never): Promise<unknown>;
  getMe(): Promise<{ id: number }>;
  readonly onRawUpdate: {
    add(listener: (info: never) => void): void;
    remove(listener: (info: never) => void): void;
  };
}

type Structural = {
  call(request: unknown): Promise<unknown>;
  getMe(): Promise<{ id: number }>;
  readonly onRawUpdate: {
    add(listener: (info: { update: unknown }) => void): void;
    remove(listener: (info: { update: unknown }) => void): void;
  };
};

/** mtcute's Long class: the `long` package @mtcute/core depends on (resolved from it). */
function loadLong(): LongClass {
  let from: string[] | undefined;
  try {
    from = [path.dirname(require.resolve('@mtcute/core'))];
  } catch {
    from = undefined; // only @mtcute/node is installed: its own `long` resolves the same way
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(
    require.resolve('long', from === undefined ? undefined : { paths: from }),
  ) as LongClass;
}

export function fromMtcute(client: MtcuteClient): CallTransport {
  const longClass = loadLong();
  const mtcute = client as unknown as Structural;
  return {
    async invoke<R extends PhoneRequest>(request: R): Promise<PhoneResult<R>> {
      const result = await mtcute.call(toMtcute(request, longClass));
      const converted =
        request._ === 'phone.discardCall' || request._ === 'phone.setCallRating'
          ? mtcuteUpdates(result, longClass)
          : read(result, longClass);
      return converted as PhoneResult<R>;
    },
    async getSelfUserId(): Promise<bigint> {
      return BigInt((await mtcute.getMe()).id);
    },
    subscribe(onUpdate: (update: unknown) => void): () => void {
      const listener = (info: { update: unknown }): void => {
        const update = mtcuteUpdate(info.update, longClass);
        if (update !== undefined) onUpdate(update);
      };
      mtcute.onRawUpdate.add(listener);
      return () => {
        mtcute.onRawUpdate.remove(listener);
      };
    },
  };
}
