#include "engine/sctp_message_reassembler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

#include "crypto/gzip_codec.h"
#include "crypto/raw_signaling_channel.h"
#include "sctp_test_packets.h"
#include "test_support.h"

namespace tgcalls {
namespace {

using test::DataChunkSpec;
using test::fromHex;
using test::sctpDataChunk;
using test::sctpPacket;
using test::toHex;

const char* const kSenders[] = {"caller", "callee"};

// The units of one sender of the 11.0.0 transcript, in emission (= delivery) order.
std::vector<const nlohmann::json*> packetsFrom(const std::string& sender) {
  std::vector<const nlohmann::json*> packets;
  for (const nlohmann::json& packet : test::transcript("11.0.0")["packets"]) {
    if (packet["from"] == sender) packets.push_back(&packet);
  }
  std::stable_sort(packets.begin(), packets.end(),
                   [](const nlohmann::json* a, const nlohmann::json* b) {
                     return (*a)["from_index"].get<int>() < (*b)["from_index"].get<int>();
                   });
  return packets;
}

// Parses and feeds one packet; the packet bytes must stay alive only for the call.
std::vector<SctpUserMessage> feed(SctpMessageReassembler& reassembler, ByteView bytes) {
  const std::optional<SctpPacket> packet = parseSctpPacket(bytes);
  if (!packet) return {};
  return reassembler.addPacket(*packet);
}

SctpDataChunk dataChunk(const DataChunkSpec& spec, ByteView userData) {
  return SctpDataChunk{.tsn = spec.tsn,
                       .streamId = spec.streamId,
                       .ssn = spec.ssn,
                       .ppid = spec.ppid,
                       .immediate = false,
                       .unordered = spec.unordered,
                       .beginning = spec.beginning,
                       .ending = spec.ending,
                       .userData = userData};
}

Bytes patternBytes(std::size_t size, uint8_t seed) {
  Bytes out(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<uint8_t>(seed + i * 31 + i / 7);
  return out;
}

TEST(SctpMessageReassembler, Transcript11YieldsTheRecordedMessagesPerSender) {
  for (const std::string sender : kSenders) {
    SCOPED_TRACE(sender);
    SctpMessageReassembler reassembler;
    std::size_t messageCount = 0;
    for (const nlohmann::json* recorded : packetsFrom(sender)) {
      SCOPED_TRACE("packet " + std::to_string((*recorded)["index"].get<int>()));
      const Bytes bytes = fromHex((*recorded)["hex"].get<std::string>());
      const std::vector<SctpUserMessage> messages = feed(reassembler, bytes);
      const nlohmann::json& expected = (*recorded)["messages"];
      ASSERT_EQ(messages.size(), expected.size());
      for (std::size_t i = 0; i < messages.size(); ++i) {
        EXPECT_EQ(expected[i]["message_index"].get<std::size_t>(), messageCount++);
        EXPECT_EQ(messages[i].streamId, expected[i]["stream"].get<int>());
        EXPECT_EQ(messages[i].ssn, expected[i]["ssn"].get<int>());
        EXPECT_EQ(messages[i].ppid, expected[i]["ppid"].get<uint32_t>());
        EXPECT_FALSE(messages[i].unordered);
        EXPECT_EQ(messages[i].tsns, expected[i]["tsns"].get<std::vector<uint32_t>>());
        EXPECT_EQ(messages[i].payload.size(), expected[i]["length"].get<std::size_t>());
        EXPECT_EQ(toHex(messages[i].payload), expected[i]["encrypted_hex"].get<std::string>());
      }
    }
    EXPECT_EQ(messageCount, 5u);
    EXPECT_EQ(reassembler.bufferedBytes(), 0u);
    EXPECT_EQ(reassembler.stats().duplicateChunks, 0u);

    // Delivering everything again (as after a retransmission storm) yields nothing new.
    for (const nlohmann::json* recorded : packetsFrom(sender)) {
      EXPECT_TRUE(feed(reassembler, fromHex((*recorded)["hex"].get<std::string>())).empty());
    }
    EXPECT_EQ(reassembler.stats().duplicateChunks, 5u);
  }
}

// Through the passive decoder. The receive path of calls (dcsctp inside SctpSignalingTransport)
// gets the same transcript in test/engine-sctp-replay.test.ts, through the addon.
TEST(SctpMessageReassembler, Transcript11EndToEndYieldsTheRecordedJsonInOrder) {
  auto key = test::transcriptKey("11.0.0");
  for (const std::string sender : kSenders) {
    SCOPED_TRACE(sender);
    std::vector<std::pair<int, std::string>> expected;
    for (const nlohmann::json* recorded : packetsFrom(sender)) {
      for (const nlohmann::json& message : (*recorded)["messages"]) {
        expected.emplace_back(message["message_index"].get<int>(),
                              message["json_text"].get<std::string>());
      }
    }
    std::sort(expected.begin(), expected.end());
    ASSERT_EQ(expected.size(), 5u);

    // The receiver is the other side: it is the caller (isOutgoing) when the callee sent.
    RawSignalingChannel receiver(key, /*isOutgoing=*/std::string(sender) == "callee");
    SctpMessageReassembler reassembler;
    std::vector<std::string> received;
    for (const nlohmann::json* recorded : packetsFrom(sender)) {
      const Bytes bytes = fromHex((*recorded)["hex"].get<std::string>());
      for (const SctpUserMessage& message : feed(reassembler, bytes)) {
        std::optional<Bytes> payload = receiver.open(message.payload);
        ASSERT_TRUE(payload);
        std::optional<Bytes> json = maybeInflate(*payload);
        ASSERT_TRUE(json);
        received.push_back(test::toString(*json));
      }
    }
    ASSERT_EQ(received.size(), expected.size());
    for (std::size_t i = 0; i < received.size(); ++i) {
      EXPECT_EQ(received[i], expected[i].second) << "message " << i;
    }
  }
}

TEST(SctpMessageReassembler, FragmentedMessageOutOfOrderWithDuplicate) {
  // 3000 bytes in dcsctp's largest fragments (1163 bytes of user data at MTU 1191).
  const Bytes message = patternBytes(3000, 7);
  const ByteView view(message);
  const uint32_t firstTsn = 15180840;
  const Bytes first = sctpPacket(
      9, {sctpDataChunk({.tsn = firstTsn, .ssn = 2, .ending = false}, view.subspan(0, 1163))});
  const Bytes middle = sctpPacket(
      9, {sctpDataChunk({.tsn = firstTsn + 1, .ssn = 2, .beginning = false, .ending = false},
                        view.subspan(1163, 1163))});
  const Bytes last = sctpPacket(
      9, {sctpDataChunk({.tsn = firstTsn + 2, .ssn = 2, .beginning = false}, view.subspan(2326))});

  SctpMessageReassembler reassembler;
  EXPECT_TRUE(feed(reassembler, last).empty());
  EXPECT_TRUE(feed(reassembler, first).empty());
  EXPECT_TRUE(feed(reassembler, first).empty());  // duplicate
  EXPECT_EQ(reassembler.bufferedFragmentCount(), 2u);
  EXPECT_EQ(reassembler.stats().duplicateChunks, 1u);

  const std::vector<SctpUserMessage> messages = feed(reassembler, middle);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].streamId, 0);
  EXPECT_EQ(messages[0].ssn, 2);
  EXPECT_EQ(messages[0].ppid, 53u);
  EXPECT_FALSE(messages[0].unordered);
  EXPECT_EQ(messages[0].tsns, (std::vector<uint32_t>{firstTsn, firstTsn + 1, firstTsn + 2}));
  EXPECT_EQ(messages[0].payload, message);
  EXPECT_EQ(reassembler.bufferedBytes(), 0u);
  EXPECT_EQ(reassembler.bufferedFragmentCount(), 0u);

  // Retransmissions after delivery deliver nothing and buffer nothing.
  EXPECT_TRUE(feed(reassembler, middle).empty());
  EXPECT_TRUE(feed(reassembler, last).empty());
  EXPECT_EQ(reassembler.bufferedFragmentCount(), 0u);
  EXPECT_EQ(reassembler.stats().duplicateChunks, 3u);
}

TEST(SctpMessageReassembler, FragmentsAcrossTheTsnWrap) {
  const Bytes message = patternBytes(30, 1);
  const ByteView view(message);
  SctpMessageReassembler reassembler;
  EXPECT_TRUE(
      reassembler.addChunk(dataChunk({.tsn = 0, .beginning = false}, view.subspan(20))).empty());
  EXPECT_TRUE(
      reassembler.addChunk(dataChunk({.tsn = 0xFFFFFFFE, .ending = false}, view.subspan(0, 10)))
          .empty());
  const auto messages = reassembler.addChunk(
      dataChunk({.tsn = 0xFFFFFFFF, .beginning = false, .ending = false}, view.subspan(10, 10)));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].tsns, (std::vector<uint32_t>{0xFFFFFFFE, 0xFFFFFFFF, 0}));
  EXPECT_EQ(messages[0].payload, message);
}

TEST(SctpMessageReassembler, UnorderedAndOtherStreamsInterleave) {
  const Bytes a = patternBytes(20, 2);
  const Bytes b = patternBytes(30, 3);
  SctpMessageReassembler reassembler;
  // Message A: stream 0, ordered, TSNs 10-11. Message B: stream 1, unordered, TSNs 12-14
  // (unordered fragments carry no meaningful SSN, so theirs differ).
  auto a0 = dataChunk({.tsn = 10, .ssn = 4, .ending = false}, ByteView(a).first(10));
  auto a1 = dataChunk({.tsn = 11, .ssn = 4, .beginning = false}, ByteView(a).subspan(10));
  auto b0 = dataChunk(
      {.tsn = 12, .streamId = 1, .ssn = 0, .ppid = 51, .unordered = true, .ending = false},
      ByteView(b).first(10));
  auto b1 = dataChunk({.tsn = 13,
                       .streamId = 1,
                       .ssn = 1,
                       .ppid = 51,
                       .unordered = true,
                       .beginning = false,
                       .ending = false},
                      ByteView(b).subspan(10, 10));
  auto b2 = dataChunk(
      {.tsn = 14, .streamId = 1, .ssn = 2, .ppid = 51, .unordered = true, .beginning = false},
      ByteView(b).subspan(20));
  EXPECT_TRUE(reassembler.addChunk(b2).empty());
  EXPECT_TRUE(reassembler.addChunk(a0).empty());
  EXPECT_TRUE(reassembler.addChunk(b0).empty());
  auto messages = reassembler.addChunk(a1);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].payload, a);
  EXPECT_EQ(messages[0].ssn, 4);
  messages = reassembler.addChunk(b1);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].payload, b);
  EXPECT_EQ(messages[0].streamId, 1);
  EXPECT_EQ(messages[0].ppid, 51u);
  EXPECT_TRUE(messages[0].unordered);
  EXPECT_EQ(reassembler.bufferedBytes(), 0u);
}

TEST(SctpMessageReassembler, GapsAndMismatchedFragmentsNeverComplete) {
  const Bytes data = patternBytes(10, 4);
  SctpMessageReassembler reassembler;
  // B at 20, E at 22, nothing at 21.
  EXPECT_TRUE(reassembler.addChunk(dataChunk({.tsn = 20, .ending = false}, data)).empty());
  EXPECT_TRUE(reassembler.addChunk(dataChunk({.tsn = 22, .beginning = false}, data)).empty());
  // A middle fragment of another SSN does not join them.
  EXPECT_TRUE(
      reassembler
          .addChunk(dataChunk({.tsn = 21, .ssn = 1, .beginning = false, .ending = false}, data))
          .empty());
  // Neither does one on another stream, or an unordered one.
  EXPECT_TRUE(reassembler.addChunk(dataChunk({.tsn = 30, .ending = false}, data)).empty());
  EXPECT_TRUE(reassembler.addChunk(dataChunk({.tsn = 31, .streamId = 2, .beginning = false}, data))
                  .empty());
  EXPECT_TRUE(reassembler.addChunk(dataChunk({.tsn = 40, .ending = false}, data)).empty());
  EXPECT_TRUE(
      reassembler.addChunk(dataChunk({.tsn = 41, .unordered = true, .beginning = false}, data))
          .empty());
  // A B right after a B, or an E right before an E, starts or ends another message.
  EXPECT_TRUE(reassembler.addChunk(dataChunk({.tsn = 50, .ending = false}, data)).empty());
  EXPECT_TRUE(reassembler.addChunk(dataChunk({.tsn = 51, .ending = false}, data)).empty());
  EXPECT_TRUE(reassembler.addChunk(dataChunk({.tsn = 60, .beginning = false}, data)).empty());
  EXPECT_TRUE(reassembler.addChunk(dataChunk({.tsn = 61, .beginning = false}, data)).empty());
  EXPECT_EQ(reassembler.bufferedFragmentCount(), 11u);
  // The message at 51 completes once its end arrives; 50 stays alone.
  const auto messages = reassembler.addChunk(dataChunk({.tsn = 52, .beginning = false}, data));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].tsns, (std::vector<uint32_t>{51, 52}));
}

TEST(SctpMessageReassembler, OversizedMessagesAreDroppedAndFreeTheirBuffer) {
  SctpMessageReassembler reassembler(SctpReassemblyLimits{.maxMessageSize = 1000});
  const Bytes part = patternBytes(600, 5);
  EXPECT_TRUE(reassembler.addChunk(dataChunk({.tsn = 1}, patternBytes(1001, 0))).empty());
  EXPECT_EQ(reassembler.stats().droppedChunks, 1u);
  EXPECT_TRUE(reassembler.addChunk(dataChunk({.tsn = 2, .ending = false}, part)).empty());
  EXPECT_EQ(reassembler.bufferedFragmentCount(), 1u);
  EXPECT_TRUE(reassembler.addChunk(dataChunk({.tsn = 3, .beginning = false, .ending = false}, part))
                  .empty());
  EXPECT_EQ(reassembler.stats().droppedMessages, 1u);
  EXPECT_EQ(reassembler.bufferedFragmentCount(), 0u);
  EXPECT_EQ(reassembler.bufferedBytes(), 0u);
  // Exactly the limit is fine.
  EXPECT_TRUE(reassembler.addChunk(dataChunk({.tsn = 10, .ending = false}, part)).empty());
  const auto messages =
      reassembler.addChunk(dataChunk({.tsn = 11, .beginning = false}, patternBytes(400, 6)));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].payload.size(), 1000u);
}

TEST(SctpMessageReassembler, BufferedBytesStayWithinTheLimits) {
  const SctpReassemblyLimits limits{
      .maxMessageSize = 262144, .maxBufferedBytesPerStream = 10000, .maxBufferedBytes = 25000};
  SctpMessageReassembler reassembler(limits);
  const Bytes data = patternBytes(1000, 8);
  // First fragments only, each of its own message: none ever completes.
  uint32_t tsn = 100;
  for (uint16_t stream = 0; stream < 4; ++stream) {
    for (int i = 0; i < 20; ++i, tsn += 2) {
      EXPECT_TRUE(
          reassembler.addChunk(dataChunk({.tsn = tsn, .streamId = stream, .ending = false}, data))
              .empty());
      ASSERT_LE(reassembler.bufferedBytes(), limits.maxBufferedBytes);
    }
  }
  const std::size_t perFragment = data.size() + SctpMessageReassembler::kFragmentOverhead;
  // 9 fragments fit a stream's 10000 bytes: streams 0 and 1 fill up to that, stream 2 gets
  // the 5 that fit under the overall 25000, stream 3 none.
  ASSERT_EQ(perFragment, 1064u);
  EXPECT_EQ(reassembler.bufferedFragmentCount(), 9u + 9u + 5u);
  EXPECT_EQ(reassembler.bufferedBytes(), 23 * perFragment);
  EXPECT_LE(reassembler.bufferedBytes(), limits.maxBufferedBytes);
  EXPECT_GT(reassembler.stats().droppedChunks, 0u);

  // A whole message in one chunk needs no buffer and still gets through.
  EXPECT_EQ(reassembler.addChunk(dataChunk({.tsn = tsn++, .streamId = 0}, data)).size(), 1u);

  // Once the TSNs move a window past them, the stuck fragments are let go.
  EXPECT_EQ(reassembler.addChunk(dataChunk({.tsn = tsn + SctpMessageReassembler::kTsnWindow}, data))
                .size(),
            1u);
  EXPECT_EQ(reassembler.bufferedFragmentCount(), 0u);
  EXPECT_EQ(reassembler.bufferedBytes(), 0u);
}

TEST(SctpMessageReassembler, StaleAndEmptyChunksAreIgnored) {
  const Bytes data = patternBytes(10, 9);
  SctpMessageReassembler reassembler;
  const uint32_t highest = 5 + SctpMessageReassembler::kTsnWindow;
  EXPECT_EQ(reassembler.addChunk(dataChunk({.tsn = highest}, data)).size(), 1u);
  EXPECT_TRUE(reassembler.addChunk(dataChunk({.tsn = 5}, data)).empty());
  EXPECT_EQ(reassembler.stats().staleChunks, 1u);
  EXPECT_EQ(reassembler.addChunk(dataChunk({.tsn = 6}, data)).size(), 1u);  // just inside
  EXPECT_TRUE(reassembler.addChunk(dataChunk({.tsn = highest + 1}, {})).empty());
  EXPECT_EQ(reassembler.stats().droppedChunks, 1u);
  // The empty chunk was not taken: its TSN still can be.
  EXPECT_EQ(reassembler.addChunk(dataChunk({.tsn = highest + 1}, data)).size(), 1u);
}

TEST(SctpMessageReassembler, PacketsWithABadChecksumAreIgnored) {
  Bytes bytes = sctpPacket(1, {sctpDataChunk({.tsn = 77}, asBytes("hello"))});
  bytes[20] ^= 1;  // the SSN
  SctpMessageReassembler reassembler;
  EXPECT_TRUE(feed(reassembler, bytes).empty());
  bytes[20] ^= 1;
  const auto messages = feed(reassembler, bytes);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(test::toString(messages[0].payload), "hello");
}

void checkMessages(const std::vector<SctpUserMessage>& messages,
                   const SctpReassemblyLimits& limits) {
  for (const SctpUserMessage& message : messages) {
    ASSERT_FALSE(message.tsns.empty());
    ASSERT_LE(message.payload.size(), limits.maxMessageSize);
    ASSERT_GE(message.payload.size(), message.tsns.size());
    for (std::size_t i = 1; i < message.tsns.size(); ++i) {
      ASSERT_EQ(message.tsns[i], message.tsns[i - 1] + 1);
    }
  }
}

TEST(SctpMessageReassembler, RandomInputNeverCrashesOrExceedsTheLimits) {
  const SctpReassemblyLimits limits{
      .maxMessageSize = 3000, .maxBufferedBytesPerStream = 8000, .maxBufferedBytes = 20000};
  std::mt19937 rng(20240612);
  SctpMessageReassembler fromPackets(limits);
  SctpMessageReassembler fromChunks(limits);
  std::size_t delivered = 0;
  uint32_t base = static_cast<uint32_t>(rng());
  for (std::size_t length = 0; length <= 2000; ++length) {
    // Random bytes as a packet, with a valid checksum so the reassembler looks inside.
    Bytes bytes(length);
    for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng());
    if (length >= kSctpCommonHeaderSize) {
      std::fill(bytes.begin() + 8, bytes.begin() + 12, 0);
      const uint32_t checksum = crc32c(bytes);
      for (int i = 0; i < 4; ++i) bytes[8 + i] = static_cast<uint8_t>(checksum >> (8 * i));
    }
    checkMessages(feed(fromPackets, bytes), limits);

    // Fragments with TSNs near each other, so that runs form, break and overflow.
    const uint8_t flags = static_cast<uint8_t>(rng());
    const Bytes userData(rng() % 1500, static_cast<uint8_t>(length));
    const auto messages =
        fromChunks.addChunk(dataChunk({.tsn = base + static_cast<uint32_t>(rng() % 64),
                                       .streamId = static_cast<uint16_t>(rng() % 3),
                                       .ssn = static_cast<uint16_t>(rng() % 2),
                                       .unordered = (flags & 4) != 0,
                                       .beginning = (flags & 2) != 0,
                                       .ending = (flags & 1) != 0},
                                      userData));
    checkMessages(messages, limits);
    delivered += messages.size();
    if (rng() % 50 == 0) base += static_cast<uint32_t>(rng() % 100000);
    ASSERT_LE(fromChunks.bufferedBytes(), limits.maxBufferedBytes);
    ASSERT_LE(fromPackets.bufferedBytes(), limits.maxBufferedBytes);
  }
  EXPECT_GT(delivered, 0u);
}

}  // namespace
}  // namespace tgcalls
