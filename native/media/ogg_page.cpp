#include "media/ogg_page.h"

#include <array>
#include <cstring>

namespace tgcalls {
namespace {

constexpr std::array<uint32_t, 256> makeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t r = i << 24;
    for (int bit = 0; bit < 8; ++bit) r = (r & 0x80000000u) ? (r << 1) ^ 0x04c11db7u : r << 1;
    table[i] = r;
  }
  return table;
}
constexpr std::array<uint32_t, 256> kCrcTable = makeCrcTable();

void putLe(uint8_t* p, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) p[i] = static_cast<uint8_t>(value >> (8 * i));
}
uint64_t getLe(const uint8_t* p, int bytes) {
  uint64_t value = 0;
  for (int i = bytes - 1; i >= 0; --i) value = value << 8 | p[i];
  return value;
}

}  // namespace

uint32_t oggCrc32(const uint8_t* data, size_t size, uint32_t crc) {
  for (size_t i = 0; i < size; ++i) crc = (crc << 8) ^ kCrcTable[(crc >> 24) ^ data[i]];
  return crc;
}

std::vector<uint8_t> serializeOggPage(const OggPage& page) {
  std::vector<uint8_t> out(kOggHeaderSize + page.lacing.size() + page.body.size());
  uint8_t* p = out.data();
  std::memcpy(p, "OggS", 4);
  p[4] = 0;  // stream structure version
  p[5] = page.flags;
  putLe(p + 6, page.granule, 8);
  putLe(p + 14, page.serial, 4);
  putLe(p + 18, page.sequence, 4);
  // The CRC field (22..25) is zero while the CRC is computed.
  p[26] = static_cast<uint8_t>(page.lacing.size());
  // memcpy from an empty vector's null data() is undefined even for zero bytes.
  if (!page.lacing.empty()) {
    std::memcpy(p + kOggHeaderSize, page.lacing.data(), page.lacing.size());
  }
  if (!page.body.empty()) {
    std::memcpy(p + kOggHeaderSize + page.lacing.size(), page.body.data(), page.body.size());
  }
  putLe(p + 22, oggCrc32(out.data(), out.size()), 4);
  return out;
}

void OggStreamWriter::addPacket(const uint8_t* data, size_t size, uint64_t granule) {
  // A run of 255s and a final value below 255: a packet of 510 bytes is 255, 255, 0.
  for (size_t left = size;; left -= 255) {
    if (left < 255) {
      lacing_.push_back(static_cast<uint8_t>(left));
      break;
    }
    lacing_.push_back(255);
  }
  body_.insert(body_.end(), data, data + size);
  ends_.emplace_back(lacing_.size() - 1, granule);
}

void OggStreamWriter::flushPages(std::vector<uint8_t>& out, bool endOfStream) {
  if (lacing_.empty() && !endOfStream) return;
  size_t segment = 0;
  size_t bodyOffset = 0;
  size_t nextEnd = 0;
  // A stream ending right after a flushed page still needs an EOS page: it then has no segment
  // and repeats the last granule, which RFC 3533 allows.
  do {
    OggPage page;
    page.serial = serial_;
    page.sequence = sequence_++;
    page.flags = continuing_ ? kOggContinued : 0;
    if (page.sequence == 0) page.flags |= kOggBeginOfStream;
    const size_t count = std::min(kOggMaxSegments, lacing_.size() - segment);
    page.lacing.assign(lacing_.begin() + static_cast<long>(segment),
                       lacing_.begin() + static_cast<long>(segment + count));
    size_t bytes = 0;
    for (uint8_t value : page.lacing) bytes += value;
    page.body.assign(body_.begin() + static_cast<long>(bodyOffset),
                     body_.begin() + static_cast<long>(bodyOffset + bytes));
    page.granule = kOggNoGranule;
    while (nextEnd < ends_.size() && ends_[nextEnd].first < segment + count) {
      page.granule = ends_[nextEnd++].second;
    }
    if (count == 0) page.granule = lastGranule_;
    if (page.granule != kOggNoGranule) lastGranule_ = page.granule;
    segment += count;
    bodyOffset += bytes;
    continuing_ = count > 0 && page.lacing.back() == 255;
    if (endOfStream && segment == lacing_.size()) page.flags |= kOggEndOfStream;
    const std::vector<uint8_t> bytesOut = serializeOggPage(page);
    out.insert(out.end(), bytesOut.begin(), bytesOut.end());
  } while (segment < lacing_.size());
  lacing_.clear();
  body_.clear();
  ends_.clear();
}

OggReadResult OggPageReader::next(OggPage& page) {
  lastOffset_ = std::ftell(file_);
  uint8_t header[kOggHeaderSize];
  const size_t got = std::fread(header, 1, kOggHeaderSize, file_);
  if (got == 0) return OggReadResult::kEnd;
  if (got != kOggHeaderSize || std::memcmp(header, "OggS", 4) != 0 || header[4] != 0) {
    return OggReadResult::kDamaged;
  }
  const size_t segments = header[26];
  buffer_.assign(header, header + kOggHeaderSize);
  buffer_.resize(kOggHeaderSize + segments);
  if (std::fread(buffer_.data() + kOggHeaderSize, 1, segments, file_) != segments) {
    return OggReadResult::kDamaged;
  }
  size_t bodySize = 0;
  for (size_t i = 0; i < segments; ++i) bodySize += buffer_[kOggHeaderSize + i];
  const size_t bodyStart = buffer_.size();
  buffer_.resize(bodyStart + bodySize);
  if (std::fread(buffer_.data() + bodyStart, 1, bodySize, file_) != bodySize) {
    return OggReadResult::kDamaged;
  }
  const uint32_t stored = static_cast<uint32_t>(getLe(buffer_.data() + 22, 4));
  std::memset(buffer_.data() + 22, 0, 4);
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
  if (oggCrc32(buffer_.data(), buffer_.size()) != stored) return OggReadResult::kDamaged;
#else
  // The fuzzer (scripts/fuzz-native) could hardly ever forge a CRC: it would never get past the
  // page check into the Opus code.
  (void)stored;
#endif
  page.flags = header[5];
  page.granule = getLe(header + 6, 8);
  page.serial = static_cast<uint32_t>(getLe(header + 14, 4));
  page.sequence = static_cast<uint32_t>(getLe(header + 18, 4));
  page.lacing.assign(buffer_.begin() + kOggHeaderSize,
                     buffer_.begin() + static_cast<long>(bodyStart));
  page.body.assign(buffer_.begin() + static_cast<long>(bodyStart), buffer_.end());
  return OggReadResult::kPage;
}

bool OggPageReader::seek(long offset) { return std::fseek(file_, offset, SEEK_SET) == 0; }

bool OggPacketAssembler::push(const OggPage& page, std::vector<std::vector<uint8_t>>& packets) {
  packets.clear();
  const bool continued = (page.flags & kOggContinued) != 0;
  // Without the start (or without the continuation) the partial packet is garbage.
  bool skipping = continued && !havePartial_;
  if (!continued) {
    partial_.clear();
    havePartial_ = false;
  }
  size_t offset = 0;
  for (uint8_t value : page.lacing) {
    if (!skipping) {
      if (partial_.size() + value > kMaxPacketSize) {
        reset();
        return false;
      }
      partial_.insert(partial_.end(), page.body.begin() + static_cast<long>(offset),
                      page.body.begin() + static_cast<long>(offset + value));
      havePartial_ = true;
    }
    offset += value;
    if (value < 255) {
      if (!skipping) packets.push_back(std::move(partial_));
      partial_.clear();
      havePartial_ = false;
      skipping = false;
    }
  }
  return true;
}

}  // namespace tgcalls
