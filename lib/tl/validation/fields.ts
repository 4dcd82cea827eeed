/**
 * Reads the fields of one TL object received from outside (a transport, an adapter, a
 * socket) and checks each one's type. A failure is a TgCallsError TL_MALFORMED naming the
 * field path and the types involved, never the value: values may be key material.
 */
import { TgCallsError } from '../../errors';

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Uint8Array) return 'bytes';
  if (typeof value === 'object') {
    const name = (value as { _?: unknown })._;
    return typeof name === 'string' ? `object ${name}` : 'object';
  }
  return typeof value;
}

export function malformed(path: string, expected: string, value: unknown): TgCallsError {
  return new TgCallsError(
    'TL_MALFORMED',
    `malformed TL object at ${path}: expected ${expected}, got ${typeName(value)}`,
  );
}

/** The fields of one TL object whose constructor name was checked. */
export class TlFields<Name extends string = string> {
  constructor(
    readonly name: Name,
    private readonly record: Readonly<Record<string, unknown>>,
    readonly path: string,
  ) {}

  private at(key: string): string {
    return `${this.path}.${key}`;
  }

  private get(key: string): unknown {
    return this.record[key];
  }

  int(key: string): number {
    const value = this.get(key);
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw malformed(this.at(key), 'int', value);
    }
    if (value < INT32_MIN || value > INT32_MAX) throw malformed(this.at(key), 'int32', value);
    return value;
  }

  optionalInt(key: string): number | undefined {
    return this.get(key) === undefined ? undefined : this.int(key);
  }

  long(key: string): bigint {
    const value = this.get(key);
    if (typeof value !== 'bigint') throw malformed(this.at(key), 'long (bigint)', value);
    if (value < INT64_MIN || value > INT64_MAX) throw malformed(this.at(key), 'int64', value);
    return value;
  }

  bytes(key: string): Uint8Array {
    const value = this.get(key);
    if (!(value instanceof Uint8Array)) throw malformed(this.at(key), 'bytes', value);
    return value;
  }

  string(key: string): string {
    const value = this.get(key);
    if (typeof value !== 'string') throw malformed(this.at(key), 'string', value);
    return value;
  }

  /** TL `Bool`. */
  bool(key: string): boolean {
    const value = this.get(key);
    if (typeof value !== 'boolean') throw malformed(this.at(key), 'Bool', value);
    return value;
  }

  /** A `flags.N?true` field: absent means false. */
  flag(key: string): boolean | undefined {
    const value = this.get(key);
    if (value === undefined || typeof value === 'boolean') return value;
    throw malformed(this.at(key), 'true flag (boolean)', value);
  }

  object<T>(key: string, read: (value: unknown, path: string) => T): T {
    return read(this.get(key), this.at(key));
  }

  optionalObject<T>(key: string, read: (value: unknown, path: string) => T): T | undefined {
    const value = this.get(key);
    return value === undefined ? undefined : read(value, this.at(key));
  }

  vector<T>(key: string, read: (value: unknown, path: string) => T): T[] {
    const value = this.get(key);
    if (!Array.isArray(value)) throw malformed(this.at(key), 'Vector', value);
    return value.map((item: unknown, index) => read(item, `${this.at(key)}[${index}]`));
  }

  stringVector(key: string): string[] {
    const value = this.get(key);
    if (!Array.isArray(value)) throw malformed(this.at(key), 'Vector<string>', value);
    return value.map((item: unknown, index) => {
      if (typeof item !== 'string') throw malformed(`${this.at(key)}[${index}]`, 'string', item);
      return item;
    });
  }

  /** A vector of objects the call layer passes through without reading (User, Chat). */
  opaqueVector(key: string): unknown[] {
    const value = this.get(key);
    if (!Array.isArray(value)) throw malformed(this.at(key), 'Vector', value);
    return [...(value as unknown[])];
  }
}

/** Checks that `value` is an object whose `_` is one of `names`, and returns its fields. */
export function readTlObject<Name extends string>(
  value: unknown,
  path: string,
  names: readonly Name[],
): TlFields<Name> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(path, names.join(' | '), value);
  }
  const record = value as Record<string, unknown>;
  const name = record._;
  if (typeof name !== 'string') throw malformed(`${path}._`, 'a constructor name', name);
  if (!(names as readonly string[]).includes(name)) {
    throw new TgCallsError(
      'TL_MALFORMED',
      `malformed TL object at ${path}: unknown constructor ${name.slice(0, 64)} (expected ${names.join(' | ')})`,
    );
  }
  return new TlFields(name as Name, record, path);
}
