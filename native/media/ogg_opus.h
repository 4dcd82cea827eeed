// Ogg Opus files (RFC 7845) read and written natively, with libopus for the codec.
//
// OggOpusReader plays any single-stream Ogg Opus file (mono, stereo or a mapping family 1/255
// surround layout; any pre-skip; output gain applied) as 48 kHz mono int16: the pre-skip is
// dropped at the start and the end is trimmed to the final page's granule position, so the
// sample count is exactly the encoder's input. Multiplexed files are refused; in a chained
// file only the first link is played.
//
// OggOpusWriter encodes 48 kHz (or 8/12/16/24 kHz) mono or stereo int16 in 20 ms packets and
// writes a page at least every second (flushed to the OS), so a recording cut off by a crash is
// playable up to the last page; close() writes the end-of-stream page with the exact length.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "media/audio_file.h"
#include "media/ogg_page.h"

struct OpusMSDecoder;
struct OpusEncoder;

namespace tgcalls {

// The identification header (RFC 7845 §5.1).
struct OpusHead {
  int channels = 0;
  int preSkip = 0;
  uint32_t inputRate = 0;
  int16_t outputGain = 0;  // Q7.8 dB
  int mappingFamily = 0;
  int streams = 1;
  int coupledStreams = 0;
  std::vector<uint8_t> mapping;
};

// Parses an OpusHead packet; false when it is not one we can decode.
bool parseOpusHead(const std::vector<uint8_t>& packet, OpusHead& head, std::string& why);

class OggOpusReader : public AudioFileReader {
 public:
  // Throws MediaFileError: MEDIA_FILE_NOT_FOUND, MEDIA_FILE_INVALID (not Ogg, not Opus, a
  // damaged header page, a multiplexed file, an unsupported channel mapping).
  static std::unique_ptr<OggOpusReader> open(const std::string& path, bool loop);
  ~OggOpusReader() override;

  size_t read(int16_t* out, size_t count) override;
  bool finished() const override { return finished_; }
  // Opus always decodes at 48 kHz; the input rate of the header is only informational.
  int sourceRate() const override { return 48000; }
  int sourceChannels() const override { return head_.channels; }
  const OpusHead& head() const { return head_; }

 private:
  OggOpusReader() = default;
  // Decodes the next page's packets into pending_; false at the end of the stream (after
  // restarting it once when looping).
  bool decodeMore();
  bool decodePage();
  void restart();

  FILE* file_ = nullptr;
  std::unique_ptr<OggPageReader> pages_;
  OggPacketAssembler assembler_;
  OpusMSDecoder* decoder_ = nullptr;
  OpusHead head_;
  uint32_t serial_ = 0;
  long audioStart_ = 0;  // offset of the first page after the headers
  bool loop_ = false;
  bool finished_ = false;
  bool streamEnded_ = false;    // EOS, the end of the file, damage or the next chained link
  bool firstAudioPage_ = true;  // the start granule is still to be worked out
  uint64_t position_ = 0;       // granule position at the start of the next packet
  uint64_t skipLeft_ = 0;       // pre-skip samples still to drop
  uint64_t producedThisPass_ = 0;
  std::vector<int16_t> pending_;
  size_t pendingRead_ = 0;
  std::vector<float> decoded_;
  std::vector<std::vector<uint8_t>> packets_;
};

class OggOpusWriter : public AudioFileWriter {
 public:
  // Throws MediaFileError MEDIA_FILE_UNWRITABLE (also for a rate or channel count Opus does not
  // take: rates 8/12/16/24/48 kHz, 1 or 2 channels).
  static std::unique_ptr<OggOpusWriter> create(const std::string& path, int rate = 48000,
                                               int channels = 1);
  ~OggOpusWriter() override;

  void write(const int16_t* samples, size_t count) override;
  void close() override;
  uint64_t samplesWritten() const override { return samplesWritten_; }
  int preSkip() const { return preSkip_; }

 private:
  OggOpusWriter() : stream_(0) {}
  void encodeFrame();
  void queuePacket(uint64_t granule);
  void writePages(bool endOfStream);

  FILE* file_ = nullptr;
  OpusEncoder* encoder_ = nullptr;
  OggStreamWriter stream_;
  int rate_ = 48000;
  int channels_ = 1;
  int preSkip_ = 0;
  size_t frameSamples_ = 960;  // per channel: 20 ms at rate_
  std::vector<int16_t> frame_;
  size_t frameFill_ = 0;  // int16 values in frame_
  uint64_t samplesWritten_ = 0;
  uint64_t packetsEncoded_ = 0;
  uint64_t packetsSinceFlush_ = 0;
  // The newest packet is held back until the next one (or close()) so that the last page can
  // always carry it with the end-of-stream flag and the exact final granule.
  std::vector<uint8_t> held_;
  bool haveHeld_ = false;
  std::vector<uint8_t> pageBytes_;
};

}  // namespace tgcalls
