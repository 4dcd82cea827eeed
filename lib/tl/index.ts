/**
 * The TL objects and methods of Telegram's 1:1 call API (spec telegram-phone-api.txt, §8.1),
 * as plain objects: `_` holds the TL name, fields keep their TL names, `long` is bigint,
 * `bytes` is Uint8Array, `flags.N?true` fields are optional booleans.
 */
export type * from './protocol';
export type * from './connections';
export type * from './discard-reasons';
export type * from './inputs';
export type * from './phone-calls';
export type * from './updates';
export type * from './dh-config';
export type * from './methods';
export { TlFields, readTlObject } from './validation/fields';
export * from './validation/objects';
export { phoneMethodNames, readPhoneRequest, readPhoneResult } from './validation/methods';
