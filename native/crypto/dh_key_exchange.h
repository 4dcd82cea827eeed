// One side of the call's Diffie-Hellman exchange (spec §2.2-§2.4).
#pragma once

#include <functional>

#include "crypto/bytes.h"
#include "crypto/secure_bytes.h"

namespace tgcalls {

// Native unit tests reach DhKeyExchange's internals through this (native/test); nothing else
// defines it.
struct DhKeyExchangeTestPeer;

// Holds a secret exponent a (wiped on destruction) and its public value g^a mod p.
//
// Caller: generate(), send SHA256(publicValue()) in phone.requestCall, later send publicValue()
// and computeSharedKey(g_b). Callee: generate(), send publicValue() as g_b, then
// verifyPublicValueHash(g_a, g_a_hash) and computeSharedKey(g_a).
class DhKeyExchange {
 public:
  // Draws 256 random bytes, XORs them with `serverRandom` (messages.dhConfig.random: empty or
  // exactly 256 bytes) and uses the result as the exponent; re-draws until g^a lies in the strict
  // range 2^1984 < g^a < p - 2^1984. Validates (p, g) first (validateDhConfig, cached).
  // Throws CryptoError (DH_BAD_PRIME, DH_BAD_GENERATOR, INVALID_ARGUMENT).
  static DhKeyExchange generate(ByteView p, int g, ByteView serverRandom = {});

  // Uses the given 256-byte big-endian exponent as is (test vectors, reproducible tests).
  // Throws DH_OUT_OF_RANGE if g^a is outside the strict range, INVALID_ARGUMENT if the secret is
  // not 256 bytes, and whatever validateDhConfig throws.
  static DhKeyExchange fromSecret(ByteView p, int g, ByteView secret);

  DhKeyExchange(DhKeyExchange&&) noexcept = default;
  DhKeyExchange& operator=(DhKeyExchange&&) noexcept = default;
  DhKeyExchange(const DhKeyExchange&) = delete;
  DhKeyExchange& operator=(const DhKeyExchange&) = delete;
  ~DhKeyExchange() = default;

  const Bytes& prime() const { return prime_; }
  int generator() const { return generator_; }

  // g^a mod p, always exactly 256 big-endian bytes (the form that is sent and hashed).
  const Bytes& publicValue() const { return publicValue_; }
  // SHA256(publicValue()): the caller's g_a_hash.
  Bytes publicValueHash() const;

  // (peerPublic)^a mod p as exactly 256 big-endian bytes, left-padded with zeros: the call key.
  // peerPublic is range-checked first (checkPeerPublicValue).
  SecureBytes computeSharedKey(ByteView peerPublic) const;

 private:
  friend struct DhKeyExchangeTestPeer;

  // Fills the 256 local random bytes of one exponent draw.
  using LocalRandomSource = std::function<void(SecureBytes& out)>;

  // generate() with the local random bytes from `drawLocalRandom`, at most `maxDraws` draws.
  static DhKeyExchange generateWith(ByteView p, int g, ByteView serverRandom,
                                    const LocalRandomSource& drawLocalRandom, int maxDraws);

  DhKeyExchange(Bytes prime, int generator, SecureBytes exponent, Bytes publicValue);

  Bytes prime_;
  int generator_ = 0;
  SecureBytes exponent_;
  Bytes publicValue_;
};

// Accepts a peer's public value exactly when tdesktop would: at most 256 bytes (no leading
// zero byte stripped: 257 bytes is rejected whatever they hold) and 2^1983 <= g_x <= p - 2^1983.
// p must be 256 bytes. Throws CryptoError DH_OUT_OF_RANGE (INVALID_ARGUMENT for a bad p).
void checkPeerPublicValue(ByteView p, ByteView gx);

// Throws G_A_HASH_MISMATCH unless SHA256(gA) equals `expectedHash` (compared in constant time).
// gA is hashed exactly as received.
void verifyPublicValueHash(ByteView gA, ByteView expectedHash);

}  // namespace tgcalls
