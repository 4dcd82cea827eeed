import { TgCallsError } from '../errors';

/**
 * A request the LocalExchange refused, as Telegram would refuse it: `errorMessage` is
 * Telegram's error text (CALL_PEER_INVALID, CALL_ALREADY_DECLINED, …; spec §8.8).
 */
export class RpcError extends TgCallsError {
  constructor(
    readonly errorCode: number,
    readonly errorMessage: string,
  ) {
    super('RPC_ERROR', `${errorCode} ${errorMessage}`);
    this.name = 'RpcError';
  }
}
