#include "crypto/gzip_codec.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <random>
#include <string>

#include "test_support.h"

namespace tgcalls {
namespace {

using test::toHex;
using test::toString;

Bytes zlibCompress(ByteView data, int level) {
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  Bytes out(size);
  EXPECT_EQ(compress2(out.data(), &size, data.data(), static_cast<uLong>(data.size()), level),
            Z_OK);
  out.resize(size);
  return out;
}

TEST(GzipCodec, CompressesToOneGzipMemberWithUpstreamsHeader) {
  const std::string json = R"({"@type": "candidate", "mid": "0"})";
  const Bytes gz = gzipCompress(asBytes(json));
  EXPECT_EQ(toHex(ByteView(gz).first(10)), "1f8b0800000000000203");
  std::optional<Bytes> back = maybeInflate(gz);
  ASSERT_TRUE(back);
  EXPECT_EQ(toString(*back), json);
}

TEST(GzipCodec, RoundTripsEmptyAndLargeInputs) {
  for (std::size_t size : {0u, 1u, 100000u, 1500000u}) {
    std::string text(size, 'a');
    std::mt19937 rng(static_cast<uint32_t>(size));
    for (char& c : text) c = static_cast<char>('a' + rng() % 4);
    std::optional<Bytes> back = maybeInflate(gzipCompress(asBytes(text)));
    ASSERT_TRUE(back) << size;
    EXPECT_EQ(back->size(), size);
    EXPECT_EQ(toString(*back), text);
  }
}

TEST(GzipCodec, UncompressedPayloadsPassThroughUnchanged) {
  for (const std::string& payload : {std::string(), std::string("{}"), std::string("\x1f"),
                                     std::string("\x78\x01garbage"), std::string("\x78\xDA..")}) {
    std::optional<Bytes> out = maybeInflate(asBytes(payload));
    ASSERT_TRUE(out);
    EXPECT_EQ(toString(*out), payload);
  }
}

TEST(GzipCodec, InflatesZlibWithDefaultLevelHeader) {
  const std::string json = R"({"@type":"offer"})";
  const Bytes z = zlibCompress(asBytes(json), Z_DEFAULT_COMPRESSION);
  ASSERT_EQ(z[0], 0x78);
  ASSERT_EQ(z[1], 0x9C);
  std::optional<Bytes> out = maybeInflate(z);
  ASSERT_TRUE(out);
  EXPECT_EQ(toString(*out), json);
}

TEST(GzipCodec, CorruptOrTruncatedStreamsAreDropped) {
  const Bytes gz = gzipCompress(asBytes(std::string(1000, 'z') + "tail"));
  for (std::size_t size = 2; size < gz.size(); ++size) {
    EXPECT_FALSE(maybeInflate(ByteView(gz).first(size))) << size;
  }
  Bytes corrupt = gz;
  corrupt[gz.size() - 5] ^= 0xFF;  // inside the CRC/size trailer
  EXPECT_FALSE(maybeInflate(corrupt));
  EXPECT_FALSE(maybeInflate(Bytes{0x1F, 0x8B}));
  EXPECT_FALSE(maybeInflate(Bytes{0x78, 0x9C, 0xFF, 0xFF}));
}

TEST(GzipCodec, OnlyTheFirstGzipMemberIsUsed) {
  Bytes two = gzipCompress(asBytes("first"));
  const Bytes second = gzipCompress(asBytes("second"));
  two.insert(two.end(), second.begin(), second.end());
  two.push_back(0x42);  // and trailing garbage is ignored too
  std::optional<Bytes> out = maybeInflate(two);
  ASSERT_TRUE(out);
  EXPECT_EQ(toString(*out), "first");
}

TEST(GzipCodec, OutputIsLimitedTo2MiB) {
  const Bytes exactly = gzipCompress(Bytes(kMaxInflatedSize, 'x'));
  std::optional<Bytes> out = maybeInflate(exactly);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->size(), kMaxInflatedSize);
  EXPECT_FALSE(maybeInflate(gzipCompress(Bytes(kMaxInflatedSize + 1, 'x'))));
  // A bomb: 100 MiB of zeros in about 100 KiB.
  EXPECT_FALSE(maybeInflate(gzipCompress(Bytes(100 << 20, 0))));
}

}  // namespace
}  // namespace tgcalls
