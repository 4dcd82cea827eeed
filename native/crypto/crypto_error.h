// The one exception type thrown by the call-cryptography core.
#pragma once

#include <stdexcept>
#include <string>

namespace tgcalls {

// Thrown by validation functions (DH parameters, public values, hashes, fingerprints) and on
// programmer errors (wrong buffer sizes). code() is a stable identifier that callers (the
// JavaScript layer) can switch on; what() names the failed check in prose. Neither ever contains
// secret bytes.
class CryptoError : public std::runtime_error {
 public:
  // Codes used by the core. INTERNAL_ERROR is reserved for OpenSSL/zlib failures that no input
  // can provoke (allocation failure).
  static constexpr const char* kBadPrime = "DH_BAD_PRIME";
  static constexpr const char* kBadGenerator = "DH_BAD_GENERATOR";
  static constexpr const char* kOutOfRange = "DH_OUT_OF_RANGE";
  static constexpr const char* kHashMismatch = "G_A_HASH_MISMATCH";
  static constexpr const char* kFingerprintMismatch = "KEY_FINGERPRINT_MISMATCH";
  static constexpr const char* kInvalidArgument = "INVALID_ARGUMENT";
  static constexpr const char* kCounterExhausted = "COUNTER_EXHAUSTED";
  static constexpr const char* kInternal = "INTERNAL_ERROR";

  CryptoError(std::string code, const std::string& message)
      : std::runtime_error(message), code_(std::move(code)) {}

  const std::string& code() const noexcept { return code_; }

 private:
  std::string code_;
};

}  // namespace tgcalls
