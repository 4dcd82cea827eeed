// The 256-byte call key and what is derived from it for verification (spec §2.4-§2.6).
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "crypto/bytes.h"
#include "crypto/secure_bytes.h"

namespace tgcalls {

inline constexpr std::size_t kCallKeySize = 256;

// The shared key of a call (EncryptionKey.value). Owns a wiped-on-destruction copy; movable but
// not copyable, share it with std::shared_ptr<const CallKey>.
class CallKey {
 public:
  // Throws CryptoError INVALID_ARGUMENT unless `key` is exactly 256 bytes.
  explicit CallKey(SecureBytes key);
  // Copies `key` into secure storage. Same size rule.
  static CallKey fromBytes(ByteView key);

  CallKey(CallKey&&) noexcept = default;
  CallKey& operator=(CallKey&&) noexcept = default;
  CallKey(const CallKey&) = delete;
  CallKey& operator=(const CallKey&) = delete;

  ByteView bytes() const { return key_.view(); }

  // key_fingerprint: SHA1(key)[12..20) read as a little-endian signed 64-bit integer (TL long).
  int64_t fingerprint() const;
  // The same 8 bytes in wire order.
  std::array<uint8_t, 8> fingerprintBytes() const;
  // Throws CryptoError KEY_FINGERPRINT_MISMATCH unless fingerprint() == expected.
  void verifyFingerprint(int64_t expected) const;

  // Indices into the emoji table (emoji_table.h) from SHA256(key ‖ gA), where gA is the CALLER's
  // public value exactly as transmitted (1..256 bytes; INVALID_ARGUMENT otherwise).
  std::array<int, 4> emojiIndices(ByteView gA) const;
  // The same four emoji as UTF-8 strings.
  std::array<std::string, 4> emojiFingerprint(ByteView gA) const;

 private:
  SecureBytes key_;
};

}  // namespace tgcalls
