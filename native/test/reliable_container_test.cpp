#include "crypto/reliable_container.h"

#include <gtest/gtest.h>

#include <string>

#include "test_support.h"

namespace tgcalls {
namespace {

using test::fromHex;
using test::toHex;

std::string kindName(EntryKind kind) {
  switch (kind) {
    case EntryKind::Empty:
      return "empty";
    case EntryKind::Ack:
      return "ack";
    case EntryKind::RawMessage:
      return "raw_message";
    case EntryKind::Binary:
      return "binary";
  }
  return "?";
}

std::string seqHex(uint32_t seq) {
  const uint8_t bytes[4] = {static_cast<uint8_t>(seq >> 24), static_cast<uint8_t>(seq >> 16),
                            static_cast<uint8_t>(seq >> 8), static_cast<uint8_t>(seq)};
  return toHex(bytes);
}

std::string typeName(uint8_t type) {
  char buffer[8];
  std::snprintf(buffer, sizeof(buffer), "0x%02x", type);
  return buffer;
}

TEST(ReliableContainer, Transcript10BodiesParseToTheRecordedEntries) {
  int entries = 0;
  for (const auto& packet : test::transcript("10.0.0")["packets"]) {
    const std::string label = "packet " + std::to_string(packet["index"].get<int>());
    const Bytes body = fromHex(packet["decrypted_body_hex"].get<std::string>());
    std::optional<ParsedContainer> parsed = parseReliableContainer(body);
    ASSERT_TRUE(parsed) << label;
    const auto& expected = packet["parsed"];
    EXPECT_EQ(seqHex(parsed->firstSeq), expected["first_seq_hex"]) << label;
    EXPECT_EQ(parsed->firstSeq & kCounterMask, expected["counter"].get<uint32_t>()) << label;
    ASSERT_EQ(parsed->entries.size(), expected["entries"].size()) << label;
    std::size_t end = 0;
    for (std::size_t i = 0; i < parsed->entries.size(); ++i) {
      const ContainerEntry& entry = parsed->entries[i];
      const auto& want = expected["entries"][i];
      const std::string where = label + " entry " + std::to_string(i);
      EXPECT_EQ(entry.offset, want["offset"].get<std::size_t>()) << where;
      EXPECT_EQ(entry.offset, end) << where;  // entries are contiguous
      end = entry.offset + entry.size;
      EXPECT_EQ(seqHex(entry.seq), want["seq_hex"]) << where;
      EXPECT_EQ(entry.counter(), want["counter"].get<uint32_t>()) << where;
      EXPECT_EQ(entry.singleMessage(), want["single_message"].get<bool>()) << where;
      EXPECT_EQ(entry.requiresAck(), want["requires_ack"].get<bool>()) << where;
      EXPECT_EQ(typeName(entry.type), want["type"]) << where;
      EXPECT_EQ(kindName(entry.kind), want["kind"]) << where;
      if (entry.kind == EntryKind::Ack) {
        EXPECT_EQ(seqHex(entry.seq), want["acked_seq_hex"]) << where;
        EXPECT_EQ(entry.size, 5u) << where;
      }
      if (entry.kind == EntryKind::RawMessage) {
        EXPECT_EQ(entry.body.size(), want["length"].get<std::size_t>()) << where;
        EXPECT_EQ(test::toString(entry.body), want["json_text"].get<std::string>()) << where;
        EXPECT_EQ(entry.size, 9 + entry.body.size()) << where;
      }
      ++entries;
    }
    EXPECT_EQ(end, body.size()) << label;
  }
  EXPECT_EQ(entries, 73);
}

TEST(ReliableContainer, ParsesSpecVectorPlaintexts) {
  // Entry bodies point into the parsed buffer, so each buffer outlives its result.
  const Bytes messageBody =
      fromHex("400000017f0000001d7b224074797065223a226f66666572222c22736470223a22763d30227d");
  auto message = parseReliableContainer(messageBody);
  ASSERT_TRUE(message);
  ASSERT_EQ(message->entries.size(), 1u);
  EXPECT_EQ(test::toString(message->entries[0].body), R"({"@type":"offer","sdp":"v=0"})");

  const Bytes ackBody = fromHex("00000001fe40000001ff");
  auto ack = parseReliableContainer(ackBody);
  ASSERT_TRUE(ack);
  ASSERT_EQ(ack->entries.size(), 2u);
  EXPECT_EQ(ack->entries[0].kind, EntryKind::Empty);
  EXPECT_EQ(ack->entries[1].kind, EntryKind::Ack);
  EXPECT_EQ(ack->entries[1].seq, 0x40000001u);

  // TV-4.4: a single-message audio packet whose body is the rest of the packet.
  const Bytes audioBody = fromHex("8000000105806f0001");
  auto audio = parseReliableContainer(audioBody);
  ASSERT_TRUE(audio);
  ASSERT_EQ(audio->entries.size(), 1u);
  EXPECT_EQ(audio->entries[0].kind, EntryKind::Binary);
  EXPECT_TRUE(audio->entries[0].singleMessage());
  EXPECT_EQ(toHex(audio->entries[0].body), "806f0001");
}

TEST(ReliableContainer, TrailingOneToFourBytesRejectTheWholePacket) {
  const Bytes valid = fromHex("00000001fe40000001ff");
  for (std::size_t extra = 1; extra <= 4; ++extra) {
    Bytes body = valid;
    body.insert(body.end(), extra, 0xFF);
    EXPECT_FALSE(parseReliableContainer(body)) << extra;
  }
}

TEST(ReliableContainer, EmptyOnlyFirstAndAckNeverFirst) {
  EXPECT_FALSE(parseReliableContainer(fromHex("40000001ff")));
  EXPECT_FALSE(parseReliableContainer(fromHex("00000001fe00000002fe")));
  EXPECT_FALSE(
      parseReliableContainer(fromHex("400000017f00000000"
                                     "00000002fe")));
  EXPECT_TRUE(
      parseReliableContainer(fromHex("400000017f00000000"
                                     "40000005ff")));
}

TEST(ReliableContainer, SingleMessageFlagRequiresTheOnlyEntry) {
  EXPECT_TRUE(
      parseReliableContainer(fromHex("c00000017f00000002"
                                     "7b7d")));
  EXPECT_FALSE(
      parseReliableContainer(fromHex("c00000017f00000002"
                                     "7b7d"
                                     "40000001ff")));
  EXPECT_FALSE(
      parseReliableContainer(fromHex("00000001fe"
                                     "c0000002ff")));
  EXPECT_FALSE(
      parseReliableContainer(fromHex("00000001fe"
                                     "c00000027f00000000")));
  EXPECT_FALSE(
      parseReliableContainer(fromHex("8000000104"
                                     "01"
                                     "40000001ff")));
}

TEST(ReliableContainer, RawMessageLengthIsBoundedAndChecked) {
  EXPECT_FALSE(parseReliableContainer(fromHex("400000017f00100001")));  // > 1 MiB
  EXPECT_FALSE(parseReliableContainer(fromHex("400000017fffffffff")));
  EXPECT_FALSE(
      parseReliableContainer(fromHex("400000017f00000003"
                                     "7b7d")));                     // truncated
  EXPECT_FALSE(parseReliableContainer(fromHex("400000017f0000")));  // short length
  Bytes oneMiB = fromHex("400000017f00100000");
  oneMiB.resize(oneMiB.size() + (1 << 20), 'x');
  auto parsed = parseReliableContainer(oneMiB);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->entries[0].body.size(), 1u << 20);
}

TEST(ReliableContainer, UnknownTypesAndShortInputsAreRejected) {
  EXPECT_FALSE(parseReliableContainer(Bytes{}));
  EXPECT_FALSE(parseReliableContainer(fromHex("00000001")));
  for (int type : {0x00, 0x0B, 0x10, 0x7E, 0x80, 0xFD}) {
    Bytes body = fromHex("40000001");
    body.push_back(static_cast<uint8_t>(type));
    body.insert(body.end(), 8, 0);
    EXPECT_FALSE(parseReliableContainer(body)) << type;
  }
}

TEST(ReliableContainer, BinaryMessagesHaveTheirSpecifiedLengths) {
  // CandidatesList: 1 candidate "ab", ufrag "u", pwd "pw"; then an ack.
  const Bytes candidates = fromHex(
      "4000000101"
      "01"
      "00000002"
      "6162"
      "00000001"
      "75"
      "00000002"
      "7077"
      "40000009ff");
  auto parsed = parseReliableContainer(candidates);
  ASSERT_TRUE(parsed);
  ASSERT_EQ(parsed->entries.size(), 2u);
  EXPECT_EQ(parsed->entries[0].kind, EntryKind::Binary);
  EXPECT_EQ(parsed->entries[0].size, 5u + 1 + 6 + 5 + 6);
  // VideoFormats: 1 format "v" with 1 parameter ("k", "v"), encodersCount 1.
  EXPECT_TRUE(
      parseReliableContainer(fromHex("4000000102"
                                     "01"
                                     "0000000176"
                                     "01"
                                     "000000016b"
                                     "0000000176"
                                     "01")));
  // A string of 65536 bytes or more is invalid.
  EXPECT_FALSE(
      parseReliableContainer(fromHex("4000000101"
                                     "01"
                                     "00010000")));
  // Media inside a multi-entry packet carries a u16be length.
  const Bytes mediaBody = fromHex(
      "00000001fe"
      "0000000205"
      "0002"
      "aabb");
  auto media = parseReliableContainer(mediaBody);
  ASSERT_TRUE(media);
  EXPECT_EQ(toHex(media->entries[1].body), "0002aabb");
  EXPECT_FALSE(
      parseReliableContainer(fromHex("00000001fe"
                                     "0000000205"
                                     "0003"
                                     "aabb")));
  // Fixed-size messages.
  EXPECT_TRUE(
      parseReliableContainer(fromHex("4000000103"
                                     "4000000204"
                                     "01"
                                     "4000000308"
                                     "00000fa0"
                                     "4000000409"
                                     "00"
                                     "400000050a"
                                     "0100")));
  EXPECT_FALSE(
      parseReliableContainer(fromHex("4000000108"
                                     "0000")));
  // RemoteNetworkStatus alone may omit its second byte.
  EXPECT_TRUE(
      parseReliableContainer(fromHex("c00000010a"
                                     "01")));
  EXPECT_TRUE(
      parseReliableContainer(fromHex("c00000010a"
                                     "0100")));
  EXPECT_FALSE(parseReliableContainer(fromHex("c00000010a")));
}

TEST(ReliableContainer, BodiesPointIntoTheParsedBuffer) {
  const Bytes body = fromHex(
      "400000017f00000002"
      "7b7d");
  auto parsed = parseReliableContainer(body);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->entries[0].body.data(), body.data() + 9);
}

}  // namespace
}  // namespace tgcalls
