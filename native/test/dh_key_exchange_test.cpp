#include "crypto/dh_key_exchange.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/rand.h>

#include <string>

#include "crypto/bignum.h"
#include "crypto/call_key.h"
#include "crypto/crypto_error.h"
#include "crypto/dh_params.h"
#include "crypto/hash.h"
#include "dh_key_exchange_test_peer.h"
#include "test_support.h"

namespace tgcalls {
namespace {

using test::toHex;

template <typename Check>
std::string errorCode(Check check) {
  try {
    check();
  } catch (const CryptoError& e) {
    return e.code();
  }
  return "";
}

Bytes tv22SecretA() {
  Bytes a(256);
  for (int i = 0; i < 256; ++i) a[i] = static_cast<uint8_t>((i + 1) % 256);
  return a;
}

Bytes tv22SecretB() {
  Bytes b(256);
  for (int i = 0; i < 256; ++i) b[i] = static_cast<uint8_t>(0x55 ^ i);
  return b;
}

std::string head(ByteView bytes) { return toHex(bytes.first(16)); }
std::string tail(ByteView bytes) { return toHex(bytes.last(16)); }

// p - 2^bit + delta (delta may be negative), as 256 bytes.
Bytes primeMinusPowerOfTwo(int bit, int delta) {
  BignumPtr value = bignumFromBytes(telegramDhPrime());
  BignumPtr power = newBignum();
  EXPECT_TRUE(BN_set_bit(power.get(), bit));
  EXPECT_TRUE(BN_sub(value.get(), value.get(), power.get()));
  if (delta >= 0) {
    EXPECT_TRUE(BN_add_word(value.get(), static_cast<BN_ULONG>(delta)));
  } else {
    EXPECT_TRUE(BN_sub_word(value.get(), static_cast<BN_ULONG>(-delta)));
  }
  return bignumToPaddedBytes(value.get(), 256);
}

// 2^bit + delta, as 256 bytes.
Bytes powerOfTwoPlus(int bit, int delta) {
  BignumPtr value = newBignum();
  EXPECT_TRUE(BN_set_bit(value.get(), bit));
  if (delta >= 0) {
    EXPECT_TRUE(BN_add_word(value.get(), static_cast<BN_ULONG>(delta)));
  } else {
    EXPECT_TRUE(BN_sub_word(value.get(), static_cast<BN_ULONG>(-delta)));
  }
  return bignumToPaddedBytes(value.get(), 256);
}

TEST(DhKeyExchange, Tv22PublicValuesHashAndSharedKey) {
  const Bytes& p = telegramDhPrime();
  DhKeyExchange caller = DhKeyExchange::fromSecret(p, 3, tv22SecretA());
  DhKeyExchange callee = DhKeyExchange::fromSecret(p, 3, tv22SecretB());
  const Bytes& gA = caller.publicValue();
  const Bytes& gB = callee.publicValue();
  ASSERT_EQ(gA.size(), 256u);
  ASSERT_EQ(gB.size(), 256u);
  EXPECT_EQ(head(gA), "882aac74b56e2a5884d858316667b33f");
  EXPECT_EQ(tail(gA), "6e14def5f85d2ce36db3c6ed2df22fad");
  EXPECT_EQ(head(gB), "02a7e26d497f7d30f21b48d33d754801");
  EXPECT_EQ(tail(gB), "26387e8f2eca9c21ff16e1b8f5a8495b");
  EXPECT_EQ(toHex(caller.publicValueHash()),
            "5c6b78ccaa1faecc9e5b33d0ac8c75debc595e74e31edf86540711d95253f738");

  SecureBytes callerKey = caller.computeSharedKey(gB);
  SecureBytes calleeKey = callee.computeSharedKey(gA);
  ASSERT_EQ(callerKey.size(), 256u);
  EXPECT_EQ(toHex(callerKey), toHex(calleeKey));
  EXPECT_EQ(head(callerKey), "51333c6ab68b695717fd2a81c45fd380");
  EXPECT_EQ(tail(callerKey), "c57625f75aa7bae19552e2a0f33da558");
  EXPECT_EQ(toHex(sha256({callerKey})),
            "81bd4d8807cab128672b0e53b070080b1baf69bd2e4b1337c559cc85b361b59c");
  EXPECT_EQ(toHex(sha1(callerKey)), "543b77763c9d03d38829f7cde0ac92ab855669be");

  const CallKey key(std::move(callerKey));
  EXPECT_EQ(toHex(key.fingerprintBytes()), "e0ac92ab855669be");
  EXPECT_EQ(key.fingerprint(), -4726151201839469344LL);
  EXPECT_EQ(toHex(sha256({key.bytes(), gA})),
            "95825d37f819d4bf7c8824a0ba23efc519186666d78b06736b0efda0c5188ba7");
  EXPECT_EQ(key.emojiIndices(gA), (std::array<int, 4>{288, 138, 152, 269}));
  const std::array<std::string, 4> emoji = key.emojiFingerprint(gA);
  EXPECT_EQ(emoji[0], "\xF0\x9F\x9A\x92");  // U+1F692
  EXPECT_EQ(emoji[1], "\xF0\x9F\x8E\x86");  // U+1F386
  EXPECT_EQ(emoji[2], "\xF0\x9F\x93\xBA");  // U+1F4FA
  EXPECT_EQ(emoji[3], "\xF0\x9F\x8E\xA1");  // U+1F3A1
}

TEST(DhKeyExchange, Tv22CalleeVerifiesTheCallersHashCommitment) {
  DhKeyExchange caller = DhKeyExchange::fromSecret(telegramDhPrime(), 3, tv22SecretA());
  EXPECT_NO_THROW(verifyPublicValueHash(caller.publicValue(), caller.publicValueHash()));
}

TEST(DhKeyExchange, RandomExchangeGivesBothSidesTheSameKeyFingerprintAndEmoji) {
  for (int round = 0; round < 3; ++round) {
    Bytes serverRandom(256);
    ASSERT_EQ(RAND_bytes(serverRandom.data(), 256), 1);
    DhKeyExchange caller = DhKeyExchange::generate(telegramDhPrime(), 3, serverRandom);
    DhKeyExchange callee = DhKeyExchange::generate(telegramDhPrime(), 3);
    const Bytes gAHash = caller.publicValueHash();
    // Callee: checks g_a against the commitment first, then derives the key.
    verifyPublicValueHash(caller.publicValue(), gAHash);
    const CallKey calleeKey(callee.computeSharedKey(caller.publicValue()));
    const CallKey callerKey(caller.computeSharedKey(callee.publicValue()));
    EXPECT_EQ(toHex(callerKey.bytes()), toHex(calleeKey.bytes()));
    EXPECT_EQ(callerKey.fingerprint(), calleeKey.fingerprint());
    EXPECT_NO_THROW(calleeKey.verifyFingerprint(callerKey.fingerprint()));
    EXPECT_EQ(callerKey.emojiFingerprint(caller.publicValue()),
              calleeKey.emojiFingerprint(caller.publicValue()));
    EXPECT_NE(toHex(caller.publicValue()), toHex(callee.publicValue()));
  }
}

TEST(DhKeyExchange, GeneratedPublicValuesAre256BytesInsideTheStrictRange) {
  const Bytes lower = powerOfTwoPlus(1984, 0);
  const Bytes upper = primeMinusPowerOfTwo(1984, 0);
  for (int i = 0; i < 20; ++i) {
    DhKeyExchange side = DhKeyExchange::generate(telegramDhPrime(), 3);
    const Bytes& value = side.publicValue();
    ASSERT_EQ(value.size(), 256u);
    EXPECT_GT(value, lower);  // same-length big-endian: lexicographic = numeric order
    EXPECT_LT(value, upper);
  }
}

TEST(DhKeyExchange, PublicValueAndKeyKeepLeadingZeroBytes) {
  // About 1 in 200 public values and 1 in 256 keys start with a zero byte; both must still be
  // exactly 256 bytes (spec §2.2, §2.4). Search reproducible exponents until both happened.
  DhKeyExchange peer = DhKeyExchange::fromSecret(telegramDhPrime(), 3, tv22SecretB());
  bool sawShortPublicValue = false;
  bool sawShortKey = false;
  Bytes secret = tv22SecretA();
  for (int attempt = 0; attempt < 20000 && !(sawShortPublicValue && sawShortKey); ++attempt) {
    secret[255] = static_cast<uint8_t>(attempt);
    secret[254] = static_cast<uint8_t>(attempt >> 8);
    DhKeyExchange side = [&] {
      try {
        return DhKeyExchange::fromSecret(telegramDhPrime(), 3, secret);
      } catch (const CryptoError&) {
        return DhKeyExchange::fromSecret(telegramDhPrime(), 3, tv22SecretA());
      }
    }();
    ASSERT_EQ(side.publicValue().size(), 256u);
    if (side.publicValue()[0] == 0) {
      sawShortPublicValue = true;
      // Both the padded and the minimal encoding hash the same way only if padded consistently.
      EXPECT_NO_THROW(verifyPublicValueHash(side.publicValue(), side.publicValueHash()));
    }
    SecureBytes key = side.computeSharedKey(peer.publicValue());
    ASSERT_EQ(key.size(), 256u);
    if (key[0] == 0) {
      sawShortKey = true;
      EXPECT_EQ(toHex(key), toHex(peer.computeSharedKey(side.publicValue())));
    }
  }
  EXPECT_TRUE(sawShortPublicValue);
  EXPECT_TRUE(sawShortKey);
}

TEST(DhKeyExchange, SecretExponentIsLocalRandomXorServerRandom) {
  const Bytes& p = telegramDhPrime();
  const Bytes localRandom = tv22SecretA();
  const Bytes serverRandom = tv22SecretB();
  Bytes mixed(256);
  for (int i = 0; i < 256; ++i) mixed[i] = localRandom[i] ^ serverRandom[i];

  DhKeyExchange generated =
      DhKeyExchangeTestPeer::generateWithLocalRandom(p, 3, serverRandom, localRandom);
  DhKeyExchange expected = DhKeyExchange::fromSecret(p, 3, mixed);
  EXPECT_EQ(toHex(generated.publicValue()), toHex(expected.publicValue()));
  // The same exponent also gives the same shared key with any peer.
  DhKeyExchange peer = DhKeyExchange::fromSecret(p, 3, tv22SecretB());
  EXPECT_EQ(toHex(generated.computeSharedKey(peer.publicValue())),
            toHex(expected.computeSharedKey(peer.publicValue())));
  // The server's bytes really change the exponent: without them it is the local bytes alone.
  EXPECT_NE(toHex(generated.publicValue()),
            toHex(DhKeyExchange::fromSecret(p, 3, localRandom).publicValue()));
  DhKeyExchange localOnly = DhKeyExchangeTestPeer::generateWithLocalRandom(p, 3, {}, localRandom);
  EXPECT_EQ(toHex(localOnly.publicValue()),
            toHex(DhKeyExchange::fromSecret(p, 3, localRandom).publicValue()));
}

TEST(DhKeyExchange, ServerRandomMustBeEmptyOr256Bytes) {
  EXPECT_EQ(errorCode([] { DhKeyExchange::generate(telegramDhPrime(), 3, Bytes(10, 1)); }),
            "INVALID_ARGUMENT");
  EXPECT_EQ(errorCode([] { DhKeyExchange::generate(telegramDhPrime(), 3, Bytes(257, 1)); }),
            "INVALID_ARGUMENT");
}

TEST(DhKeyExchange, GenerateValidatesTheGroup) {
  EXPECT_EQ(errorCode([] { DhKeyExchange::generate(telegramDhPrime(), 5); }), "DH_BAD_GENERATOR");
  EXPECT_EQ(errorCode([] { DhKeyExchange::generate(Bytes(256, 0xFF), 4); }), "DH_BAD_PRIME");
}

TEST(DhKeyExchange, FromSecretRejectsWrongSizeAndOutOfRangeExponents) {
  EXPECT_EQ(errorCode([] { DhKeyExchange::fromSecret(telegramDhPrime(), 3, Bytes(255, 1)); }),
            "INVALID_ARGUMENT");
  // a = 0 gives g^a = 1 and a = 1 gives g^a = 3: both far below 2^1984.
  EXPECT_EQ(errorCode([] { DhKeyExchange::fromSecret(telegramDhPrime(), 3, Bytes(256, 0)); }),
            "DH_OUT_OF_RANGE");
  Bytes one(256, 0);
  one[255] = 1;
  EXPECT_EQ(errorCode([&] { DhKeyExchange::fromSecret(telegramDhPrime(), 3, one); }),
            "DH_OUT_OF_RANGE");
}

TEST(DhKeyExchange, PeerValueBoundsAreInclusiveAt2Pow1983AndPMinus2Pow1983) {
  const Bytes& p = telegramDhPrime();
  EXPECT_NO_THROW(checkPeerPublicValue(p, powerOfTwoPlus(1983, 0)));
  EXPECT_NO_THROW(checkPeerPublicValue(p, primeMinusPowerOfTwo(1983, 0)));
  EXPECT_EQ(errorCode([&] { checkPeerPublicValue(p, powerOfTwoPlus(1983, -1)); }),
            "DH_OUT_OF_RANGE");
  EXPECT_EQ(errorCode([&] { checkPeerPublicValue(p, primeMinusPowerOfTwo(1983, 1)); }),
            "DH_OUT_OF_RANGE");
}

TEST(DhKeyExchange, DegeneratePeerValuesAreRejected) {
  const Bytes& p = telegramDhPrime();
  Bytes one(256, 0);
  one[255] = 1;
  Bytes pMinusOne = p;
  pMinusOne[255] -= 1;  // p is odd, no borrow
  const Bytes cases[] = {Bytes{}, Bytes{1}, one, Bytes(256, 0), pMinusOne, p, Bytes(256, 0xFF)};
  for (const Bytes& gx : cases) {
    EXPECT_EQ(errorCode([&] { checkPeerPublicValue(p, gx); }), "DH_OUT_OF_RANGE")
        << toHex(gx).substr(0, 16);
  }
}

TEST(DhKeyExchange, PeerValueLongerThan256BytesIsRejectedEvenWithLeadingZero) {
  DhKeyExchange callee = DhKeyExchange::fromSecret(telegramDhPrime(), 3, tv22SecretB());
  Bytes padded = callee.publicValue();
  EXPECT_NO_THROW(checkPeerPublicValue(telegramDhPrime(), padded));
  padded.insert(padded.begin(), 0x00);
  EXPECT_EQ(errorCode([&] { checkPeerPublicValue(telegramDhPrime(), padded); }), "DH_OUT_OF_RANGE");
}

TEST(DhKeyExchange, ComputeSharedKeyChecksThePeerValue) {
  DhKeyExchange side = DhKeyExchange::fromSecret(telegramDhPrime(), 3, tv22SecretA());
  Bytes one(256, 0);
  one[255] = 1;
  EXPECT_EQ(errorCode([&] { side.computeSharedKey(one); }), "DH_OUT_OF_RANGE");
  EXPECT_EQ(errorCode([&] { side.computeSharedKey(Bytes(257, 0)); }), "DH_OUT_OF_RANGE");
}

TEST(DhKeyExchange, HashMismatchIsDetected) {
  DhKeyExchange caller = DhKeyExchange::fromSecret(telegramDhPrime(), 3, tv22SecretA());
  Bytes hash = caller.publicValueHash();
  Bytes tampered = caller.publicValue();
  tampered[100] ^= 0x01;
  EXPECT_EQ(errorCode([&] { verifyPublicValueHash(tampered, hash); }), "G_A_HASH_MISMATCH");
  hash[31] ^= 0x80;
  EXPECT_EQ(errorCode([&] { verifyPublicValueHash(caller.publicValue(), hash); }),
            "G_A_HASH_MISMATCH");
  EXPECT_EQ(errorCode([&] { verifyPublicValueHash(caller.publicValue(), Bytes(31, 0)); }),
            "G_A_HASH_MISMATCH");
}

}  // namespace
}  // namespace tgcalls
