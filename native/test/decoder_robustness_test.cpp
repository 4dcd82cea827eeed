// Random and mutated inputs into every decoder: nothing may crash, throw or hang. (The libFuzzer
// target in native/fuzz/ does the same with coverage guidance.)
#include <gtest/gtest.h>

#include <random>

#include "crypto/call_key.h"
#include "crypto/gzip_codec.h"
#include "crypto/packet_cipher.h"
#include "crypto/raw_signaling_channel.h"
#include "crypto/reliable_container.h"
#include "crypto/reliable_signaling_channel.h"
#include "test_support.h"

namespace tgcalls {
namespace {

constexpr int kSamplesPerLength = 4;
constexpr std::size_t kMaxLength = 2000;

Bytes randomBytes(std::mt19937& rng, std::size_t size) {
  Bytes out(size);
  for (uint8_t& b : out) b = static_cast<uint8_t>(rng());
  return out;
}

// Random plaintext biased towards the container's structure, so the parser gets past its first
// checks: seq values with the flag bits, real type bytes, small lengths.
Bytes structuredPlaintext(std::mt19937& rng, std::size_t size) {
  static const uint8_t kTypes[] = {0xFE, 0xFF, 0x7F, 0x01, 0x02, 0x03, 0x04,
                                   0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x00};
  Bytes out;
  while (out.size() < size) {
    const uint32_t seq = (rng() & 0xC0000000u) | (rng() % 8);
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(seq >> shift));
    const uint8_t type = kTypes[rng() % sizeof(kTypes)];
    out.push_back(type);
    if (type == 0x7F) {
      const uint32_t length = rng() % 16;
      for (int shift = 24; shift >= 0; shift -= 8) {
        out.push_back(static_cast<uint8_t>(length >> shift));
      }
    }
    const std::size_t filler = rng() % 12;
    for (std::size_t i = 0; i < filler; ++i) out.push_back(static_cast<uint8_t>(rng() % 4));
  }
  out.resize(size);
  return out;
}

TEST(DecoderRobustness, RandomBytesOfEveryLengthNeverCrashAnyDecoder) {
  auto key = test::sequentialKey();
  std::mt19937 rng(20240501);
  ReliableSignalingChannel reliable(key, false);
  RawSignalingChannel raw(key, false);
  for (std::size_t length = 0; length <= kMaxLength; ++length) {
    for (int sample = 0; sample < kSamplesPerLength; ++sample) {
      const Bytes input = randomBytes(rng, length);
      for (int x : {0, 8, 128, 136}) EXPECT_FALSE(decryptPacket(*key, x, input));
      (void)parseReliableContainer(input);
      EXPECT_TRUE(reliable.receive(input, 0).empty());
      EXPECT_FALSE(raw.open(input));
      (void)maybeInflate(input);
      // Compressed-looking inputs reach the inflater.
      Bytes gzipLike = input;
      gzipLike.insert(gzipLike.begin(), {0x1F, 0x8B});
      (void)maybeInflate(gzipLike);
      Bytes zlibLike = input;
      zlibLike.insert(zlibLike.begin(), {0x78, 0x9C});
      (void)maybeInflate(zlibLike);
    }
  }
  EXPECT_EQ(reliable.acceptedPacketCount(), 0u);
}

TEST(DecoderRobustness, AuthenticRandomPlaintextsReachTheParserSafely) {
  auto key = test::sequentialKey();
  std::mt19937 rng(7);
  ReliableSignalingChannel reliable(key, false);
  RawSignalingChannel raw(key, false);
  for (std::size_t length = 5; length <= kMaxLength; ++length) {
    for (int sample = 0; sample < kSamplesPerLength; ++sample) {
      const Bytes plaintext =
          sample % 2 == 0 ? structuredPlaintext(rng, length) : randomBytes(rng, length);
      (void)parseReliableContainer(plaintext);
      const Bytes packet = encryptPacket(*key, 128, plaintext);
      for (const Bytes& message : reliable.receive(packet, static_cast<int64_t>(length))) {
        EXPECT_LE(message.size(), plaintext.size());
      }
      std::optional<Bytes> payload = raw.open(packet);
      if (payload) (void)maybeInflate(*payload);
      (void)reliable.takeOutgoing(static_cast<int64_t>(length));
    }
  }
  SUCCEED() << reliable.acceptedPacketCount() << " structured packets were accepted";
}

}  // namespace
}  // namespace tgcalls
