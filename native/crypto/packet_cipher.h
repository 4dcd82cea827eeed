// Packet encryption shared by signaling and transport (spec §4.1-§4.3): an MTProto-2.0-like
// scheme with AES-256-CTR and no padding. packet = msg_key (16) ‖ AES-CTR(plaintext).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "crypto/bytes.h"

namespace tgcalls {

class CallKey;

enum class Channel { Transport, Signaling };

inline constexpr std::size_t kMsgKeySize = 16;
// 16-byte msg_key + 4-byte seq + at least one byte.
inline constexpr std::size_t kMinEncryptedPacketSize = 21;
inline constexpr std::size_t kMaxEncryptedPacketSize = 131072;

// Key offset x the sender uses: caller 0 / callee 8 on Transport, 128 / 136 on Signaling.
int senderKeyOffset(bool isOutgoing, Channel channel);
// Key offset x to decrypt what the peer sent: the peer's sender offset.
int receiverKeyOffset(bool isOutgoing, Channel channel);

// msg_key = SHA256(key[88+x .. 120+x) ‖ plaintext)[8 .. 24).
std::array<uint8_t, kMsgKeySize> computeMsgKey(ByteView key, int x, ByteView plaintext);

// The AES key and IV derived from a msg_key. Wiped on destruction.
struct AesKeyIv {
  std::array<uint8_t, 32> key{};
  std::array<uint8_t, 16> iv{};
  ~AesKeyIv();
};
AesKeyIv deriveAesKeyIv(ByteView key, int x, ByteView msgKey);

// Encrypts a plaintext (which starts with its 4-byte seq). Deterministic: no randomness.
// Throws CryptoError INVALID_ARGUMENT if the raw key is not 256 bytes or x is not one of
// 0, 8, 128, 136.
Bytes encryptPacket(const CallKey& key, int x, ByteView plaintext);
Bytes encryptPacket(ByteView key, int x, ByteView plaintext);

// Decrypts and authenticates a packet. Returns nullopt (drop silently) if its size is outside
// 21..131072 or the msg_key does not match (compared in constant time). Throws only for a bad
// key or x, as encryptPacket.
std::optional<Bytes> decryptPacket(const CallKey& key, int x, ByteView packet);
std::optional<Bytes> decryptPacket(ByteView key, int x, ByteView packet);

}  // namespace tgcalls
