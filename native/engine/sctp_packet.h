// A passive decoder for SCTP packets (RFC 9260), the units of 11.0.0 signaling (spec §4.9): each
// phone.sendSignalingData payload is one SCTP packet, with no DTLS or other framing around it.
// The live call path runs tg_owt's dcsctp (sctp_signaling_transport.h, which the transcript
// replay test drives); this decoder reads recorded traffic without WebRTC. Pure C++, no allocation
// beyond what is proportional to the input.
#pragma once

#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include "crypto/bytes.h"

namespace tgcalls {

// Chunk type numbers (RFC 9260 §3.2, RFC 3758, RFC 6525) as they appear on the wire. Chunks of
// other types are decoded too, as type, flags and value only.
inline constexpr uint8_t kSctpChunkData = 0;
inline constexpr uint8_t kSctpChunkInit = 1;
inline constexpr uint8_t kSctpChunkInitAck = 2;
inline constexpr uint8_t kSctpChunkSack = 3;
inline constexpr uint8_t kSctpChunkHeartbeat = 4;
inline constexpr uint8_t kSctpChunkHeartbeatAck = 5;
inline constexpr uint8_t kSctpChunkAbort = 6;
inline constexpr uint8_t kSctpChunkShutdown = 7;
inline constexpr uint8_t kSctpChunkShutdownAck = 8;
inline constexpr uint8_t kSctpChunkError = 9;
inline constexpr uint8_t kSctpChunkCookieEcho = 10;
inline constexpr uint8_t kSctpChunkCookieAck = 11;
inline constexpr uint8_t kSctpChunkShutdownComplete = 14;
inline constexpr uint8_t kSctpChunkReconfig = 130;
inline constexpr uint8_t kSctpChunkForwardTsn = 192;

inline constexpr std::size_t kSctpCommonHeaderSize = 12;

// DATA (type 0, RFC 9260 §3.3.1): one fragment of a user message.
struct SctpDataChunk {
  uint32_t tsn = 0;
  uint16_t streamId = 0;
  uint16_t ssn = 0;  // stream sequence number; meaningless when `unordered`
  uint32_t ppid = 0;
  bool immediate = false;  // I: the receiver should SACK at once (RFC 7053)
  bool unordered = false;  // U
  bool beginning = false;  // B: first fragment of its message
  bool ending = false;     // E: last fragment of its message
  ByteView userData;
};

// A TLV inside a chunk: an INIT/INIT_ACK parameter or an error cause. `length` is the field's
// value (header included, padding excluded); `value` is what follows the 4-byte header.
struct SctpParameter {
  uint16_t type = 0;
  uint16_t length = 0;
  ByteView value;
};

// INIT and INIT_ACK (types 1 and 2, RFC 9260 §3.3.2-§3.3.3) share this layout.
struct SctpInitChunk {
  uint32_t initiateTag = 0;
  uint32_t advertisedReceiverWindow = 0;  // a_rwnd
  uint16_t outboundStreams = 0;
  uint16_t inboundStreams = 0;
  uint32_t initialTsn = 0;
  std::vector<SctpParameter> parameters;
};

// A gap ack block's offsets, relative to the cumulative TSN ack.
struct SctpGapAckBlock {
  uint16_t start = 0;
  uint16_t end = 0;
};

// SACK (type 3, RFC 9260 §3.3.4).
struct SctpSackChunk {
  uint32_t cumulativeTsnAck = 0;
  uint32_t advertisedReceiverWindow = 0;  // a_rwnd
  std::vector<SctpGapAckBlock> gapAckBlocks;
  std::vector<uint32_t> duplicateTsns;
};

// COOKIE_ECHO (type 10, RFC 9260 §3.3.11): the cookie is opaque to everyone but its creator.
struct SctpCookieEchoChunk {
  ByteView cookie;
};

// ABORT (type 6, RFC 9260 §3.3.7). Error causes use the parameter TLV layout (code, length,
// info).
struct SctpAbortChunk {
  bool tagReflected = false;  // T: the verification tag is the sender's own, not the peer's
  std::vector<SctpParameter> errorCauses;
};

struct SctpChunk {
  uint8_t type = 0;
  uint8_t flags = 0;
  uint16_t length = 0;  // the chunk length field: header included, padding excluded
  ByteView value;       // the `length - 4` bytes after the chunk header
  // The decoded value for the types above; std::monostate for every other type.
  std::variant<std::monostate, SctpDataChunk, SctpInitChunk, SctpSackChunk, SctpCookieEchoChunk,
               SctpAbortChunk>
      fields;
};

// A decoded packet. The views point into the buffer given to parseSctpPacket, which must
// outlive this object.
struct SctpPacket {
  uint16_t sourcePort = 0;
  uint16_t destinationPort = 0;
  uint32_t verificationTag = 0;
  // The checksum field read least-significant byte first, the order SCTP stores CRC32c in, so
  // that it compares directly with crc32c().
  uint32_t checksum = 0;
  // Whether `checksum` equals the CRC32c of the packet with the checksum field zeroed. A packet
  // whose checksum fails is still decoded: deciding to drop it is the caller's business.
  bool checksumValid = false;
  std::vector<SctpChunk> chunks;
};

// CRC32c (Castagnoli: reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF).
uint32_t crc32c(ByteView data);

// nullopt unless `packet` is a well-framed SCTP packet: at least the 12-byte common header and
// one chunk; every chunk length at least 4 and within the packet; nothing after the last chunk
// but its padding (which may be missing at the very end, as dcsctp also accepts). Chunks of the
// types with `fields` must also be well-formed inside (fixed part present, TLVs within the chunk,
// SACK length matching its counts). Never throws.
std::optional<SctpPacket> parseSctpPacket(ByteView packet);

}  // namespace tgcalls
