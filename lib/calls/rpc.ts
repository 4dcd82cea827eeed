/** Invoking phone.* methods: every failure becomes a typed error, every result is validated. */
import { TgCallsError } from '../errors';
import { readPhoneResult, type PhoneRequest, type PhoneResult } from '../tl';
import type { CallTransport } from './transport';

/**
 * The Telegram error text of a failed request, as the client libraries carry it: GramJS's
 * RPCError and the LocalExchange's RpcError have `errorMessage`, mtcute's MtRpcError `text`.
 */
export function rpcErrorText(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { errorMessage, text } = error as { errorMessage?: unknown; text?: unknown };
    if (typeof errorMessage === 'string') return errorMessage;
    if (typeof text === 'string') return text;
  }
  return error instanceof Error ? error.message : String(error);
}

export async function invokePhone<R extends PhoneRequest>(
  transport: CallTransport,
  request: R,
): Promise<PhoneResult<R>> {
  let raw: unknown;
  try {
    raw = await transport.invoke(request);
  } catch (error) {
    throw new TgCallsError('CALL_RPC_FAILED', `${request._} failed: ${rpcErrorText(error)}`, {
      cause: error,
    });
  }
  return readPhoneResult(request._, raw);
}
