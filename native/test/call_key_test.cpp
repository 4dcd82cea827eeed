#include "crypto/call_key.h"

#include <gtest/gtest.h>

#include "crypto/crypto_error.h"
#include "crypto/emoji_table.h"
#include "crypto/hash.h"
#include "test_support.h"

namespace tgcalls {
namespace {

using test::fromHex;
using test::sequentialKeyBytes;
using test::toHex;

Bytes tv21GA() {
  Bytes gA(256);
  for (int i = 0; i < 256; ++i) gA[i] = static_cast<uint8_t>((7 * i + 3) % 256);
  return gA;
}

TEST(CallKey, Tv21FingerprintFromSyntheticKey) {
  const CallKey key = CallKey::fromBytes(sequentialKeyBytes());
  EXPECT_EQ(toHex(sha1(key.bytes())), "4916d6bdb7f78e6803698cab32d1586ea457dfc8");
  EXPECT_EQ(toHex(key.fingerprintBytes()), "32d1586ea457dfc8");
  EXPECT_EQ(key.fingerprint(), -3972359982579920590LL);
  EXPECT_EQ(static_cast<uint64_t>(key.fingerprint()), 0xc8df57a46e58d132ULL);
}

TEST(CallKey, Tv21EmojiFromSyntheticKey) {
  const CallKey key = CallKey::fromBytes(sequentialKeyBytes());
  const Bytes gA = tv21GA();
  EXPECT_EQ(toHex(sha256({key.bytes(), gA})),
            "7cb2894ec434e85b3bcea3137bb19dfdc812915beb4a1ce877ac298801369405");
  EXPECT_EQ(key.emojiIndices(gA), (std::array<int, 4>{257, 32, 307, 259}));
  const std::array<std::string, 4> emoji = key.emojiFingerprint(gA);
  EXPECT_EQ(emoji[0], "\xF0\x9F\x8D\x85");                  // U+1F345
  EXPECT_EQ(emoji[1], "\xF0\x9F\x92\xA5");                  // U+1F4A5
  EXPECT_EQ(emoji[2], "\xF0\x9F\x87\xAA\xF0\x9F\x87\xB8");  // U+1F1EA U+1F1F8
  EXPECT_EQ(emoji[3], "\xF0\x9F\x8F\xA1");                  // U+1F3E1
}

TEST(CallKey, VerifyFingerprintAcceptsOwnValueAndRejectsAnyOther) {
  const CallKey key = CallKey::fromBytes(sequentialKeyBytes());
  EXPECT_NO_THROW(key.verifyFingerprint(-3972359982579920590LL));
  try {
    key.verifyFingerprint(-3972359982579920589LL);
    FAIL() << "mismatch accepted";
  } catch (const CryptoError& e) {
    EXPECT_EQ(e.code(), "KEY_FINGERPRINT_MISMATCH");
    EXPECT_NE(std::string(e.what()).find("fingerprint"), std::string::npos);
  }
}

TEST(CallKey, RejectsKeysThatAreNot256Bytes) {
  for (std::size_t size : {0u, 255u, 257u}) {
    try {
      CallKey::fromBytes(Bytes(size, 1));
      FAIL() << size;
    } catch (const CryptoError& e) {
      EXPECT_EQ(e.code(), "INVALID_ARGUMENT");
    }
  }
}

TEST(CallKey, EmojiNeedsAGaOf1To256Bytes) {
  const CallKey key = CallKey::fromBytes(sequentialKeyBytes());
  EXPECT_THROW(key.emojiIndices(Bytes{}), CryptoError);
  EXPECT_THROW(key.emojiIndices(Bytes(257, 1)), CryptoError);
  EXPECT_NO_THROW(key.emojiIndices(Bytes(255, 1)));
}

TEST(CallKey, EmojiIndicesAreAlwaysInsideTheTable) {
  const CallKey key = CallKey::fromBytes(sequentialKeyBytes());
  for (int seed = 0; seed < 200; ++seed) {
    Bytes gA(256, static_cast<uint8_t>(seed));
    for (int index : key.emojiIndices(gA)) {
      EXPECT_GE(index, 0);
      EXPECT_LT(index, static_cast<int>(kEmojiTableSize));
    }
  }
}

}  // namespace
}  // namespace tgcalls
