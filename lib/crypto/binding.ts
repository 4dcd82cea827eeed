/** Types of the native crypto surface (native/addon/crypto_bindings.cpp and the handles). */

export interface CallKey {
  /** key_fingerprint as a TL long. */
  fingerprint(): bigint;
  /** The four emoji, given the caller's g_a as transmitted. */
  emojiFingerprint(gA: Uint8Array): string[];
  /** Throws KEY_FINGERPRINT_MISMATCH unless the key's fingerprint equals `fingerprint`. */
  verifyFingerprint(fingerprint: bigint): void;
  /** The raw 256 key bytes: an explicit export for tools and tests. Never log them. */
  exportBytes(): Buffer;
  /** Drops this handle's share of the key (wiped once nothing else holds it). */
  release(): void;
  readonly released: boolean;
}

export interface DhExchange {
  /** g^a mod p: exactly 256 big-endian bytes, as sent. */
  readonly publicValue: Buffer;
  /** SHA-256 of publicValue: the caller's g_a_hash. */
  readonly publicValueHash: Buffer;
  /** Checks the peer's value (DH_OUT_OF_RANGE) and derives the call key. */
  computeKey(peerPublicValue: Uint8Array): CallKey;
  /** Wipes the secret exponent now. */
  release(): void;
}

export type SendResult = 'ok' | 'tooLarge' | 'tooManyUnacked' | 'counterExhausted';

export interface ReliableSignalingChannel {
  send(message: Uint8Array, nowMs: number): SendResult;
  receive(packet: Uint8Array, nowMs: number): Buffer[];
  takeOutgoing(nowMs: number): Buffer[];
  nextDeadlineMs(): number | null;
  readonly unackedCount: number;
}

export interface RawSignalingChannel {
  seal(payload: Uint8Array): Buffer;
  open(packet: Uint8Array): Buffer | null;
}

export interface ContainerEntry {
  offset: number;
  size: number;
  /** All 32 bits, flags included. */
  seq: number;
  type: number;
  kind: 'empty' | 'ack' | 'rawMessage' | 'binary';
  body: Buffer;
}

export interface ParsedContainer {
  firstSeq: number;
  entries: ContainerEntry[];
}

export interface CryptoBinding {
  CallKey: new (bytes: Uint8Array) => CallKey;
  DhExchange: {
    new (p: Uint8Array, g: number, serverRandom?: Uint8Array): DhExchange;
    fromSecret(p: Uint8Array, g: number, secret: Uint8Array): DhExchange;
  };
  ReliableSignalingChannel: new (key: CallKey, isOutgoing: boolean) => ReliableSignalingChannel;
  RawSignalingChannel: new (key: CallKey, isOutgoing: boolean) => RawSignalingChannel;
  validateDhConfig(p: Uint8Array, g: number): void;
  validateDhConfigAsync(p: Uint8Array, g: number): Promise<void>;
  checkPublicValue(p: Uint8Array, publicValue: Uint8Array): void;
  verifyPublicValueHash(gA: Uint8Array, gAHash: Uint8Array): void;
  computeKeyFingerprint(key: Uint8Array): bigint;
  computeEmojiFingerprint(key: Uint8Array, gA: Uint8Array): string[];
  encryptSignalingPacket(key: Uint8Array, isOutgoing: boolean, plaintext: Uint8Array): Buffer;
  decryptSignalingPacket(key: Uint8Array, isOutgoing: boolean, packet: Uint8Array): Buffer | null;
  parseReliableContainer(body: Uint8Array): ParsedContainer | null;
  gzipCompress(data: Uint8Array): Buffer;
  maybeInflate(payload: Uint8Array): Buffer | null;
  telegramDhPrime(): Buffer;
}
