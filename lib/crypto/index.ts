/**
 * node-tgcalls/crypto: the call cryptography of Telegram 1:1 calls, done natively.
 *
 * Diffie-Hellman with every check (spec §2), the key fingerprint and emoji, and the
 * signaling encryption and framings of tgcalls (spec §4). Secrets stay in native memory:
 * a DhExchange holds its exponent, a CallKey its key; JavaScript sees public values,
 * hashes, the fingerprint and the emoji. Every failed check throws a TgCallsError whose
 * `code` names it (docs/errors.md).
 */
import { native } from '../native';
import type * as nativeTypes from './binding';

export type CallKey = nativeTypes.CallKey;
export type DhExchange = nativeTypes.DhExchange;
export type ReliableSignalingChannel = nativeTypes.ReliableSignalingChannel;
export type RawSignalingChannel = nativeTypes.RawSignalingChannel;
export type { ContainerEntry, ParsedContainer, SendResult } from './binding';

const binding = native() as unknown as nativeTypes.CryptoBinding;

/** An imported 256-byte call key; keys from a key exchange come from DhExchange.computeKey(). */
export const CallKey = binding.CallKey;
/** One side of the call's Diffie-Hellman exchange. */
export const DhExchange = binding.DhExchange;
/** The reliable-container signaling framing of protocol 10.0.0 (acks, resends). */
export const ReliableSignalingChannel = binding.ReliableSignalingChannel;
/** The raw signaling framing of protocol 11.0.0 (sequence number, no acks). */
export const RawSignalingChannel = binding.RawSignalingChannel;

/** The generator Telegram's servers pair with {@link telegramDhPrime}. */
export const TELEGRAM_DH_GENERATOR = 3;

/** The 2048-bit prime Telegram's servers return from messages.getDhConfig. */
export function telegramDhPrime(): Buffer {
  return binding.telegramDhPrime();
}

/**
 * Checks (p, g) from messages.getDhConfig: a 2048-bit safe prime and a generator of its
 * prime-order subgroup. Throws DH_BAD_PRIME or DH_BAD_GENERATOR naming the failed check.
 * A pair that passed is remembered for the life of the process.
 */
export function validateDhConfig(p: Uint8Array, g: number): void {
  binding.validateDhConfig(p, g);
}

/** validateDhConfig on a background thread: the first check of a new prime takes a while. */
export function validateDhConfigAsync(p: Uint8Array, g: number): Promise<void> {
  return binding.validateDhConfigAsync(p, g);
}

/** Throws DH_OUT_OF_RANGE unless a peer's g_a or g_b lies in 2^1983 ≤ g_x ≤ p − 2^1983. */
export function checkPublicValue(p: Uint8Array, publicValue: Uint8Array): void {
  binding.checkPublicValue(p, publicValue);
}

/** Throws G_A_HASH_MISMATCH unless SHA-256(gA) equals the g_a_hash received earlier. */
export function verifyPublicValueHash(gA: Uint8Array, gAHash: Uint8Array): void {
  binding.verifyPublicValueHash(gA, gAHash);
}

/** key_fingerprint: the last 8 bytes of SHA-1(key) as a TL long (signed, little-endian). */
export function computeKeyFingerprint(key: Uint8Array): bigint {
  return binding.computeKeyFingerprint(key);
}

/** The four emoji both sides show, from SHA-256(key ‖ g_a), g_a being the caller's value. */
export function computeEmojiFingerprint(key: Uint8Array, gA: Uint8Array): string[] {
  return binding.computeEmojiFingerprint(key, gA);
}

/**
 * Encrypts one signaling packet. `plaintext` is the complete body, starting with its 4-byte
 * sequence header; `isOutgoing` is the sender's role (true for the caller).
 */
export function encryptSignalingPacket(
  key: Uint8Array,
  isOutgoing: boolean,
  plaintext: Uint8Array,
): Buffer {
  return binding.encryptSignalingPacket(key, isOutgoing, plaintext);
}

/**
 * Decrypts one signaling packet and returns its body, or null when it is not authentic
 * (wrong key or role, altered, too short or too long). `isOutgoing` is the receiver's role.
 */
export function decryptSignalingPacket(
  key: Uint8Array,
  isOutgoing: boolean,
  packet: Uint8Array,
): Buffer | null {
  return binding.decryptSignalingPacket(key, isOutgoing, packet);
}

/** Parses a decrypted reliable-container body; null unless the whole body is well-formed. */
export function parseReliableContainer(body: Uint8Array): nativeTypes.ParsedContainer | null {
  return binding.parseReliableContainer(body);
}

/** gzip exactly as tgcalls 11.0.0 compresses signaling (level 9, one member). */
export function gzipCompress(data: Uint8Array): Buffer {
  return binding.gzipCompress(data);
}

/**
 * A received 11.0.0 payload: gzip or zlib data is inflated (at most 2 MiB), anything else is
 * returned as it is; null when compressed data is corrupt or too large.
 */
export function maybeInflate(payload: Uint8Array): Buffer | null {
  return binding.maybeInflate(payload);
}
