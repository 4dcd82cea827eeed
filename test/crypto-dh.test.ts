import {
  CallKey,
  DhExchange,
  TELEGRAM_DH_GENERATOR,
  checkPublicValue,
  computeEmojiFingerprint,
  computeKeyFingerprint,
  telegramDhPrime,
  validateDhConfig,
  validateDhConfigAsync,
  verifyPublicValueHash,
} from '../lib/crypto';
import { hex, testKey } from './support/vectors';

const p = telegramDhPrime();

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

/** p − 2^k as 256 big-endian bytes, and friends, for range edges. */
function toBytes(value: bigint, length = 256): Buffer {
  return Buffer.from(value.toString(16).padStart(length * 2, '0'), 'hex');
}
const pValue = BigInt(`0x${p.toString('hex')}`);

describe('Diffie-Hellman parameters', () => {
  it('accepts the Telegram prime with g = 3, 4 and 7 and rejects 2, 5 and 6 (spec B.1)', () => {
    for (const g of [3, 4, 7])
      expect(
        codeOf(() => {
          validateDhConfig(p, g);
        }),
      ).toBeUndefined();
    for (const g of [2, 5, 6])
      expect(
        codeOf(() => {
          validateDhConfig(p, g);
        }),
      ).toBe('DH_BAD_GENERATOR');
  });

  it('rejects generators outside 2..7', () => {
    for (const g of [0, 1, 8, -3])
      expect(
        codeOf(() => {
          validateDhConfig(p, g);
        }),
      ).toBe('DH_BAD_GENERATOR');
  });

  it('rejects primes of the wrong size or that are not safe primes', () => {
    expect(
      codeOf(() => {
        validateDhConfig(p.subarray(1), 3);
      }),
    ).toBe('DH_BAD_PRIME');
    const composite = Buffer.from(p);
    composite[255] = (composite[255] ?? 0) ^ 0x02; // still odd, no longer prime
    // g = 4 has no residue condition, so only the primality test can reject it.
    expect(
      codeOf(() => {
        validateDhConfig(composite, 4);
      }),
    ).toBe('DH_BAD_PRIME');
  });

  it('validates on a background thread with the same typed errors', async () => {
    await expect(validateDhConfigAsync(p, TELEGRAM_DH_GENERATOR)).resolves.toBeUndefined();
    await expect(validateDhConfigAsync(p, 2)).rejects.toMatchObject({
      name: 'TgCallsError',
      code: 'DH_BAD_GENERATOR',
    });
  });
});

describe('the key exchange', () => {
  it('reproduces spec test vector TV-2.2 exactly', () => {
    const a = DhExchange.fromSecret(
      p,
      3,
      Buffer.from(Array.from({ length: 256 }, (_, i) => (i + 1) % 256)),
    );
    const b = DhExchange.fromSecret(
      p,
      3,
      Buffer.from(Array.from({ length: 256 }, (_, i) => 0x55 ^ i)),
    );
    expect(a.publicValue.subarray(0, 16).toString('hex')).toBe('882aac74b56e2a5884d858316667b33f');
    expect(a.publicValue.subarray(240).toString('hex')).toBe('6e14def5f85d2ce36db3c6ed2df22fad');
    expect(b.publicValue.subarray(0, 16).toString('hex')).toBe('02a7e26d497f7d30f21b48d33d754801');
    expect(b.publicValue.subarray(240).toString('hex')).toBe('26387e8f2eca9c21ff16e1b8f5a8495b');
    expect(a.publicValueHash.toString('hex')).toBe(
      '5c6b78ccaa1faecc9e5b33d0ac8c75debc595e74e31edf86540711d95253f738',
    );
    const callerKey = a.computeKey(b.publicValue);
    const calleeKey = b.computeKey(a.publicValue);
    const keyBytes = callerKey.exportBytes();
    expect(keyBytes.subarray(0, 16).toString('hex')).toBe('51333c6ab68b695717fd2a81c45fd380');
    expect(keyBytes.subarray(240).toString('hex')).toBe('c57625f75aa7bae19552e2a0f33da558');
    expect(calleeKey.exportBytes().equals(keyBytes)).toBe(true);
    expect(callerKey.fingerprint()).toBe(-4726151201839469344n);
    expect(callerKey.emojiFingerprint(a.publicValue)).toEqual(['🚒', '🎆', '📺', '🎡']);
  });

  it('gives both sides of a fresh exchange the same key, fingerprint and emoji', () => {
    const caller = new DhExchange(p, 3, Buffer.alloc(256, 0xa5));
    const callee = new DhExchange(p, 3);
    expect(caller.publicValue).toHaveLength(256);
    verifyPublicValueHash(caller.publicValue, caller.publicValueHash);
    const callerKey = caller.computeKey(callee.publicValue);
    const calleeKey = callee.computeKey(caller.publicValue);
    expect(callerKey.fingerprint()).toBe(calleeKey.fingerprint());
    calleeKey.verifyFingerprint(callerKey.fingerprint());
    expect(callerKey.emojiFingerprint(caller.publicValue)).toEqual(
      calleeKey.emojiFingerprint(caller.publicValue),
    );
  });

  it('rejects a g_a that does not match the g_a_hash sent earlier', () => {
    const caller = new DhExchange(p, 3);
    const other = new DhExchange(p, 3);
    expect(
      codeOf(() => {
        verifyPublicValueHash(other.publicValue, caller.publicValueHash);
      }),
    ).toBe('G_A_HASH_MISMATCH');
  });

  it('rejects a peer key fingerprint that differs', () => {
    const key = new CallKey(testKey);
    expect(
      codeOf(() => {
        key.verifyFingerprint(key.fingerprint() + 1n);
      }),
    ).toBe('KEY_FINGERPRINT_MISMATCH');
  });

  it.each([
    ['1', 1n],
    ['p − 1', pValue - 1n],
    ['2^1983 − 1', (1n << 1983n) - 1n],
    ['p − 2^1983 + 1', pValue - (1n << 1983n) + 1n],
  ])('rejects the peer value %s', (_name, value) => {
    expect(
      codeOf(() => {
        checkPublicValue(p, toBytes(value));
      }),
    ).toBe('DH_OUT_OF_RANGE');
    expect(codeOf(() => new DhExchange(p, 3).computeKey(toBytes(value)))).toBe('DH_OUT_OF_RANGE');
  });

  it('accepts the peer values exactly at the edges 2^1983 and p − 2^1983', () => {
    expect(
      codeOf(() => {
        checkPublicValue(p, toBytes(1n << 1983n));
      }),
    ).toBeUndefined();
    expect(
      codeOf(() => {
        checkPublicValue(p, toBytes(pValue - (1n << 1983n)));
      }),
    ).toBeUndefined();
  });

  it('rejects a peer value of 257 bytes even with a leading zero', () => {
    const valid = new DhExchange(p, 3).publicValue;
    expect(
      codeOf(() => {
        checkPublicValue(p, Buffer.concat([Buffer.alloc(1), valid]));
      }),
    ).toBe('DH_OUT_OF_RANGE');
  });

  it('refuses to use a released key or exchange', () => {
    const exchange = new DhExchange(p, 3);
    const key = exchange.computeKey(new DhExchange(p, 3).publicValue);
    key.release();
    exchange.release();
    expect(key.released).toBe(true);
    expect(codeOf(() => key.fingerprint())).toBe('KEY_RELEASED');
    expect(codeOf(() => exchange.publicValue)).toBe('KEY_RELEASED');
  });

  it('never puts key bytes into error messages', () => {
    const key = new CallKey(testKey);
    let message = '';
    try {
      key.verifyFingerprint(0n);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toMatch(/[0-9a-f]{16}/i);
  });
});

describe('fingerprints', () => {
  it('reproduces spec test vector TV-2.1', () => {
    const gA = Buffer.from(Array.from({ length: 256 }, (_, i) => (7 * i + 3) % 256));
    expect(computeKeyFingerprint(testKey)).toBe(-3972359982579920590n);
    expect(computeEmojiFingerprint(testKey, gA)).toEqual(['🍅', '💥', '🇪🇸', '🏡']);
    expect(new CallKey(testKey).fingerprint()).toBe(-3972359982579920590n);
  });

  it('rejects keys that are not 256 bytes', () => {
    expect(codeOf(() => computeKeyFingerprint(hex('00ff')))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => new CallKey(Buffer.alloc(255)))).toBe('INVALID_ARGUMENT');
  });
});
