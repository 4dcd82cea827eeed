// Builds SCTP packets for the decoder tests (sctp_packet_test.cpp,
// sctp_message_reassembler_test.cpp): the transcript has no fragmented, unordered or malformed
// traffic, so those cases are made here.
#pragma once

#include <cstdint>
#include <vector>

#include "crypto/bytes.h"
#include "engine/sctp_packet.h"

namespace tgcalls::test {

inline void appendU16(Bytes& out, uint16_t value) {
  out.push_back(static_cast<uint8_t>(value >> 8));
  out.push_back(static_cast<uint8_t>(value));
}

inline void appendU32(Bytes& out, uint32_t value) {
  appendU16(out, static_cast<uint16_t>(value >> 16));
  appendU16(out, static_cast<uint16_t>(value));
}

// A chunk with its length field set and zero padding to a multiple of 4.
inline Bytes sctpChunk(uint8_t type, uint8_t flags, ByteView value) {
  Bytes out{type, flags};
  appendU16(out, static_cast<uint16_t>(4 + value.size()));
  out.insert(out.end(), value.begin(), value.end());
  while (out.size() % 4 != 0) out.push_back(0);
  return out;
}

struct DataChunkSpec {
  uint32_t tsn = 0;
  uint16_t streamId = 0;
  uint16_t ssn = 0;
  uint32_t ppid = 53;
  bool unordered = false;
  bool beginning = true;
  bool ending = true;
};

inline Bytes sctpDataChunk(const DataChunkSpec& spec, ByteView userData) {
  Bytes value;
  appendU32(value, spec.tsn);
  appendU16(value, spec.streamId);
  appendU16(value, spec.ssn);
  appendU32(value, spec.ppid);
  value.insert(value.end(), userData.begin(), userData.end());
  const uint8_t flags = static_cast<uint8_t>(
      (spec.unordered ? 0x04 : 0) | (spec.beginning ? 0x02 : 0) | (spec.ending ? 0x01 : 0));
  return sctpChunk(kSctpChunkData, flags, value);
}

// Ports 5000/5000 as in 11.0.0, with a valid CRC32c stored least-significant byte first.
inline Bytes sctpPacket(uint32_t verificationTag, const std::vector<Bytes>& chunks) {
  Bytes out;
  appendU16(out, 5000);
  appendU16(out, 5000);
  appendU32(out, verificationTag);
  appendU32(out, 0);
  for (const Bytes& chunk : chunks) out.insert(out.end(), chunk.begin(), chunk.end());
  const uint32_t checksum = crc32c(out);
  for (int i = 0; i < 4; ++i) out[8 + i] = static_cast<uint8_t>(checksum >> (8 * i));
  return out;
}

}  // namespace tgcalls::test
