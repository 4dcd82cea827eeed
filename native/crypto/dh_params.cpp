#include "crypto/dh_params.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "crypto/bignum.h"
#include "crypto/crypto_error.h"

namespace tgcalls {
namespace {

constexpr const char kTelegramPrimeHex[] =
    "C71CAEB9C6B1C9048E6C522F70F13F73980D40238E3E21C14934D037563D930F"
    "48198A0AA7C14058229493D22530F4DBFA336F6E0AC925139543AED44CCE7C37"
    "20FD51F69458705AC68CD4FE6B6B13ABDC9746512969328454F18FAF8C595F64"
    "2477FE96BB2A941D5BCD1D4AC8CC49880708FA9B378E3C4F3A9060BEE67CF9A4"
    "A4A695811051907E162753B56B0F6B410DBA74D8A84B2A14B3144E0EF1284754"
    "FD17ED950D5965B4B9DD46582DB1178D169C6BC465B0D6FF9CA3928FEF5B9AE4"
    "E418FC15E83EBEA0F87FA9FF5EED70050DED2849F47BF959D956850CE929851F"
    "0D8115F635B105EE2E4E15D04B2454BF6F4FADF034B10403119CD8E3B92FCC5B";

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return c - 'a' + 10;
}

Bytes decodeTelegramPrime() {
  Bytes out(kDhPrimeSize);
  for (std::size_t i = 0; i < kDhPrimeSize; ++i) {
    out[i] = static_cast<uint8_t>(hexDigit(kTelegramPrimeHex[2 * i]) * 16 +
                                  hexDigit(kTelegramPrimeHex[2 * i + 1]));
  }
  return out;
}

void checkPrimeSize(ByteView p) {
  if (p.size() != kDhPrimeSize || (p[0] & 0x80) == 0) {
    throw CryptoError(CryptoError::kBadPrime, "DH prime is not exactly 2048 bits");
  }
}

// p mod `divisor`, or throws on an OpenSSL failure (BN_mod_word reports errors as all-ones).
BN_ULONG remainder(const BIGNUM* p, BN_ULONG divisor) {
  BN_ULONG result = BN_mod_word(p, divisor);
  if (result == static_cast<BN_ULONG>(-1)) {
    throw CryptoError(CryptoError::kInternal, "BN_mod_word failed");
  }
  return result;
}

// The residue conditions make g a quadratic residue mod p, so it generates the subgroup of
// prime order (p-1)/2 instead of the whole group (which would leak the exponent's parity).
bool generatorConditionHolds(const BIGNUM* p, int g) {
  switch (g) {
    case 2:
      return remainder(p, 8) == 7;
    case 3:
      return remainder(p, 3) == 2;
    case 4:
      return true;  // 4 = 2^2 is always a quadratic residue
    case 5: {
      BN_ULONG r = remainder(p, 5);
      return r == 1 || r == 4;
    }
    case 6: {
      BN_ULONG r = remainder(p, 24);
      return r == 19 || r == 23;
    }
    case 7: {
      BN_ULONG r = remainder(p, 7);
      return r == 3 || r == 5 || r == 6;
    }
    default:
      return false;
  }
}

void checkGenerator(const BIGNUM* p, int g) {
  if (g < 2 || g > 7) {
    throw CryptoError(CryptoError::kBadGenerator, "DH generator is not in 2..7");
  }
  if (!generatorConditionHolds(p, g)) {
    throw CryptoError(
        CryptoError::kBadGenerator,
        "DH generator " + std::to_string(g) + " does not generate the prime-order subgroup of p");
  }
}

std::atomic<uint64_t> primalityTestCount{0};

bool isProbablePrime(const BIGNUM* n, BN_CTX* ctx) {
  primalityTestCount.fetch_add(1, std::memory_order_relaxed);
  // BN_check_prime picks the Miller-Rabin round count for 128-bit security (OpenSSL 3).
  int result = BN_check_prime(n, ctx, nullptr);
  if (result < 0) throw CryptoError(CryptoError::kInternal, "BN_check_prime failed");
  return result == 1;
}

void checkSafePrime(const BIGNUM* p) {
  BnCtxPtr ctx = newBnCtx();
  if (!isProbablePrime(p, ctx.get())) {
    throw CryptoError(CryptoError::kBadPrime, "DH prime p is not prime");
  }
  BignumPtr q = newBignum();
  // q = (p - 1) / 2; p is odd here (it is a prime above 2), so a right shift is exact.
  if (BN_rshift1(q.get(), p) != 1) throw CryptoError(CryptoError::kInternal, "BN_rshift1 failed");
  if (!isProbablePrime(q.get(), ctx.get())) {
    throw CryptoError(CryptoError::kBadPrime,
                      "DH prime p is not a safe prime: (p-1)/2 is not prime");
  }
}

// Process-wide set of (p, g) pairs that passed every check, guarded by its mutex.
class ValidatedDhConfigs {
 public:
  static ValidatedDhConfigs& instance() {
    static ValidatedDhConfigs configs;
    return configs;
  }

  bool contains(ByteView p, int g) {
    std::lock_guard<std::mutex> lock(mutex_);
    return pairs_.count(Key(Bytes(p.begin(), p.end()), g)) != 0;
  }

  void insert(ByteView p, int g) {
    std::lock_guard<std::mutex> lock(mutex_);
    pairs_.emplace(Bytes(p.begin(), p.end()), g);
  }

 private:
  using Key = std::pair<Bytes, int>;
  std::mutex mutex_;
  std::set<Key> pairs_;
};

}  // namespace

const Bytes& telegramDhPrime() {
  static const Bytes prime = decodeTelegramPrime();
  return prime;
}

void validateDhConfig(ByteView p, int g) {
  checkPrimeSize(p);
  BignumPtr prime = bignumFromBytes(p);
  // The generator condition is cheap and is deliberately re-checked every time, also for the
  // known prime: tdesktop's shortcut lets g = 5 through for it, a strict client must not.
  checkGenerator(prime.get(), g);

  ValidatedDhConfigs& cache = ValidatedDhConfigs::instance();
  if (cache.contains(p, g)) return;
  const Bytes& known = telegramDhPrime();
  const bool isKnownPrime = std::equal(p.begin(), p.end(), known.begin(), known.end());
  if (!isKnownPrime) checkSafePrime(prime.get());
  // Two threads may validate the same pair concurrently; both insert, which is harmless.
  cache.insert(p, g);
}

void validateDhConfigUncached(ByteView p, int g) {
  checkPrimeSize(p);
  BignumPtr prime = bignumFromBytes(p);
  checkGenerator(prime.get(), g);
  checkSafePrime(prime.get());
}

bool isDhConfigCached(ByteView p, int g) { return ValidatedDhConfigs::instance().contains(p, g); }

uint64_t primalityTestsRun() { return primalityTestCount.load(std::memory_order_relaxed); }

}  // namespace tgcalls
