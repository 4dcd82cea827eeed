/** The account `play` and `record` use: Telegram, or a LocalExchange with `--exchange`. */
import type { CliAccount } from './account';
import { UsageError, type CliArgs } from './args';
import { openExchangeAccount } from './exchange-account';
import { openTelegramAccount } from './telegram-account';

export function openAccount(args: CliArgs): Promise<CliAccount> {
  const exchange = args.string('exchange');
  if (exchange === undefined) return openTelegramAccount();
  const self = args.string('as');
  if (self === undefined) throw new UsageError('--exchange needs --as <user id>');
  return openExchangeAccount(exchange, self);
}
