#include "crypto/call_key.h"

#include <utility>

#include "crypto/crypto_error.h"
#include "crypto/emoji_table.h"
#include "crypto/hash.h"

namespace tgcalls {

CallKey::CallKey(SecureBytes key) : key_(std::move(key)) {
  if (key_.size() != kCallKeySize) {
    throw CryptoError(CryptoError::kInvalidArgument, "call key must be 256 bytes");
  }
}

CallKey CallKey::fromBytes(ByteView key) { return CallKey(SecureBytes(key)); }

std::array<uint8_t, 8> CallKey::fingerprintBytes() const {
  Sha1Digest hash = sha1(key_.view());
  std::array<uint8_t, 8> out;
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = hash[12 + i];
  return out;
}

int64_t CallKey::fingerprint() const {
  std::array<uint8_t, 8> bytes = fingerprintBytes();
  uint64_t value = 0;
  for (std::size_t i = bytes.size(); i-- > 0;) value = (value << 8) | bytes[i];
  return static_cast<int64_t>(value);  // two's complement conversion, well defined in C++20
}

void CallKey::verifyFingerprint(int64_t expected) const {
  if (fingerprint() != expected) {
    throw CryptoError(CryptoError::kFingerprintMismatch,
                      "key_fingerprint does not match the fingerprint of the derived key");
  }
}

std::array<int, 4> CallKey::emojiIndices(ByteView gA) const {
  if (gA.empty() || gA.size() > kCallKeySize) {
    throw CryptoError(CryptoError::kInvalidArgument, "g_a for the emoji must be 1..256 bytes");
  }
  Sha256Digest hash = sha256({key_.view(), gA});
  std::array<int, 4> indices;
  for (std::size_t i = 0; i < indices.size(); ++i) {
    uint64_t value = 0;
    for (std::size_t j = 0; j < 8; ++j) value = (value << 8) | hash[8 * i + j];
    value &= 0x7FFFFFFFFFFFFFFFULL;  // the top bit is cleared: the value is a non-negative long
    indices[i] = static_cast<int>(value % kEmojiTableSize);
  }
  return indices;
}

std::array<std::string, 4> CallKey::emojiFingerprint(ByteView gA) const {
  std::array<int, 4> indices = emojiIndices(gA);
  std::array<std::string, 4> emoji;
  for (std::size_t i = 0; i < emoji.size(); ++i) {
    emoji[i] = std::string(emojiAt(static_cast<std::size_t>(indices[i])));
  }
  return emoji;
}

}  // namespace tgcalls
