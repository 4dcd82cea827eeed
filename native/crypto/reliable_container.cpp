#include "crypto/reliable_container.h"

namespace tgcalls {
namespace {

// Bounds-checked big-endian reader over the plaintext. Every read reports failure instead of
// reading past the end; the parser turns any failure into "drop the packet".
class Reader {
 public:
  explicit Reader(ByteView bytes) : bytes_(bytes) {}

  std::size_t position() const { return position_; }
  std::size_t remaining() const { return bytes_.size() - position_; }

  bool readU8(uint8_t& out) {
    if (remaining() < 1) return false;
    out = bytes_[position_++];
    return true;
  }
  bool readU16(uint16_t& out) {
    if (remaining() < 2) return false;
    out = static_cast<uint16_t>((bytes_[position_] << 8) | bytes_[position_ + 1]);
    position_ += 2;
    return true;
  }
  bool readU32(uint32_t& out) {
    if (remaining() < 4) return false;
    out = (uint32_t{bytes_[position_]} << 24) | (uint32_t{bytes_[position_ + 1]} << 16) |
          (uint32_t{bytes_[position_ + 2]} << 8) | uint32_t{bytes_[position_ + 3]};
    position_ += 4;
    return true;
  }
  bool skip(std::size_t count) {
    if (remaining() < count) return false;
    position_ += count;
    return true;
  }
  ByteView span(std::size_t from, std::size_t to) const { return bytes_.subspan(from, to - from); }

 private:
  ByteView bytes_;
  std::size_t position_ = 0;
};

// Binary-message strings are u32be length (< 65536) + bytes.
bool skipString(Reader& reader) {
  uint32_t length = 0;
  return reader.readU32(length) && length < 65536 && reader.skip(length);
}

// Skips the body of binary message `type` (spec §5.6.2). `single`: the entry is the only one
// in the packet, so media messages take the rest of the packet instead of a u16be length.
bool skipBinaryBody(Reader& reader, uint8_t type, bool single) {
  uint8_t count = 0;
  switch (type) {
    case 1:  // CandidatesList: count × candidate string, ufrag string, pwd string
      if (!reader.readU8(count)) return false;
      for (int i = 0; i < count; ++i) {
        if (!skipString(reader)) return false;
      }
      return skipString(reader) && skipString(reader);
    case 2:  // VideoFormats: count × (name, nparams × (key, value)), u8 encodersCount
      if (!reader.readU8(count)) return false;
      for (int i = 0; i < count; ++i) {
        uint8_t parameters = 0;
        if (!skipString(reader) || !reader.readU8(parameters)) return false;
        for (int j = 0; j < parameters; ++j) {
          if (!skipString(reader) || !skipString(reader)) return false;
        }
      }
      return reader.skip(1);
    case 3:  // RequestVideo: empty
      return true;
    case 4:  // RemoteMediaState: u8
    case 9:  // RemoteBatteryLevelIsLow: u8
      return reader.skip(1);
    case 5:    // AudioData
    case 6:    // VideoData
    case 7: {  // UnstructuredData
      if (single) return reader.skip(reader.remaining());
      uint16_t length = 0;
      return reader.readU16(length) && reader.skip(length);
    }
    case 8:  // VideoParameters: u32be
      return reader.skip(4);
    case 10:  // RemoteNetworkStatus: u8 isLowCost, optional u8 isLowDataRequested
      // The optional byte can only be detected at the end of a single-message packet; inside a
      // multi-entry packet we expect both bytes (5.0.0, the only sender, always writes both).
      if (single)
        return reader.remaining() >= 1 && reader.remaining() <= 2 &&
               reader.skip(reader.remaining());
      return reader.skip(2);
    default:
      return false;
  }
}

}  // namespace

std::optional<ParsedContainer> parseReliableContainer(ByteView plaintext) {
  ParsedContainer result;
  Reader reader(plaintext);
  while (reader.remaining() > 0) {
    const bool first = result.entries.empty();
    ContainerEntry entry;
    entry.offset = reader.position();
    // A 1-4 byte remainder cannot hold seq + type: the whole packet is malformed.
    if (!reader.readU32(entry.seq) || !reader.readU8(entry.type)) return std::nullopt;
    if (entry.singleMessage() && !first) return std::nullopt;

    if (entry.type == kEmptyEntryType) {
      if (!first) return std::nullopt;
      entry.kind = EntryKind::Empty;
    } else if (entry.type == kAckEntryType) {
      if (first) return std::nullopt;
      entry.kind = EntryKind::Ack;
    } else if (entry.type == kRawMessageEntryType) {
      uint32_t length = 0;
      if (!reader.readU32(length) || length > kMaxRawMessageLength) return std::nullopt;
      const std::size_t bodyStart = reader.position();
      if (!reader.skip(length)) return std::nullopt;
      entry.kind = EntryKind::RawMessage;
      entry.body = reader.span(bodyStart, reader.position());
    } else if (entry.type >= kFirstBinaryEntryType && entry.type <= kLastBinaryEntryType) {
      const std::size_t bodyStart = reader.position();
      if (!skipBinaryBody(reader, entry.type, entry.singleMessage())) return std::nullopt;
      entry.kind = EntryKind::Binary;
      entry.body = reader.span(bodyStart, reader.position());
    } else {
      return std::nullopt;
    }

    // "Single message" promises that nothing follows.
    if (entry.singleMessage() && reader.remaining() != 0) return std::nullopt;
    entry.size = reader.position() - entry.offset;
    if (first) result.firstSeq = entry.seq;
    result.entries.push_back(entry);
  }
  if (result.entries.empty()) return std::nullopt;
  return result;
}

}  // namespace tgcalls
