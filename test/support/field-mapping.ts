/**
 * Checks, field by field, that a client library's object carries our TL object's values:
 * `_` ⇄ its constructor name, snake_case ⇄ camelCase, bigint ⇄ its long type, bytes ⇄ bytes.
 */
const camel = (key: string): string =>
  key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

export function expectFieldsCarried(
  ours: unknown,
  theirs: unknown,
  nameOf: (value: Record<string, unknown>) => string,
  path = '$',
): void {
  if (typeof ours === 'bigint') {
    if (String(theirs) !== ours.toString()) throw new Error(`${path}: ${String(theirs)} ≠ ${ours}`);
    return;
  }
  if (ours instanceof Uint8Array) {
    if (!(theirs instanceof Uint8Array) || !Buffer.from(theirs).equals(Buffer.from(ours))) {
      throw new Error(`${path}: bytes differ`);
    }
    return;
  }
  if (Array.isArray(ours)) {
    if (!Array.isArray(theirs) || theirs.length !== ours.length)
      throw new Error(`${path}: vector differs`);
    ours.forEach((item: unknown, index) => {
      expectFieldsCarried(item, theirs[index], nameOf, `${path}[${index}]`);
    });
    return;
  }
  if (typeof ours === 'object' && ours !== null) {
    const theirsRecord = theirs as Record<string, unknown>;
    const oursRecord = ours as Record<string, unknown>;
    const expectedName = String(oursRecord._);
    if (nameOf(theirsRecord) !== expectedName) {
      throw new Error(`${path}: constructor ${nameOf(theirsRecord)} ≠ ${expectedName}`);
    }
    for (const [key, value] of Object.entries(oursRecord)) {
      if (key === '_' || value === undefined) continue;
      expectFieldsCarried(value, theirsRecord[camel(key)], nameOf, `${path}.${key}`);
    }
    return;
  }
  if (ours !== theirs) throw new Error(`${path}: ${String(theirs)} ≠ ${String(ours)}`);
}

/** Deep copy with every Uint8Array as a Buffer, so Buffer and Uint8Array compare equal. */
export function withBuffers(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (Array.isArray(value)) return value.map(withBuffers);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withBuffers(item)]));
  }
  return value;
}
