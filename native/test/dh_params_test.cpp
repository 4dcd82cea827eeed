#include "crypto/dh_params.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>

#include <set>
#include <string>

#include "crypto/bignum.h"
#include "crypto/crypto_error.h"
#include "test_support.h"

namespace tgcalls {
namespace {

using test::toHex;

// Runs `check` and returns the CryptoError code it throws ("" if it does not throw).
template <typename Check>
std::string errorCode(Check check, std::string* message = nullptr) {
  try {
    check();
  } catch (const CryptoError& e) {
    if (message) *message = e.what();
    return e.code();
  }
  return "";
}

Bytes toFixedBytes(const BIGNUM* bn) { return bignumToPaddedBytes(bn, 256); }

BignumPtr telegramPrimeBn() { return bignumFromBytes(telegramDhPrime()); }

// RFC 3526 group 14: a well-known 2048-bit safe prime other than Telegram's, p mod 8 = 7.
Bytes rfc3526Prime() {
  BignumPtr p = newBignum();
  EXPECT_NE(BN_get_rfc3526_prime_2048(p.get()), nullptr);
  return toFixedBytes(p.get());
}

bool isPrime(const BIGNUM* n) {
  BnCtxPtr ctx = newBnCtx();
  return BN_check_prime(n, ctx.get(), nullptr) == 1;
}

TEST(DhParams, TelegramPrimeMatchesAppendixB1) {
  const Bytes& p = telegramDhPrime();
  ASSERT_EQ(p.size(), 256u);
  const std::string hex = toHex(p);
  EXPECT_EQ(hex.substr(0, 16), "c71caeb9c6b1c904");
  EXPECT_EQ(hex.substr(496), "119cd8e3b92fcc5b");
  BignumPtr bn = telegramPrimeBn();
  EXPECT_EQ(BN_mod_word(bn.get(), 3), 2u);
  EXPECT_EQ(BN_mod_word(bn.get(), 5), 3u);
  EXPECT_EQ(BN_mod_word(bn.get(), 7), 6u);
  EXPECT_EQ(BN_mod_word(bn.get(), 8), 3u);
  EXPECT_EQ(BN_mod_word(bn.get(), 24), 11u);
}

TEST(DhParams, TelegramPrimeAcceptsGenerators3_4_7) {
  for (int g : {3, 4, 7}) {
    EXPECT_NO_THROW(validateDhConfig(telegramDhPrime(), g)) << g;
    EXPECT_TRUE(isDhConfigCached(telegramDhPrime(), g)) << g;
  }
}

TEST(DhParams, TelegramPrimeRejectsGenerators2_5_6EvenThoughItIsKnown) {
  for (int g : {2, 5, 6}) {
    EXPECT_EQ(errorCode([&] { validateDhConfig(telegramDhPrime(), g); }), "DH_BAD_GENERATOR") << g;
    EXPECT_EQ(errorCode([&] { validateDhConfigUncached(telegramDhPrime(), g); }),
              "DH_BAD_GENERATOR")
        << g;
    EXPECT_FALSE(isDhConfigCached(telegramDhPrime(), g)) << g;
  }
}

TEST(DhParams, TelegramPrimeReallyIsASafePrime) {
  // The uncached path runs both Miller-Rabin tests instead of trusting the known prime.
  EXPECT_NO_THROW(validateDhConfigUncached(telegramDhPrime(), 3));
}

TEST(DhParams, GeneratorsOutside2To7AreRejected) {
  for (int g : {-1, 0, 1, 8, 9, 256}) {
    std::string message;
    EXPECT_EQ(errorCode([&] { validateDhConfig(telegramDhPrime(), g); }, &message),
              "DH_BAD_GENERATOR")
        << g;
    EXPECT_NE(message.find("generator"), std::string::npos);
  }
}

TEST(DhParams, OtherSafePrimeGoesThroughRealPrimalityTestsOnceAndIsCached) {
  const Bytes p = rfc3526Prime();
  EXPECT_FALSE(isDhConfigCached(p, 2));
  const uint64_t before = primalityTestsRun();
  EXPECT_NO_THROW(validateDhConfig(p, 2));
  EXPECT_EQ(primalityTestsRun(), before + 2);  // p and (p-1)/2
  EXPECT_TRUE(isDhConfigCached(p, 2));
  EXPECT_NO_THROW(validateDhConfig(p, 2));  // second call: cache hit, no primality test
  EXPECT_EQ(primalityTestsRun(), before + 2);
  EXPECT_NO_THROW(validateDhConfigUncached(p, 2));  // always tests
  EXPECT_EQ(primalityTestsRun(), before + 4);
  EXPECT_NO_THROW(validateDhConfig(p, 4));  // another pair: tested once again
  EXPECT_EQ(primalityTestsRun(), before + 6);
  EXPECT_NO_THROW(validateDhConfig(p, 4));
  EXPECT_EQ(primalityTestsRun(), before + 6);
}

TEST(DhParams, TelegramPrimeNeverRunsThePrimalityTests) {
  const uint64_t before = primalityTestsRun();
  EXPECT_NO_THROW(validateDhConfig(telegramDhPrime(), 7));
  EXPECT_EQ(primalityTestsRun(), before);
}

// Each residue rule of spec §2.1, checked for every residue class: a number of the right size
// in a forbidden class fails with DH_BAD_GENERATOR before any primality test runs; one in an
// allowed class gets past the generator check (and then fails as composite, or passes).
struct GeneratorRule {
  int g;
  BN_ULONG modulus;
  std::set<BN_ULONG> allowed;
};

TEST(DhParams, EachGeneratorResidueConditionIsEnforced) {
  const GeneratorRule rules[] = {
      {2, 8, {7}}, {3, 3, {2}}, {5, 5, {1, 4}}, {6, 24, {19, 23}}, {7, 7, {3, 5, 6}},
  };
  BignumPtr base = telegramPrimeBn();
  for (const GeneratorRule& rule : rules) {
    for (BN_ULONG residue = 0; residue < rule.modulus; ++residue) {
      BignumPtr candidate = newBignum();
      ASSERT_TRUE(BN_copy(candidate.get(), base.get()));
      const BN_ULONG current = BN_mod_word(candidate.get(), rule.modulus);
      ASSERT_TRUE(BN_add_word(candidate.get(), (residue + rule.modulus - current) % rule.modulus));
      ASSERT_EQ(BN_mod_word(candidate.get(), rule.modulus), residue);
      const Bytes p = toFixedBytes(candidate.get());
      const std::string code = errorCode([&] { validateDhConfig(p, rule.g); });
      if (rule.allowed.count(residue)) {
        EXPECT_NE(code, "DH_BAD_GENERATOR") << "g=" << rule.g << " residue " << residue;
      } else {
        EXPECT_EQ(code, "DH_BAD_GENERATOR") << "g=" << rule.g << " residue " << residue;
      }
    }
  }
}

TEST(DhParams, Generator4HasNoResidueCondition) {
  EXPECT_NO_THROW(validateDhConfig(telegramDhPrime(), 4));
  EXPECT_NO_THROW(validateDhConfigUncached(rfc3526Prime(), 4));
}

TEST(DhParams, PrimeOfWrongSizeIsRejected) {
  Bytes shortPrime(telegramDhPrime().begin() + 1, telegramDhPrime().end());
  Bytes longPrime = telegramDhPrime();
  longPrime.insert(longPrime.begin(), 0x00);  // 257 bytes even though the value is the same
  Bytes topBitClear = telegramDhPrime();
  topBitClear[0] &= 0x7F;
  for (const Bytes& p : {Bytes{}, shortPrime, longPrime, topBitClear}) {
    std::string message;
    EXPECT_EQ(errorCode([&] { validateDhConfig(p, 3); }, &message), "DH_BAD_PRIME");
    EXPECT_NE(message.find("2048 bits"), std::string::npos);
  }
}

TEST(DhParams, CompositeModulusIsRejected) {
  BignumPtr candidate = telegramPrimeBn();
  do {
    ASSERT_TRUE(BN_add_word(candidate.get(), 2));
  } while (isPrime(candidate.get()));
  const Bytes p = toFixedBytes(candidate.get());
  std::string message;
  EXPECT_EQ(errorCode([&] { validateDhConfig(p, 4); }, &message), "DH_BAD_PRIME");
  EXPECT_NE(message.find("not prime"), std::string::npos);
  EXPECT_FALSE(isDhConfigCached(p, 4));
  EXPECT_EQ(errorCode([&] { validateDhConfigUncached(p, 4); }), "DH_BAD_PRIME");
}

TEST(DhParams, PrimeThatIsNotSafeIsRejected) {
  BignumPtr q = newBignum();
  BignumPtr half = newBignum();
  do {
    ASSERT_TRUE(BN_generate_prime_ex(q.get(), 2048, 0, nullptr, nullptr, nullptr));
    ASSERT_TRUE(BN_rshift1(half.get(), q.get()));
  } while (isPrime(half.get()));
  ASSERT_TRUE(isPrime(q.get()));
  ASSERT_EQ(BN_num_bits(q.get()), 2048);
  const Bytes p = toFixedBytes(q.get());
  std::string message;
  EXPECT_EQ(errorCode([&] { validateDhConfig(p, 4); }, &message), "DH_BAD_PRIME");
  EXPECT_NE(message.find("safe"), std::string::npos);
  EXPECT_FALSE(isDhConfigCached(p, 4));
}

}  // namespace
}  // namespace tgcalls
