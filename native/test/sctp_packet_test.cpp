#include "engine/sctp_packet.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <set>
#include <string>

#include "sctp_test_packets.h"
#include "test_support.h"

namespace tgcalls {
namespace {

using test::appendU16;
using test::appendU32;
using test::fromHex;
using test::sctpChunk;
using test::sctpPacket;
using test::toHex;

std::string hex32(uint32_t value) {
  char text[9];
  std::snprintf(text, sizeof(text), "%08x", value);
  return text;
}

std::string hexFlags(uint8_t flags) {
  char text[5];
  std::snprintf(text, sizeof(text), "0x%02x", flags);
  return text;
}

// The checksum bytes in packet order (least-significant byte first).
std::string checksumHex(uint32_t checksum) {
  Bytes bytes;
  for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<uint8_t>(checksum >> (8 * i)));
  return toHex(bytes);
}

bool viewInside(ByteView view, ByteView buffer) {
  return view.empty() || (view.data() >= buffer.data() &&
                          view.data() + view.size() <= buffer.data() + buffer.size());
}

void expectParametersMatch(const std::vector<SctpParameter>& parameters,
                           const nlohmann::json& recorded) {
  ASSERT_EQ(parameters.size(), recorded.size());
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    const SctpParameter& parameter = parameters[i];
    const nlohmann::json& expected = recorded[i];
    EXPECT_EQ(parameter.type, expected["type"].get<int>());
    EXPECT_EQ(parameter.length, expected["length"].get<int>());
    EXPECT_EQ(parameter.value.size() + 4, parameter.length);
    if (expected.contains("chunk_types")) {
      EXPECT_EQ(std::vector<int>(parameter.value.begin(), parameter.value.end()),
                expected["chunk_types"].get<std::vector<int>>());
    }
    if (expected.contains("value_len")) {
      EXPECT_EQ(parameter.value.size(), expected["value_len"].get<std::size_t>());
    }
    if (expected.contains("value_hex")) {
      EXPECT_EQ(toHex(parameter.value), expected["value_hex"].get<std::string>());
    }
  }
}

void expectChunkMatches(const SctpChunk& chunk, const nlohmann::json& expected) {
  EXPECT_EQ(chunk.type, expected["type"].get<int>());
  EXPECT_EQ(hexFlags(chunk.flags), expected["flags"].get<std::string>());
  EXPECT_EQ(chunk.length, expected["length"].get<int>());
  EXPECT_EQ(chunk.value.size() + 4, chunk.length);
  switch (chunk.type) {
    case kSctpChunkData: {
      const auto* data = std::get_if<SctpDataChunk>(&chunk.fields);
      ASSERT_TRUE(data);
      EXPECT_EQ(data->tsn, expected["tsn"].get<uint32_t>());
      EXPECT_EQ(data->streamId, expected["stream"].get<int>());
      EXPECT_EQ(data->ssn, expected["ssn"].get<int>());
      EXPECT_EQ(data->ppid, expected["ppid"].get<uint32_t>());
      EXPECT_EQ(data->immediate, expected["I"].get<bool>());
      EXPECT_EQ(data->unordered, expected["U"].get<bool>());
      EXPECT_EQ(data->beginning, expected["B"].get<bool>());
      EXPECT_EQ(data->ending, expected["E"].get<bool>());
      EXPECT_EQ(data->userData.size(), expected["user_data_len"].get<std::size_t>());
      break;
    }
    case kSctpChunkInit:
    case kSctpChunkInitAck: {
      const auto* init = std::get_if<SctpInitChunk>(&chunk.fields);
      ASSERT_TRUE(init);
      EXPECT_EQ(hex32(init->initiateTag), expected["initiate_tag_hex"].get<std::string>());
      EXPECT_EQ(init->advertisedReceiverWindow, expected["a_rwnd"].get<uint32_t>());
      EXPECT_EQ(init->outboundStreams, expected["outbound_streams"].get<int>());
      EXPECT_EQ(init->inboundStreams, expected["inbound_streams"].get<int>());
      EXPECT_EQ(init->initialTsn, expected["initial_tsn"].get<uint32_t>());
      expectParametersMatch(init->parameters, expected["parameters"]);
      break;
    }
    case kSctpChunkSack: {
      const auto* sack = std::get_if<SctpSackChunk>(&chunk.fields);
      ASSERT_TRUE(sack);
      EXPECT_EQ(sack->cumulativeTsnAck, expected["cumulative_tsn_ack"].get<uint32_t>());
      EXPECT_EQ(sack->advertisedReceiverWindow, expected["a_rwnd"].get<uint32_t>());
      const nlohmann::json& gaps = expected["gap_ack_blocks"];
      ASSERT_EQ(sack->gapAckBlocks.size(), gaps.size());
      for (std::size_t i = 0; i < gaps.size(); ++i) {
        EXPECT_EQ(sack->gapAckBlocks[i].start, gaps[i][0].get<int>());
        EXPECT_EQ(sack->gapAckBlocks[i].end, gaps[i][1].get<int>());
      }
      EXPECT_EQ(sack->duplicateTsns, expected["duplicate_tsns"].get<std::vector<uint32_t>>());
      break;
    }
    case kSctpChunkCookieEcho: {
      const auto* cookieEcho = std::get_if<SctpCookieEchoChunk>(&chunk.fields);
      ASSERT_TRUE(cookieEcho);
      EXPECT_EQ(cookieEcho->cookie.size(), expected["cookie_len"].get<std::size_t>());
      break;
    }
    case kSctpChunkAbort: {
      const auto* abort = std::get_if<SctpAbortChunk>(&chunk.fields);
      ASSERT_TRUE(abort);
      EXPECT_EQ(abort->tagReflected, expected["T"].get<bool>());
      const nlohmann::json& causes = expected["error_causes"];
      ASSERT_EQ(abort->errorCauses.size(), causes.size());
      for (std::size_t i = 0; i < causes.size(); ++i) {
        const SctpParameter& cause = abort->errorCauses[i];
        EXPECT_EQ(cause.type, causes[i]["cause_code"].get<int>());
        EXPECT_EQ(cause.length, causes[i]["length"].get<int>());
        EXPECT_EQ(toHex(cause.value), causes[i]["info_hex"].get<std::string>());
        if (causes[i].contains("info_text")) {
          EXPECT_EQ(test::toString(cause.value), causes[i]["info_text"].get<std::string>());
        }
      }
      break;
    }
    default:
      EXPECT_TRUE(std::holds_alternative<std::monostate>(chunk.fields));
      if (expected.contains("value_hex")) {
        EXPECT_EQ(toHex(chunk.value), expected["value_hex"].get<std::string>());
      }
  }
}

TEST(SctpPacket, Crc32cMatchesKnownVectors) {
  EXPECT_EQ(crc32c({}), 0x00000000u);
  EXPECT_EQ(crc32c(asBytes("123456789")), 0xE3069283u);  // the standard check value
  // RFC 3720 appendix B.4.
  EXPECT_EQ(crc32c(Bytes(32, 0x00)), 0x8A9136AAu);
  EXPECT_EQ(crc32c(Bytes(32, 0xFF)), 0x62A8AB43u);
  Bytes ascending(32);
  for (int i = 0; i < 32; ++i) ascending[i] = static_cast<uint8_t>(i);
  EXPECT_EQ(crc32c(ascending), 0x46DD794Eu);
}

TEST(SctpPacket, Transcript11PacketsDecodeToTheRecordedHeaderAndChunks) {
  const nlohmann::json& packets = test::transcript("11.0.0")["packets"];
  ASSERT_EQ(packets.size(), 25u);
  std::set<int> chunkTypes;
  for (const nlohmann::json& recorded : packets) {
    SCOPED_TRACE("packet " + std::to_string(recorded["index"].get<int>()));
    const Bytes bytes = fromHex(recorded["hex"].get<std::string>());
    ASSERT_EQ(bytes.size(), recorded["length"].get<std::size_t>());
    const std::optional<SctpPacket> packet = parseSctpPacket(bytes);
    ASSERT_TRUE(packet);
    const nlohmann::json& sctp = recorded["sctp"];
    EXPECT_EQ(packet->sourcePort, sctp["src_port"].get<int>());
    EXPECT_EQ(packet->destinationPort, sctp["dst_port"].get<int>());
    EXPECT_EQ(hex32(packet->verificationTag), sctp["verification_tag_hex"].get<std::string>());
    EXPECT_EQ(checksumHex(packet->checksum), sctp["checksum_hex"].get<std::string>());
    EXPECT_EQ(packet->checksumValid, sctp["crc32c_ok"].get<bool>());
    EXPECT_TRUE(packet->checksumValid);
    Bytes zeroed = bytes;
    std::fill(zeroed.begin() + 8, zeroed.begin() + 12, 0);
    EXPECT_EQ(crc32c(zeroed), packet->checksum);

    ASSERT_EQ(packet->chunks.size(), sctp["chunks"].size());
    for (std::size_t i = 0; i < packet->chunks.size(); ++i) {
      SCOPED_TRACE("chunk " + std::to_string(i));
      expectChunkMatches(packet->chunks[i], sctp["chunks"][i]);
      EXPECT_TRUE(viewInside(packet->chunks[i].value, bytes));
      chunkTypes.insert(packet->chunks[i].type);
    }
  }
  // Every kind the transcript has was compared above.
  EXPECT_EQ(chunkTypes,
            (std::set<int>{kSctpChunkData, kSctpChunkInit, kSctpChunkInitAck, kSctpChunkSack,
                           kSctpChunkAbort, kSctpChunkCookieEcho, kSctpChunkCookieAck}));
}

TEST(SctpPacket, Transcript11EndsWithTheUserInitiatedAbort) {
  const nlohmann::json& packets = test::transcript("11.0.0")["packets"];
  const Bytes bytes = fromHex(packets.back()["hex"].get<std::string>());
  const std::optional<SctpPacket> packet = parseSctpPacket(bytes);
  ASSERT_TRUE(packet);
  ASSERT_EQ(packet->chunks.size(), 1u);
  const auto* abort = std::get_if<SctpAbortChunk>(&packet->chunks[0].fields);
  ASSERT_TRUE(abort);
  EXPECT_FALSE(abort->tagReflected);
  ASSERT_EQ(abort->errorCauses.size(), 1u);
  EXPECT_EQ(abort->errorCauses[0].type, 12);  // User-Initiated Abort
  EXPECT_EQ(test::toString(abort->errorCauses[0].value), "Close called");
}

TEST(SctpPacket, AnyFlippedByteFailsTheChecksum) {
  for (const nlohmann::json& recorded : test::transcript("11.0.0")["packets"]) {
    const Bytes original = fromHex(recorded["hex"].get<std::string>());
    for (std::size_t position = 0; position < original.size(); ++position) {
      for (uint8_t mask : {0x01, 0x80, 0xFF}) {
        Bytes corrupted = original;
        corrupted[position] ^= mask;
        const std::optional<SctpPacket> packet = parseSctpPacket(corrupted);
        // A flipped length or count may break the framing; anything that still parses must
        // fail the checksum (CRC32c detects every error burst of up to 32 bits).
        if (packet) {
          EXPECT_FALSE(packet->checksumValid)
              << "packet " << recorded["index"] << " byte " << position;
        }
        if (position < kSctpCommonHeaderSize) {
          EXPECT_TRUE(packet) << "header is not framing";
        }
      }
    }
  }
}

TEST(SctpPacket, FlippedUserDataByteStillDecodesWithBadChecksum) {
  const nlohmann::json& packet8 = test::transcript("11.0.0")["packets"][8];
  Bytes corrupted = fromHex(packet8["hex"].get<std::string>());
  corrupted[100] ^= 0x20;
  const std::optional<SctpPacket> packet = parseSctpPacket(corrupted);
  ASSERT_TRUE(packet);
  EXPECT_FALSE(packet->checksumValid);
  ASSERT_EQ(packet->chunks.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<SctpDataChunk>(packet->chunks[0].fields));
}

TEST(SctpPacket, TruncationInsideAChunkIsRejected) {
  for (const nlohmann::json& recorded : test::transcript("11.0.0")["packets"]) {
    const Bytes original = fromHex(recorded["hex"].get<std::string>());
    const std::optional<SctpPacket> full = parseSctpPacket(original);
    ASSERT_TRUE(full);
    // Lengths at which a prefix is still a whole packet: from the unpadded to the padded end
    // of any chunk (the last chunk's padding may be missing).
    std::vector<std::pair<std::size_t, std::size_t>> wholePrefixes;
    for (const SctpChunk& chunk : full->chunks) {
      const std::size_t end =
          static_cast<std::size_t>(chunk.value.data() - original.data()) + chunk.value.size();
      wholePrefixes.emplace_back(end, (end + 3) & ~std::size_t{3});
    }
    for (std::size_t length = 0; length < original.size(); ++length) {
      bool whole = false;
      for (auto [from, to] : wholePrefixes) whole = whole || (length >= from && length <= to);
      const std::optional<SctpPacket> truncated = parseSctpPacket(ByteView(original).first(length));
      EXPECT_EQ(truncated.has_value(), whole)
          << "packet " << recorded["index"] << " truncated to " << length;
      if (truncated) {
        EXPECT_FALSE(truncated->checksumValid);
      }
    }
  }
}

TEST(SctpPacket, RejectsBadFraming) {
  const Bytes cookieAck = sctpPacket(1, {sctpChunk(kSctpChunkCookieAck, 0, {})});
  ASSERT_TRUE(parseSctpPacket(cookieAck));
  EXPECT_FALSE(parseSctpPacket(ByteView(cookieAck).first(11)));  // shorter than the header
  EXPECT_FALSE(parseSctpPacket(ByteView(cookieAck).first(12)));  // no chunk

  Bytes lengthThree = cookieAck;
  lengthThree[15] = 3;
  EXPECT_FALSE(parseSctpPacket(lengthThree));
  Bytes pastTheEnd = cookieAck;
  pastTheEnd[15] = 8;
  EXPECT_FALSE(parseSctpPacket(pastTheEnd));

  for (std::size_t extra = 1; extra <= 3; ++extra) {
    Bytes trailing = cookieAck;
    trailing.insert(trailing.end(), extra, 0);
    EXPECT_FALSE(parseSctpPacket(trailing)) << extra << " trailing bytes";
  }
  // Two chunks back to back are fine.
  Bytes twoChunks = sctpPacket(1, {sctpChunk(kSctpChunkCookieAck, 0, {}),
                                   sctpChunk(kSctpChunkHeartbeat, 0, Bytes{0, 1, 0, 5, 7})});
  const std::optional<SctpPacket> packet = parseSctpPacket(twoChunks);
  ASSERT_TRUE(packet);
  ASSERT_EQ(packet->chunks.size(), 2u);
  EXPECT_EQ(packet->chunks[1].length, 9);
  EXPECT_EQ(toHex(packet->chunks[1].value), "0001000507");
  EXPECT_TRUE(packet->checksumValid);
}

TEST(SctpPacket, DecodesChunksTheTranscriptLacks) {
  Bytes sackValue;
  appendU32(sackValue, 1000);
  appendU32(sackValue, 65536);
  appendU16(sackValue, 2);  // gap ack blocks
  appendU16(sackValue, 1);  // duplicate TSNs
  appendU16(sackValue, 2);
  appendU16(sackValue, 3);
  appendU16(sackValue, 5);
  appendU16(sackValue, 9);
  appendU32(sackValue, 998);
  Bytes abortValue;
  appendU16(abortValue, 1);  // Invalid Stream Identifier
  appendU16(abortValue, 8);
  appendU32(abortValue, 0x00070000);
  const Bytes bytes = sctpPacket(
      7, {sctpChunk(kSctpChunkSack, 0, sackValue),
          test::sctpDataChunk({.tsn = 5,
                               .streamId = 3,
                               .ssn = 9,
                               .ppid = 51,
                               .unordered = true,
                               .beginning = false,
                               .ending = true},
                              asBytes("xyz")),
          sctpChunk(kSctpChunkAbort, 0x01, abortValue), sctpChunk(0x80, 0xAB, Bytes{1, 2})});
  const std::optional<SctpPacket> packet = parseSctpPacket(bytes);
  ASSERT_TRUE(packet);
  EXPECT_TRUE(packet->checksumValid);
  EXPECT_EQ(packet->verificationTag, 7u);
  ASSERT_EQ(packet->chunks.size(), 4u);

  const auto& sack = std::get<SctpSackChunk>(packet->chunks[0].fields);
  EXPECT_EQ(sack.cumulativeTsnAck, 1000u);
  EXPECT_EQ(sack.advertisedReceiverWindow, 65536u);
  ASSERT_EQ(sack.gapAckBlocks.size(), 2u);
  EXPECT_EQ(sack.gapAckBlocks[1].start, 5);
  EXPECT_EQ(sack.gapAckBlocks[1].end, 9);
  EXPECT_EQ(sack.duplicateTsns, std::vector<uint32_t>{998});

  const auto& data = std::get<SctpDataChunk>(packet->chunks[1].fields);
  EXPECT_EQ(packet->chunks[1].flags, 0x05);
  EXPECT_EQ(packet->chunks[1].length, 19);
  EXPECT_EQ(data.tsn, 5u);
  EXPECT_EQ(data.streamId, 3);
  EXPECT_EQ(data.ssn, 9);
  EXPECT_EQ(data.ppid, 51u);
  EXPECT_TRUE(data.unordered);
  EXPECT_FALSE(data.beginning);
  EXPECT_TRUE(data.ending);
  EXPECT_FALSE(data.immediate);
  EXPECT_EQ(test::toString(data.userData), "xyz");

  const auto& abort = std::get<SctpAbortChunk>(packet->chunks[2].fields);
  EXPECT_TRUE(abort.tagReflected);
  ASSERT_EQ(abort.errorCauses.size(), 1u);
  EXPECT_EQ(abort.errorCauses[0].type, 1);
  EXPECT_EQ(toHex(abort.errorCauses[0].value), "00070000");

  EXPECT_EQ(packet->chunks[3].type, 0x80);
  EXPECT_EQ(packet->chunks[3].flags, 0xAB);
  EXPECT_EQ(toHex(packet->chunks[3].value), "0102");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(packet->chunks[3].fields));
}

TEST(SctpPacket, RejectsMalformedChunkValues) {
  auto parses = [](uint8_t type, const Bytes& value) {
    return parseSctpPacket(sctpPacket(1, {sctpChunk(type, 0, value)})).has_value();
  };
  // DATA needs its 12-byte fixed part; no user data still decodes (refusing it is the
  // receiver's business).
  EXPECT_FALSE(parses(kSctpChunkData, Bytes(11, 0)));
  EXPECT_TRUE(parses(kSctpChunkData, Bytes(12, 0)));
  // INIT: 16-byte fixed part, then whole parameters (the last one's padding may be missing).
  EXPECT_FALSE(parses(kSctpChunkInit, Bytes(15, 0)));
  EXPECT_TRUE(parses(kSctpChunkInit, Bytes(16, 0)));
  Bytes init(16, 0);
  appendU16(init, 0x8008);
  appendU16(init, 6);
  init.push_back(0x82);
  init.push_back(0xC0);
  EXPECT_TRUE(parses(kSctpChunkInitAck, init));
  Bytes overrun = init;
  overrun[19] = 7;  // parameter longer than the chunk
  EXPECT_FALSE(parses(kSctpChunkInit, overrun));
  Bytes tooShort = init;
  tooShort[19] = 3;  // parameter length below its header
  EXPECT_FALSE(parses(kSctpChunkInit, tooShort));
  Bytes strayBytes = init;
  strayBytes.insert(strayBytes.end(), {0, 0, 0, 0, 0});  // padding, then a partial header
  EXPECT_FALSE(parses(kSctpChunkInit, strayBytes));
  // SACK: the counts must account for the chunk exactly.
  Bytes sack(12, 0);
  EXPECT_TRUE(parses(kSctpChunkSack, sack));
  sack[9] = 1;  // one gap block announced, none present
  EXPECT_FALSE(parses(kSctpChunkSack, sack));
  sack.insert(sack.end(), 4, 0);
  EXPECT_TRUE(parses(kSctpChunkSack, sack));
  sack.insert(sack.end(), 4, 0);
  EXPECT_FALSE(parses(kSctpChunkSack, sack));
  EXPECT_FALSE(parses(kSctpChunkSack, Bytes(11, 0)));
  // ABORT causes are TLVs too.
  EXPECT_TRUE(parses(kSctpChunkAbort, {}));
  EXPECT_FALSE(parses(kSctpChunkAbort, Bytes{0, 12, 0, 9, 1, 2, 3, 4}));
  // Unknown types and chunks without fields accept anything.
  EXPECT_TRUE(parses(kSctpChunkHeartbeat, Bytes{1}));
  EXPECT_TRUE(parses(0xFF, Bytes(3, 0)));
}

Bytes randomBytes(std::mt19937& rng, std::size_t size) {
  Bytes out(size);
  for (uint8_t& b : out) b = static_cast<uint8_t>(rng());
  return out;
}

// Random TLVs (parameters or error causes), each one occasionally given a wrong length.
Bytes randomTlvs(std::mt19937& rng) {
  Bytes out;
  for (std::size_t count = rng() % 4; count > 0; --count) {
    const Bytes value = randomBytes(rng, rng() % 12);
    appendU16(out, static_cast<uint16_t>(rng()));
    appendU16(out, static_cast<uint16_t>(4 + value.size() + (rng() % 16 == 0 ? rng() % 5 : 0)));
    out.insert(out.end(), value.begin(), value.end());
    while (out.size() % 4 != 0) out.push_back(0);
  }
  return out;
}

// A packet of up to `size` bytes whose framing is mostly right, so that parsing gets past the
// chunk headers into the chunk decoders: known types with plausible values, lengths
// occasionally off, the last chunk occasionally cut.
Bytes structuredPacket(std::mt19937& rng, std::size_t size) {
  static const uint8_t kTypes[] = {kSctpChunkData,      kSctpChunkInit,      kSctpChunkInitAck,
                                   kSctpChunkSack,      kSctpChunkAbort,     kSctpChunkCookieEcho,
                                   kSctpChunkCookieAck, kSctpChunkHeartbeat, kSctpChunkForwardTsn,
                                   kSctpChunkReconfig};
  Bytes out = randomBytes(rng, kSctpCommonHeaderSize);
  while (out.size() < size) {
    const uint8_t type = kTypes[rng() % std::size(kTypes)];
    Bytes value;
    if (type == kSctpChunkData) {
      value = randomBytes(rng, 12 + rng() % 40);
    } else if (type == kSctpChunkInit || type == kSctpChunkInitAck) {
      value = randomBytes(rng, 16);
      const Bytes parameters = randomTlvs(rng);
      value.insert(value.end(), parameters.begin(), parameters.end());
    } else if (type == kSctpChunkSack) {
      value = randomBytes(rng, 8);
      const std::size_t gaps = rng() % 4;
      const std::size_t duplicates = rng() % 4;
      appendU16(value, static_cast<uint16_t>(gaps));
      appendU16(value, static_cast<uint16_t>(duplicates));
      const Bytes entries = randomBytes(rng, 4 * (gaps + duplicates));
      value.insert(value.end(), entries.begin(), entries.end());
    } else if (type == kSctpChunkAbort) {
      value = randomTlvs(rng);
    } else {
      value = randomBytes(rng, rng() % 48);
    }
    Bytes chunk = sctpChunk(type, static_cast<uint8_t>(rng()), value);
    if (rng() % 16 == 0) chunk[3] = static_cast<uint8_t>(chunk[3] + rng() % 5 - 2);
    if (out.size() + chunk.size() > size) {
      if (rng() % 4 == 0) out.insert(out.end(), chunk.begin(), chunk.begin() + (size - out.size()));
      break;
    }
    out.insert(out.end(), chunk.begin(), chunk.end());
  }
  return out;
}

void checkInvariants(ByteView input) {
  const std::optional<SctpPacket> packet = parseSctpPacket(input);
  if (!packet) return;
  ASSERT_GE(input.size(), kSctpCommonHeaderSize + 4);
  ASSERT_FALSE(packet->chunks.empty());
  for (const SctpChunk& chunk : packet->chunks) {
    ASSERT_TRUE(viewInside(chunk.value, input));
    ASSERT_EQ(chunk.value.size() + 4, chunk.length);
    if (const auto* data = std::get_if<SctpDataChunk>(&chunk.fields)) {
      ASSERT_TRUE(viewInside(data->userData, input));
      ASSERT_EQ(data->userData.size() + 16, chunk.length);
    }
    if (const auto* init = std::get_if<SctpInitChunk>(&chunk.fields)) {
      for (const SctpParameter& parameter : init->parameters) {
        ASSERT_TRUE(viewInside(parameter.value, chunk.value));
      }
    }
    if (const auto* sack = std::get_if<SctpSackChunk>(&chunk.fields)) {
      ASSERT_EQ(chunk.length, 16 + 4 * (sack->gapAckBlocks.size() + sack->duplicateTsns.size()));
    }
  }
}

TEST(SctpPacket, RandomBytesOfEveryLengthNeverCrashTheParser) {
  std::mt19937 rng(20240611);
  std::size_t parsedStructured = 0;
  for (std::size_t length = 0; length <= 2000; ++length) {
    for (int sample = 0; sample < 4; ++sample) {
      checkInvariants(randomBytes(rng, length));
      const Bytes structured = structuredPacket(rng, length);
      checkInvariants(structured);
      parsedStructured += parseSctpPacket(structured).has_value();
    }
  }
  // The structured inputs must actually reach the chunk decoders.
  EXPECT_GT(parsedStructured, 2000u);
}

}  // namespace
}  // namespace tgcalls
