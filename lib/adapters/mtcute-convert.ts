/**
 * mtcute's TL objects ⇄ this package's. mtcute speaks the spec's layer and names fields in
 * camelCase, so the mapping is mechanical: snake_case ⇄ camelCase keys, TL `long` ⇄ mtcute's
 * Long, and the user-id fields mtcute types as int53 numbers (admin_id, participant_id,
 * user_id) ⇄ bigint. Reading is lenient; the call layer validates the result.
 */
import { TgCallsError } from '../errors';

/** What the adapter needs of mtcute's Long class (the `long` package), passed in so that
 * nothing loads it eagerly. */
export interface LongClass {
  fromString(value: string): { toString(): string };
  isLong(value: unknown): boolean;
}

/** Fields mtcute types as int53 numbers rather than Long. */
const int53Fields = new Set(['admin_id', 'participant_id', 'user_id']);
/** Opaque vectors the call layer passes through untouched. */
const opaqueFields = new Set(['users', 'chats']);

const camel = (key: string): string =>
  key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Uint8Array) &&
    !Array.isArray(value)
  );
}

/** Our TL object → mtcute's. */
export function toMtcute(value: unknown, longClass: LongClass, key = ''): unknown {
  if (typeof value === 'bigint') {
    if (!int53Fields.has(key)) return longClass.fromString(value.toString());
    const number = Number(value);
    if (!Number.isSafeInteger(number)) {
      throw new TgCallsError('TL_UNSUPPORTED', `${key} does not fit mtcute's int53`);
    }
    return number;
  }
  if (Array.isArray(value)) return value.map((item: unknown) => toMtcute(item, longClass, key));
  if (!isPlainObject(value) || opaqueFields.has(key)) return value;
  const converted: Record<string, unknown> = {};
  for (const [field, item] of Object.entries(value)) {
    if (item === undefined) continue;
    converted[field === '_' ? '_' : camel(field)] = opaqueFields.has(field)
      ? item
      : toMtcute(item, longClass, field);
  }
  return converted;
}

/** An mtcute TL object → ours (unvalidated). */
export function fromMtcute(value: unknown, longClass: LongClass, key = ''): unknown {
  if (longClass.isLong(value)) return BigInt((value as { toString(): string }).toString());
  if (typeof value === 'number' && int53Fields.has(key)) return BigInt(value);
  if (Array.isArray(value)) return value.map((item: unknown) => fromMtcute(item, longClass, key));
  if (!isPlainObject(value)) return value;
  const converted: Record<string, unknown> = {};
  for (const [field, item] of Object.entries(value)) {
    const name = field === '_' ? '_' : snake(field);
    // mtcute reads absent flags as false and absent optionals as undefined.
    if (item === undefined || item === false) continue;
    converted[name] = opaqueFields.has(name) ? item : fromMtcute(item, longClass, name);
  }
  return converted;
}

const phoneUpdateNames = new Set(['updatePhoneCall', 'updatePhoneCallSignalingData']);

/** updatePhoneCall / updatePhoneCallSignalingData in our form, or undefined for other updates. */
export function mtcuteUpdate(update: unknown, longClass: LongClass): unknown {
  const name = (update as { _?: unknown } | null)?._;
  return typeof name === 'string' && phoneUpdateNames.has(name)
    ? fromMtcute(update, longClass)
    : undefined;
}

/** An Updates result reduced to its phone updates, in our form. */
export function mtcuteUpdates(result: unknown, longClass: LongClass): unknown {
  const record = isPlainObject(result) ? result : {};
  if (record._ === 'updateShort') {
    const update = mtcuteUpdate(record.update, longClass);
    if (update !== undefined) return { _: 'updateShort', update, date: record.date };
  }
  const list = Array.isArray(record.updates) ? (record.updates as unknown[]) : [];
  return {
    _: 'updates',
    updates: list.map((update) => mtcuteUpdate(update, longClass)).filter((u) => u !== undefined),
    users: Array.isArray(record.users) ? record.users : [],
    chats: Array.isArray(record.chats) ? record.chats : [],
    date: typeof record.date === 'number' ? record.date : 0,
    seq: typeof record.seq === 'number' ? record.seq : 0,
  };
}
