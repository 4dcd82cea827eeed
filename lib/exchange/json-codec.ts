/**
 * TL objects as JSON for the LocalExchange's WebSocket: `long` values become
 * {"$bigint": "decimal"} and `bytes` {"$bytes": "base64"}; everything else is plain JSON.
 * Decoded values are validated by the receiver like anything else from outside.
 */
const maxDepth = 32;

function encodeValue(value: unknown, depth: number): unknown {
  if (depth > maxDepth) throw new RangeError('TL object nested too deeply');
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map((item: unknown) => encodeValue(item, depth + 1));
  if (typeof value === 'object' && value !== null) {
    const encoded: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) encoded[key] = encodeValue(item, depth + 1);
    }
    return encoded;
  }
  return value;
}

function decodeValue(value: unknown, depth: number): unknown {
  if (depth > maxDepth) throw new RangeError('TL object nested too deeply');
  if (Array.isArray(value)) return value.map((item: unknown) => decodeValue(item, depth + 1));
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && typeof record.$bigint === 'string') return BigInt(record.$bigint);
  if (keys.length === 1 && typeof record.$bytes === 'string') {
    return Buffer.from(record.$bytes, 'base64');
  }
  const decoded: Record<string, unknown> = {};
  for (const key of keys) decoded[key] = decodeValue(record[key], depth + 1);
  return decoded;
}

export function encodeTlJson(value: unknown): string {
  return JSON.stringify(encodeValue(value, 0));
}

/** Throws SyntaxError/RangeError for text that is not a codec document. */
export function decodeTlJson(text: string): unknown {
  return decodeValue(JSON.parse(text), 0);
}
