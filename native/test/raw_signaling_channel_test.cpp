#include "crypto/raw_signaling_channel.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <string>
#include <vector>

#include "crypto/call_key.h"
#include "crypto/crypto_error.h"
#include "crypto/gzip_codec.h"
#include "crypto/packet_cipher.h"
#include "test_support.h"

namespace tgcalls {
namespace {

using test::fromHex;
using test::toHex;
using test::toString;

// The 11.0.0 transcript's messages from one sender, in order.
std::vector<const nlohmann::json*> messagesFrom(const std::string& role) {
  std::vector<const nlohmann::json*> messages;
  for (const auto& packet : test::transcript("11.0.0")["packets"]) {
    if (packet["from"] != role) continue;
    for (const auto& message : packet["messages"]) messages.push_back(&message);
  }
  std::stable_sort(messages.begin(), messages.end(),
                   [](const nlohmann::json* a, const nlohmann::json* b) {
                     return (*a)["message_index"].get<int>() < (*b)["message_index"].get<int>();
                   });
  return messages;
}

TEST(RawSignalingChannel, Transcript11MessagesOpenInOrderAndInflateToTheirJson) {
  auto key = test::transcriptKey("11.0.0");
  for (const std::string sender : {"caller", "callee"}) {
    RawSignalingChannel receiver(key, /*isOutgoing=*/sender == "callee");
    const auto messages = messagesFrom(sender);
    ASSERT_EQ(messages.size(), 5u) << sender;
    uint32_t expectedSeq = 1;
    for (const auto* message : messages) {
      const Bytes packet = fromHex((*message)["encrypted_hex"].get<std::string>());
      const Bytes body = fromHex((*message)["decrypted_body_hex"].get<std::string>());
      ASSERT_EQ((*message)["seq"].get<uint32_t>(), expectedSeq);
      EXPECT_EQ(toHex(ByteView(body).first(4)),
                toHex(std::array<uint8_t, 4>{0, 0, 0, static_cast<uint8_t>(expectedSeq)}));
      std::optional<Bytes> payload = receiver.open(packet);
      ASSERT_TRUE(payload) << sender << " seq " << expectedSeq;
      EXPECT_EQ(*payload, Bytes(body.begin() + 4, body.end()));
      EXPECT_EQ(toHex(ByteView(*payload).first(10)), "1f8b0800000000000203");
      std::optional<Bytes> json = maybeInflate(*payload);
      ASSERT_TRUE(json);
      EXPECT_EQ(toString(*json), (*message)["json_text"].get<std::string>());
      // Our compressor reproduces upstream's payload byte for byte (zlib 1.2.13 here; another
      // zlib may legitimately differ, in which case only the inflated text must match).
      EXPECT_EQ(toHex(gzipCompress(*json)), toHex(*payload)) << "zlib " << zlibVersion();
      EXPECT_FALSE(receiver.open(packet)) << "replay accepted";
      ++expectedSeq;
    }
  }
}

TEST(RawSignalingChannel, Transcript11IsReproducedByteForByteBySealingGzippedJson) {
  // Needs zlib 1.2.13 (Debian 12) for identical deflate output; the header check and the
  // inflate test above hold with any zlib.
  auto key = test::transcriptKey("11.0.0");
  for (const std::string sender : {"caller", "callee"}) {
    RawSignalingChannel channel(key, /*isOutgoing=*/sender == "caller");
    for (const auto* message : messagesFrom(sender)) {
      const Bytes payload = gzipCompress(asBytes((*message)["json_text"].get<std::string>()));
      EXPECT_EQ(toHex(channel.seal(payload)), (*message)["encrypted_hex"].get<std::string>())
          << sender << " seq " << (*message)["seq"].get<int>();
    }
  }
}

TEST(RawSignalingChannel, SealMatchesSpecVectorTv41) {
  RawSignalingChannel caller(test::sequentialKey(), true);
  EXPECT_EQ(toHex(caller.seal(asBytes(R"({"@type":"Candidates","candidates":[]})"))),
            "b7639f46c1f2138d49c88df16086c9e551db8b91ab22224cda0784807bee96b8"
            "10a5bd66fca7c2618f4294276146dd4694411c0f6d8e782c2ca0");
}

TEST(RawSignalingChannel, SequenceNumbersCountFromOne) {
  auto key = test::sequentialKey();
  RawSignalingChannel callee(key, false);
  for (uint8_t seq = 1; seq <= 5; ++seq) {
    std::optional<Bytes> plaintext = decryptPacket(*key, 136, callee.seal(asBytes("{}")));
    ASSERT_TRUE(plaintext);
    EXPECT_EQ(toHex(*plaintext), toHex(std::array<uint8_t, 6>{0, 0, 0, seq, '{', '}'}));
  }
}

TEST(RawSignalingChannel, ReplaysAndPacketsOutsideTheWindowAreDropped) {
  auto key = test::sequentialKey();
  RawSignalingChannel caller(key, true);
  RawSignalingChannel callee(key, false);
  std::vector<Bytes> packets;
  for (int i = 0; i < 100; ++i) packets.push_back(caller.seal(asBytes(std::to_string(i))));
  ASSERT_TRUE(callee.open(packets[99]));  // seq 100
  EXPECT_FALSE(callee.open(packets[99]));
  EXPECT_FALSE(callee.open(packets[0]));                 // seq 1: 1 + 64 <= 100
  EXPECT_FALSE(callee.open(packets[35]));                // seq 36: 36 + 64 <= 100
  std::optional<Bytes> late = callee.open(packets[36]);  // seq 37: inside the window
  ASSERT_TRUE(late);
  EXPECT_EQ(toString(*late), "36");
  EXPECT_FALSE(callee.open(packets[36]));
}

TEST(RawSignalingChannel, RejectsOwnPacketsAndTamperedPackets) {
  auto key = test::sequentialKey();
  RawSignalingChannel caller(key, true);
  const Bytes packet = caller.seal(asBytes("{\"x\":1}"));
  EXPECT_FALSE(caller.open(packet));
  RawSignalingChannel callee(key, false);
  Bytes tampered = packet;
  tampered.back() ^= 1;
  EXPECT_FALSE(callee.open(tampered));
  EXPECT_TRUE(callee.open(packet));  // the tampered copy did not consume the sequence number
}

TEST(RawSignalingChannel, RejectsNullKey) {
  EXPECT_THROW(RawSignalingChannel(nullptr, true), CryptoError);
}

}  // namespace
}  // namespace tgcalls
