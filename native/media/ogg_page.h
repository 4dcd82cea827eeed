// Ogg framing (RFC 3533): pages of one logical stream written and read, written from the spec.
//
// A page is a 27-byte header ("OggS", version 0, header type flags, granule position, stream
// serial, page sequence number, CRC-32, segment count), a segment table of lacing values and the
// body. A packet is laced as a run of 255s ended by a value below 255 (0 when its size is a
// multiple of 255); a packet whose last lacing value is 255 continues on the next page, which
// then carries the "continued" flag. Pure C++: no WebRTC, no libogg.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace tgcalls {

inline constexpr uint8_t kOggContinued = 0x01;
inline constexpr uint8_t kOggBeginOfStream = 0x02;
inline constexpr uint8_t kOggEndOfStream = 0x04;
// The granule position of a page on which no packet ends.
inline constexpr uint64_t kOggNoGranule = ~uint64_t{0};
inline constexpr size_t kOggHeaderSize = 27;
inline constexpr size_t kOggMaxSegments = 255;
inline constexpr size_t kOggMaxPageSize = kOggHeaderSize + kOggMaxSegments * 256;

// CRC-32 of Ogg pages: polynomial 0x04c11db7, not reflected, initial value 0, no final xor.
uint32_t oggCrc32(const uint8_t* data, size_t size, uint32_t crc = 0);

struct OggPage {
  uint8_t flags = 0;  // kOggContinued | kOggBeginOfStream | kOggEndOfStream
  uint64_t granule = kOggNoGranule;
  uint32_t serial = 0;
  uint32_t sequence = 0;
  std::vector<uint8_t> lacing;  // the segment table
  std::vector<uint8_t> body;
};

// The page as bytes, with its CRC computed.
std::vector<uint8_t> serializeOggPage(const OggPage& page);

// Packets of one logical stream into pages.
class OggStreamWriter {
 public:
  explicit OggStreamWriter(uint32_t serial) : serial_(serial) {}

  // Queues a packet; `granule` is the stream position once it is decoded.
  void addPacket(const uint8_t* data, size_t size, uint64_t granule);
  // Appends pages holding every queued packet to `out` (more than one when 255 segments do not
  // suffice). With `endOfStream` the last page carries EOS; nothing is written when nothing is
  // queued and `endOfStream` is false.
  void flushPages(std::vector<uint8_t>& out, bool endOfStream);
  bool hasQueued() const { return !lacing_.empty(); }
  uint32_t pagesWritten() const { return sequence_; }

 private:
  uint32_t serial_;
  uint32_t sequence_ = 0;
  uint64_t lastGranule_ = 0;
  bool continuing_ = false;  // the next page starts inside a packet
  std::vector<uint8_t> lacing_;
  std::vector<uint8_t> body_;
  // For each queued packet: the index of its last lacing value, and its granule.
  std::vector<std::pair<size_t, uint64_t>> ends_;
};

enum class OggReadResult {
  kPage,     // a complete page with a valid CRC
  kEnd,      // the file ends at a page boundary
  kDamaged,  // a cut-off page, a bad capture pattern, version or CRC
};

// Reads pages one after the other from a file (not owned).
class OggPageReader {
 public:
  explicit OggPageReader(FILE* file) : file_(file) {}
  OggReadResult next(OggPage& page);
  // Where the page last returned by next() starts, for seeking back to it.
  long lastPageOffset() const { return lastOffset_; }
  bool seek(long offset);

 private:
  FILE* file_;
  long lastOffset_ = 0;
  std::vector<uint8_t> buffer_;
};

// Packets of one logical stream out of pages: lacing resolved, continued packets joined.
class OggPacketAssembler {
 public:
  // Packets larger than this are refused (damage, or a hostile file growing one without end).
  static constexpr size_t kMaxPacketSize = 16 << 20;

  // Takes one page of the stream. Returns the packets that end on it (in `packets`, replaced);
  // false for a packet over kMaxPacketSize. A continued page without the start of its packet
  // (after a seek or a lost page) drops that partial packet instead of joining unrelated data,
  // and so does a page that should continue a packet but does not.
  bool push(const OggPage& page, std::vector<std::vector<uint8_t>>& packets);
  void reset() { partial_.clear(), havePartial_ = false; }

 private:
  std::vector<uint8_t> partial_;
  bool havePartial_ = false;
};

}  // namespace tgcalls
