// Parser for the "reliable container" plaintext framing (spec §4.4.2): a sequence of entries,
// each a 32-bit seq (two flag bits + 30-bit counter) followed by a type byte and a body.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "crypto/bytes.h"

namespace tgcalls {

inline constexpr uint32_t kSingleMessageFlag = 0x80000000u;
inline constexpr uint32_t kRequiresAckFlag = 0x40000000u;
inline constexpr uint32_t kCounterMask = 0x3FFFFFFFu;

inline constexpr uint8_t kEmptyEntryType = 0xFE;
inline constexpr uint8_t kAckEntryType = 0xFF;
inline constexpr uint8_t kRawMessageEntryType = 0x7F;
// The 2.7.7/5.0.0 binary message set uses type bytes 1..10.
inline constexpr uint8_t kFirstBinaryEntryType = 0x01;
inline constexpr uint8_t kLastBinaryEntryType = 0x0A;

// Largest 0x7F message length accepted (1 MiB).
inline constexpr uint32_t kMaxRawMessageLength = 1 << 20;

enum class EntryKind {
  Empty,       // 0xFE: the first entry of a service packet; no body
  Ack,         // 0xFF: the entry's seq is the acknowledged seq (all 32 bits); no body
  RawMessage,  // 0x7F: u32be length + that many bytes (JSON in 8/9/10)
  Binary,      // 0x01..0x0A: a 2.7.7/5.0.0 binary message
};

struct ContainerEntry {
  std::size_t offset = 0;  // byte offset of the entry's seq within the plaintext
  std::size_t size = 0;    // total bytes of the entry (seq, type and body)
  uint32_t seq = 0;        // all 32 bits, flags included
  uint8_t type = 0;
  EntryKind kind = EntryKind::Empty;
  // RawMessage: the message bytes (after the length field). Binary: the bytes after the type
  // byte. Empty/Ack: empty. Points into the buffer that was parsed: valid only while it lives.
  ByteView body;

  uint32_t counter() const { return seq & kCounterMask; }
  bool requiresAck() const { return (seq & kRequiresAckFlag) != 0; }
  bool singleMessage() const { return (seq & kSingleMessageFlag) != 0; }
};

struct ParsedContainer {
  uint32_t firstSeq = 0;  // seq of the first entry: its counter is the packet's replay counter
  std::vector<ContainerEntry> entries;  // never empty
};

// Parses and validates a whole decrypted plaintext. Returns nullopt unless every rule holds:
//   * at least one entry; each entry is a 4-byte seq and a type byte, so a remainder of 1-4
//     bytes (or a truncated body) is an error;
//   * 0xFE only as the first entry, 0xFF never as the first entry;
//   * an entry with the single-message flag must be the only entry;
//   * 0x7F lengths at most 1 MiB; binary bodies follow spec §5.6.2; other type bytes are errors.
// Nothing about the packet is acted upon before the whole of it is known to be well-formed
// (spec §4.6 [rec]).
std::optional<ParsedContainer> parseReliableContainer(ByteView plaintext);

}  // namespace tgcalls
