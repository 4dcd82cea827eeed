#include "media/wav_file.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace tgcalls {
namespace {

constexpr int kOutputRate = 48000;
constexpr uint16_t kFormatPcm = 1;
constexpr uint16_t kFormatFloat = 3;
constexpr uint16_t kFormatExtensible = 0xFFFE;
constexpr size_t kBlockBytes = 8192;  // read-ahead, whole frames

uint32_t le32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}
uint16_t le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | p[1] << 8); }

void putLe32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
void putLe16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}

[[noreturn]] void invalid(const std::string& path, const std::string& why) {
  throw MediaFileError("MEDIA_FILE_INVALID", path + " is not a usable WAV file: " + why);
}

}  // namespace

std::unique_ptr<WavReader> WavReader::open(const std::string& path, bool loop) {
  FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) throw MediaFileError("MEDIA_FILE_NOT_FOUND", "cannot open " + path);
  std::unique_ptr<WavReader> reader(new WavReader());
  reader->file_ = file;
  reader->loop_ = loop;

  uint8_t riff[12];
  if (std::fread(riff, 1, 12, file) != 12 || std::memcmp(riff, "RIFF", 4) != 0 ||
      std::memcmp(riff + 8, "WAVE", 4) != 0) {
    invalid(path, "no RIFF/WAVE header");
  }
  bool haveFormat = false;
  for (;;) {
    uint8_t chunk[8];
    if (std::fread(chunk, 1, 8, file) != 8) invalid(path, "no data chunk");
    const uint32_t size = le32(chunk + 4);
    if (std::memcmp(chunk, "fmt ", 4) == 0) {
      if (size < 16 || size > 4096) invalid(path, "bad fmt chunk");
      std::vector<uint8_t> fmt(size);
      if (std::fread(fmt.data(), 1, size, file) != size) invalid(path, "truncated fmt chunk");
      uint16_t format = le16(fmt.data());
      reader->channels_ = le16(fmt.data() + 2);
      reader->rate_ = static_cast<int>(le32(fmt.data() + 4));
      reader->bitsPerSample_ = le16(fmt.data() + 14);
      if (format == kFormatExtensible && size >= 26) format = le16(fmt.data() + 24);
      reader->isFloat_ = format == kFormatFloat;
      if (format != kFormatPcm && format != kFormatFloat) invalid(path, "not PCM");
      if (reader->channels_ < 1 || reader->channels_ > 32) invalid(path, "bad channel count");
      if (reader->rate_ < 1000 || reader->rate_ > 384000) invalid(path, "bad sample rate");
      const int bits = reader->bitsPerSample_;
      if (reader->isFloat_ ? bits != 32 : (bits != 8 && bits != 16 && bits != 24 && bits != 32)) {
        invalid(path, "unsupported sample size");
      }
      if (size % 2 == 1) std::fgetc(file);
      haveFormat = true;
    } else if (std::memcmp(chunk, "data", 4) == 0) {
      if (!haveFormat) invalid(path, "data before fmt");
      reader->dataStart_ = std::ftell(file);
      reader->dataSize_ = size;
      break;
    } else {
      // Skip chunks we do not need (LIST, fact, ...), padded to even sizes.
      if (std::fseek(file, static_cast<long>(size + (size % 2)), SEEK_CUR) != 0) {
        invalid(path, "truncated chunk");
      }
    }
  }
  reader->frameBytes_ = static_cast<size_t>(reader->channels_) * (reader->bitsPerSample_ / 8);
  reader->block_.resize(std::max<size_t>(1, kBlockBytes / reader->frameBytes_) *
                        reader->frameBytes_);
  return reader;
}

WavReader::~WavReader() {
  if (file_ != nullptr) std::fclose(file_);
}

bool WavReader::refillBlock() {
  const size_t frameSize = frameBytes_;
  // A streaming file (size 0 or 0xFFFFFFFF) is read to its end.
  const bool sizeKnown = dataSize_ != 0 && dataSize_ != 0xFFFFFFFFu;
  size_t wanted = block_.size();
  if (sizeKnown)
    wanted = std::min<uint64_t>(wanted, (dataSize_ - dataRead_) / frameSize * frameSize);
  size_t got = wanted == 0 ? 0 : std::fread(block_.data(), 1, wanted, file_);
  got -= got % frameSize;  // a truncated last frame is not played
  dataRead_ += got;
  blockPos_ = 0;
  blockEnd_ = got;
  return got != 0;
}

const uint8_t* WavReader::nextFrameBytes() {
  if (blockPos_ == blockEnd_ && !refillBlock()) {
    if (!loop_ || dataRead_ == 0) return nullptr;
    std::fseek(file_, dataStart_, SEEK_SET);
    dataRead_ = 0;
    if (!refillBlock()) return nullptr;
  }
  const uint8_t* frame = block_.data() + blockPos_;
  blockPos_ += frameBytes_;
  return frame;
}

bool WavReader::readSourceFrame(double& sample) {
  const uint8_t* frame = nextFrameBytes();
  if (frame == nullptr) return false;
  const int bytes = bitsPerSample_ / 8;
  double sum = 0;
  for (int c = 0; c < channels_; ++c) {
    const uint8_t* p = frame + c * bytes;
    double value = 0;
    if (isFloat_) {
      float f;
      std::memcpy(&f, p, 4);
      value = std::isfinite(f) ? f : 0.0;
    } else if (bytes == 1) {
      value = (p[0] - 128) / 128.0;
    } else if (bytes == 2) {
      value = static_cast<int16_t>(le16(p)) / 32768.0;
    } else if (bytes == 3) {
      const int32_t v =
          static_cast<int32_t>(uint32_t{p[0]} << 8 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 24) >>
          8;
      value = v / 8388608.0;
    } else {
      value = static_cast<int32_t>(le32(p)) / 2147483648.0;
    }
    sum += value;
  }
  sample = sum / channels_;
  return true;
}

size_t WavReader::read(int16_t* out, size_t count) {
  const double step = static_cast<double>(rate_) / kOutputRate;
  size_t produced = 0;
  if (!primed_) {
    primed_ = true;
    if (!readSourceFrame(previous_)) {
      finished_ = true;
    } else if (!readSourceFrame(next_)) {
      atLastFrame_ = true;
      next_ = previous_;
    }
  }
  for (; produced < count && !finished_; ++produced) {
    const double value = previous_ + (next_ - previous_) * position_;
    out[produced] =
        static_cast<int16_t>(std::lround(std::clamp(value, -1.0, 32767.0 / 32768.0) * 32768.0));
    position_ += step;
    while (position_ >= 1.0) {
      position_ -= 1.0;
      if (atLastFrame_) {  // the last source frame has had its turn
        finished_ = true;
        break;
      }
      previous_ = next_;
      if (!readSourceFrame(next_)) {
        atLastFrame_ = true;
        next_ = previous_;
      }
    }
  }
  std::fill(out + produced, out + count, int16_t{0});
  return produced;
}

std::unique_ptr<WavWriter> WavWriter::create(const std::string& path, int rate, int channels) {
  FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    throw MediaFileError("MEDIA_FILE_UNWRITABLE", "cannot create " + path);
  }
  std::unique_ptr<WavWriter> writer(new WavWriter());
  writer->file_ = file;
  writer->rate_ = rate;
  writer->channels_ = channels;
  writer->writeHeader();
  return writer;
}

WavWriter::~WavWriter() { close(); }

void WavWriter::writeHeader() {
  const uint64_t dataBytes = std::min<uint64_t>(samplesWritten_ * 2, 0xFFFFFFFFu - 36);
  uint8_t header[44];
  std::memcpy(header, "RIFF", 4);
  putLe32(header + 4, static_cast<uint32_t>(36 + dataBytes));
  std::memcpy(header + 8, "WAVEfmt ", 8);
  putLe32(header + 16, 16);
  putLe16(header + 20, kFormatPcm);
  putLe16(header + 22, static_cast<uint16_t>(channels_));
  putLe32(header + 24, static_cast<uint32_t>(rate_));
  putLe32(header + 28, static_cast<uint32_t>(rate_ * channels_ * 2));
  putLe16(header + 32, static_cast<uint16_t>(channels_ * 2));
  putLe16(header + 34, 16);
  std::memcpy(header + 36, "data", 4);
  putLe32(header + 40, static_cast<uint32_t>(dataBytes));
  const long end = std::ftell(file_);
  std::fseek(file_, 0, SEEK_SET);
  std::fwrite(header, 1, sizeof(header), file_);
  if (end > 0) std::fseek(file_, end, SEEK_SET);
  std::fflush(file_);
  samplesAtLastHeader_ = samplesWritten_;
}

void WavWriter::write(const int16_t* samples, size_t count) {
  if (file_ == nullptr) return;
  // Little-endian hosts only (x86-64, arm64): samples are written as they are in memory.
  std::fwrite(samples, sizeof(int16_t), count, file_);
  samplesWritten_ += count;
  if (samplesWritten_ - samplesAtLastHeader_ >= static_cast<uint64_t>(rate_) * channels_) {
    writeHeader();
  }
}

void WavWriter::close() {
  if (file_ == nullptr) return;
  writeHeader();
  std::fclose(file_);
  file_ = nullptr;
}

}  // namespace tgcalls
