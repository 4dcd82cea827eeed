/**
 * messages.getDhConfig with the client-side cache of (p, g, version): Telegram answers
 * dhConfigNotModified while the cached version is current. Fresh server randomness comes
 * with every answer (random_length 256) and is mixed into each secret exponent.
 */
import { validateDhConfigAsync } from '../crypto';
import { TgCallsError } from '../errors';
import { invokePhone } from './rpc';
import type { CallTransport } from './transport';

export interface DhParameters {
  p: Uint8Array;
  g: number;
  /** 256 bytes of server randomness for one DhExchange. */
  random: Uint8Array;
}

export class DhConfigSource {
  private cached: { p: Uint8Array; g: number; version: number } | undefined;

  constructor(private readonly transport: CallTransport) {}

  async next(): Promise<DhParameters> {
    const result = await invokePhone(this.transport, {
      _: 'messages.getDhConfig',
      version: this.cached?.version ?? 0,
      random_length: 256,
    });
    if (result._ === 'messages.dhConfigNotModified') {
      if (this.cached === undefined) {
        throw new TgCallsError(
          'CALL_UNEXPECTED_OBJECT',
          'messages.getDhConfig answered dhConfigNotModified, but no DH config is cached',
        );
      }
      return { p: this.cached.p, g: this.cached.g, random: result.random };
    }
    // Throws DH_BAD_PRIME / DH_BAD_GENERATOR; a pair that passed once is remembered natively.
    await validateDhConfigAsync(result.p, result.g);
    this.cached = { p: result.p, g: result.g, version: result.version };
    return { p: result.p, g: result.g, random: result.random };
  }
}
