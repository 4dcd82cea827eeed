#include "crypto/dh_key_exchange.h"

#include <openssl/rand.h>

#include <cstddef>
#include <utility>

#include "crypto/bignum.h"
#include "crypto/crypto_error.h"
#include "crypto/dh_params.h"
#include "crypto/hash.h"

namespace tgcalls {
namespace {

// Own values must be this far (2^1984) from both ends of [0, p); peer values 2^1983 (tdesktop's
// looser rule, so that we accept everything a tdesktop peer generates and accepts).
constexpr int kOwnRangeMarginBits = 2048 - 64;
constexpr int kPeerRangeMarginBits = 2048 - 64 - 1;

// Re-drawing is needed with probability about 2^-63 per draw; failing this many times in a row
// means the random generator is broken, and going on would be worse than failing.
constexpr int kMaxExponentDraws = 32;

void requirePrimeSize(ByteView p) {
  if (p.size() != kDhPrimeSize) {
    throw CryptoError(CryptoError::kInvalidArgument, "DH prime must be 256 bytes");
  }
}

BignumPtr powerOfTwo(int exponent) {
  BignumPtr result = newBignum();
  if (BN_set_bit(result.get(), exponent) != 1) {
    throw CryptoError(CryptoError::kInternal, "BN_set_bit failed");
  }
  return result;
}

// lower = 2^marginBits, upper = p - 2^marginBits.
struct RangeBounds {
  BignumPtr lower;
  BignumPtr upper;
};

RangeBounds rangeBounds(const BIGNUM* p, int marginBits) {
  RangeBounds bounds{powerOfTwo(marginBits), newBignum()};
  if (BN_sub(bounds.upper.get(), p, bounds.lower.get()) != 1) {
    throw CryptoError(CryptoError::kInternal, "BN_sub failed");
  }
  return bounds;
}

// The documented strict range for values we generate: 2^1984 < g_a < p - 2^1984.
bool isInStrictRange(const BIGNUM* value, const BIGNUM* p) {
  RangeBounds bounds = rangeBounds(p, kOwnRangeMarginBits);
  return BN_cmp(value, bounds.lower.get()) > 0 && BN_cmp(value, bounds.upper.get()) < 0;
}

BignumPtr modExpSecret(const BIGNUM* base, ByteView exponentBytes, const BIGNUM* p) {
  BnCtxPtr ctx = newBnCtx();
  BignumPtr exponent = secretBignumFromBytes(exponentBytes);
  BignumPtr result = newSecretBignum();
  if (BN_mod_exp_mont_consttime(result.get(), base, exponent.get(), p, ctx.get(), nullptr) != 1) {
    throw CryptoError(CryptoError::kInternal, "modular exponentiation failed");
  }
  return result;
}

Bytes publicValueFor(ByteView p, int g, ByteView exponent) {
  BignumPtr prime = bignumFromBytes(p);
  BignumPtr generator = newBignum();
  if (BN_set_word(generator.get(), static_cast<BN_ULONG>(g)) != 1) {
    throw CryptoError(CryptoError::kInternal, "BN_set_word failed");
  }
  BignumPtr value = modExpSecret(generator.get(), exponent, prime.get());
  if (!isInStrictRange(value.get(), prime.get())) return {};
  return bignumToPaddedBytes(value.get(), kDhPrimeSize);
}

}  // namespace

DhKeyExchange::DhKeyExchange(Bytes prime, int generator, SecureBytes exponent, Bytes publicValue)
    : prime_(std::move(prime)),
      generator_(generator),
      exponent_(std::move(exponent)),
      publicValue_(std::move(publicValue)) {}

DhKeyExchange DhKeyExchange::generate(ByteView p, int g, ByteView serverRandom) {
  return generateWith(
      p, g, serverRandom,
      [](SecureBytes& out) {
        if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
          throw CryptoError(CryptoError::kInternal, "random generator failed");
        }
      },
      kMaxExponentDraws);
}

DhKeyExchange DhKeyExchange::generateWith(ByteView p, int g, ByteView serverRandom,
                                          const LocalRandomSource& drawLocalRandom, int maxDraws) {
  if (!serverRandom.empty() && serverRandom.size() != kDhPrimeSize) {
    throw CryptoError(CryptoError::kInvalidArgument, "server random must be empty or 256 bytes");
  }
  validateDhConfig(p, g);
  for (int attempt = 0; attempt < maxDraws; ++attempt) {
    SecureBytes exponent(kDhPrimeSize);
    drawLocalRandom(exponent);
    // Mixing in the server's randomness protects against a weak local generator.
    for (std::size_t i = 0; i < serverRandom.size(); ++i) exponent[i] ^= serverRandom[i];
    Bytes publicValue = publicValueFor(p, g, exponent);
    if (!publicValue.empty()) {
      return DhKeyExchange(Bytes(p.begin(), p.end()), g, std::move(exponent),
                           std::move(publicValue));
    }
  }
  throw CryptoError(CryptoError::kOutOfRange,
                    "could not draw an exponent whose public value is in range");
}

DhKeyExchange DhKeyExchange::fromSecret(ByteView p, int g, ByteView secret) {
  if (secret.size() != kDhPrimeSize) {
    throw CryptoError(CryptoError::kInvalidArgument, "DH secret exponent must be 256 bytes");
  }
  validateDhConfig(p, g);
  SecureBytes exponent(secret);
  Bytes publicValue = publicValueFor(p, g, exponent);
  if (publicValue.empty()) {
    throw CryptoError(CryptoError::kOutOfRange,
                      "own public value g^a is outside 2^1984 < g^a < p - 2^1984");
  }
  return DhKeyExchange(Bytes(p.begin(), p.end()), g, std::move(exponent), std::move(publicValue));
}

Bytes DhKeyExchange::publicValueHash() const {
  Sha256Digest hash = sha256({publicValue_});
  return Bytes(hash.begin(), hash.end());
}

SecureBytes DhKeyExchange::computeSharedKey(ByteView peerPublic) const {
  checkPeerPublicValue(prime_, peerPublic);
  BignumPtr prime = bignumFromBytes(prime_);
  BignumPtr peer = bignumFromBytes(peerPublic);
  BignumPtr key = modExpSecret(peer.get(), exponent_, prime.get());
  return bignumToPaddedSecureBytes(key.get(), kDhPrimeSize);
}

void checkPeerPublicValue(ByteView p, ByteView gx) {
  requirePrimeSize(p);
  if (gx.size() > kDhPrimeSize) {
    throw CryptoError(CryptoError::kOutOfRange, "peer public value is longer than 256 bytes");
  }
  BignumPtr prime = bignumFromBytes(p);
  BignumPtr value = bignumFromBytes(gx);
  RangeBounds bounds = rangeBounds(prime.get(), kPeerRangeMarginBits);
  if (BN_cmp(value.get(), bounds.lower.get()) < 0) {
    throw CryptoError(CryptoError::kOutOfRange, "peer public value is below 2^1983");
  }
  if (BN_cmp(value.get(), bounds.upper.get()) > 0) {
    throw CryptoError(CryptoError::kOutOfRange, "peer public value is above p - 2^1983");
  }
}

void verifyPublicValueHash(ByteView gA, ByteView expectedHash) {
  Sha256Digest actual = sha256({gA});
  if (!constantTimeEquals(actual, expectedHash)) {
    throw CryptoError(CryptoError::kHashMismatch, "SHA256(g_a) does not match g_a_hash");
  }
}

}  // namespace tgcalls
