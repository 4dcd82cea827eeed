/**
 * A CliAccount on a real Telegram account through GramJS (the `telegram` package, an optional
 * peer dependency loaded only here). Credentials come from the environment: TG_API_ID and
 * TG_API_HASH (my.telegram.org) and TG_SESSION, a GramJS StringSession (docs/cli.md).
 */
import type * as Telegram from 'telegram';
import type * as TelegramExtensions from 'telegram/extensions';
import type * as TelegramLogger from 'telegram/extensions/Logger';
import type * as TelegramSessions from 'telegram/sessions';

import { fromGramJs, type GramJsClient } from '../adapters/gramjs';
import type { InputUser } from '../tl';
import type { CliAccount } from './account';
import { UsageError } from './args';
import { requireOptional } from './optional-module';

export interface TelegramCredentials {
  apiId: number;
  apiHash: string;
  session: string;
}

/** Reads the credentials; a UsageError naming every variable that is missing or wrong. */
export function readTelegramCredentials(env: NodeJS.ProcessEnv): TelegramCredentials {
  const missing = ['TG_API_ID', 'TG_API_HASH', 'TG_SESSION'].filter(
    (name) => (env[name] ?? '') === '',
  );
  if (missing.length > 0) {
    throw new UsageError(
      `${missing.join(', ')} must be set: the API id and hash from my.telegram.org and a ` +
        'GramJS session string (docs/cli.md tells how to get one)',
    );
  }
  const apiId = Number(env.TG_API_ID);
  if (!Number.isInteger(apiId) || apiId <= 0)
    throw new UsageError('TG_API_ID must be the numeric api_id from my.telegram.org');
  return { apiId, apiHash: env.TG_API_HASH ?? '', session: env.TG_SESSION ?? '' };
}

type Client = InstanceType<typeof Telegram.TelegramClient>;

async function resolveUser(client: Client, spec: string): Promise<InputUser> {
  let peer: unknown;
  try {
    peer = await client.getInputEntity(spec);
  } catch (error) {
    // A bare id resolves only once GramJS has seen the user; the dialogs introduce most.
    if (!/^\d+$/.test(spec)) throw userNotFound(spec, error);
    await client.getDialogs({ limit: 200 });
    peer = await client.getInputEntity(spec).catch((retry: unknown) => {
      throw userNotFound(spec, retry);
    });
  }
  const user = peer as { className?: unknown; userId?: unknown; accessHash?: unknown };
  if (user.className !== 'InputPeerUser')
    throw new UsageError(`'${spec}' is not a user (calls go to users only)`);
  return {
    _: 'inputUser',
    user_id: BigInt(String(user.userId)),
    access_hash: BigInt(String(user.accessHash)),
  };
}

function userNotFound(spec: string, cause: unknown): UsageError {
  const reason = cause instanceof Error ? `: ${cause.message.split('\n')[0] ?? ''}` : '';
  return new UsageError(`cannot find the user '${spec}'${reason}`);
}

export async function openTelegramAccount(
  env: NodeJS.ProcessEnv = process.env,
): Promise<CliAccount> {
  const credentials = readTelegramCredentials(env);
  const telegram = requireOptional('telegram', 'telegram') as typeof Telegram;
  const { StringSession } = requireOptional(
    'telegram/sessions',
    'telegram',
  ) as typeof TelegramSessions;
  const { Logger } = requireOptional(
    'telegram/extensions',
    'telegram',
  ) as typeof TelegramExtensions;
  const { LogLevel } = requireOptional(
    'telegram/extensions/Logger',
    'telegram',
  ) as typeof TelegramLogger;
  const client = new telegram.TelegramClient(
    new StringSession(credentials.session),
    credentials.apiId,
    credentials.apiHash,
    // GramJS logs every connection step at info level; the CLI's output is its own.
    { connectionRetries: 3, baseLogger: new Logger(LogLevel.ERROR) },
  );
  try {
    await client.connect();
    if (!(await client.checkAuthorization())) {
      throw new Error(
        'TG_SESSION is not logged in (expired or revoked): create a new one (docs/cli.md)',
      );
    }
  } catch (error) {
    await client.destroy();
    throw error;
  }
  return {
    // GramJsClient does not accept TelegramClient's overloaded addEventHandler as declared
    // (a typing gap of the adapter); the methods it calls are the ones the adapter needs.
    transport: fromGramJs(client as unknown as GramJsClient),
    resolveUser: (spec) => resolveUser(client, spec),
    // destroy(), not disconnect(): GramJS's update loop would keep the process alive.
    close: () => client.destroy(),
  };
}
