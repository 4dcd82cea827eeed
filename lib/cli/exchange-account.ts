/**
 * A CliAccount on a LocalExchange served with `exchange.listen()` (the hidden `--exchange`
 * option): how the tests run `play` and `record` end to end without Telegram.
 */
import { LocalExchange } from '../exchange';
import type { InputUser } from '../tl';
import type { CliAccount } from './account';
import { UsageError } from './args';

function userId(spec: string, what: string): bigint {
  if (!/^\d{1,19}$/.test(spec)) throw new UsageError(`${what} must be a user id on an exchange`);
  return BigInt(spec);
}

export async function openExchangeAccount(url: string, selfSpec: string): Promise<CliAccount> {
  const transport = await LocalExchange.connectRemote(url, userId(selfSpec, '--as'));
  return {
    transport,
    resolveUser: (spec: string): Promise<InputUser> =>
      // The exchange does not check access hashes of users, only of calls.
      Promise.resolve({ _: 'inputUser', user_id: userId(spec, 'the user'), access_hash: 0n }),
    close: () => transport.close(),
  };
}
