#include "engine/sctp_packet.h"

#include <algorithm>
#include <array>
#include <utility>

namespace tgcalls {
namespace {

constexpr std::size_t kChunkHeaderSize = 4;
constexpr std::size_t kTlvHeaderSize = 4;
constexpr std::size_t kDataFixedSize = 12;  // after the chunk header: TSN, stream, SSN, PPID
constexpr std::size_t kInitFixedSize = 16;  // tag, a_rwnd, streams, initial TSN
constexpr std::size_t kSackFixedSize = 12;  // cumulative TSN ack, a_rwnd, two counts
constexpr std::size_t kChecksumOffset = 8;

constexpr std::array<uint32_t, 256> makeCrc32cTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t crc = i;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ ((crc & 1) ? 0x82F63B78u : 0);
    table[i] = crc;
  }
  return table;
}

constexpr std::array<uint32_t, 256> kCrc32cTable = makeCrc32cTable();

// Runs the register over `data` without the initial and final XOR, so the checksum of a packet
// can be computed piecewise around its checksum field.
uint32_t crc32cUpdate(uint32_t crc, ByteView data) {
  for (uint8_t byte : data) crc = (crc >> 8) ^ kCrc32cTable[(crc ^ byte) & 0xFF];
  return crc;
}

uint16_t readU16(ByteView bytes, std::size_t offset) {
  return static_cast<uint16_t>((bytes[offset] << 8) | bytes[offset + 1]);
}

uint32_t readU32(ByteView bytes, std::size_t offset) {
  return (uint32_t{bytes[offset]} << 24) | (uint32_t{bytes[offset + 1]} << 16) |
         (uint32_t{bytes[offset + 2]} << 8) | uint32_t{bytes[offset + 3]};
}

// Chunks, parameters and error causes are padded to a multiple of 4 bytes (RFC 9260 §3.2).
std::size_t paddedLength(std::size_t length) { return (length + 3) & ~std::size_t{3}; }

// Parameters of INIT/INIT_ACK and error causes of ABORT: a list of type-length-value items
// filling `bytes`. The last item's padding may be absent (RFC 9260 §3.2: chunk lengths exclude
// the padding of the last parameter); anything else that is not a whole TLV makes it malformed.
std::optional<std::vector<SctpParameter>> parseTlvList(ByteView bytes) {
  std::vector<SctpParameter> items;
  std::size_t offset = 0;
  while (offset < bytes.size()) {
    const std::size_t remaining = bytes.size() - offset;
    if (remaining < kTlvHeaderSize) return std::nullopt;
    const uint16_t length = readU16(bytes, offset + 2);
    if (length < kTlvHeaderSize || length > remaining) return std::nullopt;
    items.push_back(SctpParameter{
        .type = readU16(bytes, offset),
        .length = length,
        .value = bytes.subspan(offset + kTlvHeaderSize, length - kTlvHeaderSize),
    });
    offset += paddedLength(length);
  }
  return items;
}

std::optional<SctpDataChunk> parseData(uint8_t flags, ByteView value) {
  if (value.size() < kDataFixedSize) return std::nullopt;
  return SctpDataChunk{
      .tsn = readU32(value, 0),
      .streamId = readU16(value, 4),
      .ssn = readU16(value, 6),
      .ppid = readU32(value, 8),
      .immediate = (flags & 0x08) != 0,
      .unordered = (flags & 0x04) != 0,
      .beginning = (flags & 0x02) != 0,
      .ending = (flags & 0x01) != 0,
      .userData = value.subspan(kDataFixedSize),
  };
}

std::optional<SctpInitChunk> parseInit(ByteView value) {
  if (value.size() < kInitFixedSize) return std::nullopt;
  std::optional<std::vector<SctpParameter>> parameters = parseTlvList(value.subspan(16));
  if (!parameters) return std::nullopt;
  return SctpInitChunk{
      .initiateTag = readU32(value, 0),
      .advertisedReceiverWindow = readU32(value, 4),
      .outboundStreams = readU16(value, 8),
      .inboundStreams = readU16(value, 10),
      .initialTsn = readU32(value, 12),
      .parameters = std::move(*parameters),
  };
}

std::optional<SctpSackChunk> parseSack(ByteView value) {
  if (value.size() < kSackFixedSize) return std::nullopt;
  const std::size_t gapCount = readU16(value, 8);
  const std::size_t duplicateCount = readU16(value, 10);
  // The counts must account for the chunk exactly; checking before reserving also keeps a
  // forged count from sizing the vectors.
  if (value.size() != kSackFixedSize + 4 * (gapCount + duplicateCount)) return std::nullopt;
  SctpSackChunk sack;
  sack.cumulativeTsnAck = readU32(value, 0);
  sack.advertisedReceiverWindow = readU32(value, 4);
  sack.gapAckBlocks.reserve(gapCount);
  sack.duplicateTsns.reserve(duplicateCount);
  std::size_t offset = kSackFixedSize;
  for (std::size_t i = 0; i < gapCount; ++i, offset += 4) {
    sack.gapAckBlocks.push_back({readU16(value, offset), readU16(value, offset + 2)});
  }
  for (std::size_t i = 0; i < duplicateCount; ++i, offset += 4) {
    sack.duplicateTsns.push_back(readU32(value, offset));
  }
  return sack;
}

std::optional<SctpAbortChunk> parseAbort(uint8_t flags, ByteView value) {
  std::optional<std::vector<SctpParameter>> causes = parseTlvList(value);
  if (!causes) return std::nullopt;
  return SctpAbortChunk{.tagReflected = (flags & 0x01) != 0, .errorCauses = std::move(*causes)};
}

// Fills chunk.fields for the types that have them; false if such a chunk is malformed.
bool decodeChunkFields(SctpChunk& chunk) {
  auto assign = [&chunk](auto&& decoded) {
    if (!decoded) return false;
    chunk.fields = std::move(*decoded);
    return true;
  };
  switch (chunk.type) {
    case kSctpChunkData:
      return assign(parseData(chunk.flags, chunk.value));
    case kSctpChunkInit:
    case kSctpChunkInitAck:
      return assign(parseInit(chunk.value));
    case kSctpChunkSack:
      return assign(parseSack(chunk.value));
    case kSctpChunkCookieEcho:
      chunk.fields = SctpCookieEchoChunk{.cookie = chunk.value};
      return true;
    case kSctpChunkAbort:
      return assign(parseAbort(chunk.flags, chunk.value));
    default:
      return true;
  }
}

}  // namespace

uint32_t crc32c(ByteView data) { return crc32cUpdate(0xFFFFFFFFu, data) ^ 0xFFFFFFFFu; }

std::optional<SctpPacket> parseSctpPacket(ByteView packet) {
  if (packet.size() < kSctpCommonHeaderSize) return std::nullopt;

  SctpPacket parsed;
  parsed.sourcePort = readU16(packet, 0);
  parsed.destinationPort = readU16(packet, 2);
  parsed.verificationTag = readU32(packet, 4);
  parsed.checksum = uint32_t{packet[8]} | (uint32_t{packet[9]} << 8) |
                    (uint32_t{packet[10]} << 16) | (uint32_t{packet[11]} << 24);
  static constexpr std::array<uint8_t, 4> kZeroChecksum{};
  uint32_t crc = crc32cUpdate(0xFFFFFFFFu, packet.first(kChecksumOffset));
  crc = crc32cUpdate(crc, kZeroChecksum);
  crc = crc32cUpdate(crc, packet.subspan(kSctpCommonHeaderSize)) ^ 0xFFFFFFFFu;
  parsed.checksumValid = crc == parsed.checksum;

  std::size_t offset = kSctpCommonHeaderSize;
  while (offset < packet.size()) {
    const std::size_t remaining = packet.size() - offset;
    if (remaining < kChunkHeaderSize) return std::nullopt;
    const uint16_t length = readU16(packet, offset + 2);
    if (length < kChunkHeaderSize || length > remaining) return std::nullopt;
    SctpChunk chunk;
    chunk.type = packet[offset];
    chunk.flags = packet[offset + 1];
    chunk.length = length;
    chunk.value = packet.subspan(offset + kChunkHeaderSize, length - kChunkHeaderSize);
    if (!decodeChunkFields(chunk)) return std::nullopt;
    parsed.chunks.push_back(std::move(chunk));
    // The last chunk's padding may be cut off by the end of the packet.
    offset += std::min(remaining, paddedLength(length));
  }
  // RFC 9260 §3: a packet carries one or more chunks.
  if (parsed.chunks.empty()) return std::nullopt;
  return parsed;
}

}  // namespace tgcalls
