/**
 * The one typed error a call reports: whatever a step threw (an RPC error, a crypto check, a
 * bug) reaches the `error` event and CallEndInfo.error as a TgCallsError with a code.
 */
import { TgCallsError } from '../errors';

export function asTgCallsError(error: unknown): TgCallsError {
  if (error instanceof TgCallsError) return error;
  return new TgCallsError('INTERNAL_ERROR', 'unexpected failure in the call layer', {
    cause: error,
  });
}
