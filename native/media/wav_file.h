// WAV files read and written natively, for headless sources and recordings.
//
// WavReader accepts PCM (8/16/24/32-bit integer, 32-bit float) at any rate and channel count and
// delivers 48 kHz mono int16 (channels averaged, linear resampling). WavWriter writes 16-bit PCM
// and keeps the header's sizes current every second, so a recording cut off by a crash is
// still a playable file. Pure C++: no WebRTC.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "media/audio_file.h"

namespace tgcalls {

class WavReader : public AudioFileReader {
 public:
  // Throws MediaFileError: MEDIA_FILE_NOT_FOUND, MEDIA_FILE_INVALID (not RIFF/WAVE, no fmt or
  // data chunk, an encoding other than PCM/float, zero channels or rate, truncated header).
  static std::unique_ptr<WavReader> open(const std::string& path, bool loop);
  ~WavReader() override;

  // Fills `out` with `count` samples at 48 kHz mono. At the end of a non-looping file the rest is
  // zero-filled; returns the number of real samples.
  size_t read(int16_t* out, size_t count) override;
  bool finished() const override { return finished_; }
  int sourceRate() const override { return rate_; }
  int sourceChannels() const override { return channels_; }

 private:
  WavReader() = default;
  bool readSourceFrame(double& sample);  // next source frame, mono, in [-1, 1]
  const uint8_t* nextFrameBytes();       // nullptr at the end (after looping, if looping)
  bool refillBlock();                    // false when no whole frame is left

  FILE* file_ = nullptr;
  bool loop_ = false;
  bool finished_ = false;
  int rate_ = 0;
  int channels_ = 0;
  int bitsPerSample_ = 0;
  bool isFloat_ = false;
  long dataStart_ = 0;
  uint64_t dataSize_ = 0;
  uint64_t dataRead_ = 0;
  // Resampler state: position between the previous and next source frames.
  double position_ = 0;
  double previous_ = 0;
  double next_ = 0;
  bool primed_ = false;
  bool atLastFrame_ = false;  // next_ repeats previous_: no source frame after it
  size_t frameBytes_ = 0;     // one frame of every channel
  // Frames are read a block at a time: one fread per 2-byte sample was 5 % of a call's CPU.
  std::vector<uint8_t> block_;
  size_t blockPos_ = 0;
  size_t blockEnd_ = 0;
};

class WavWriter : public AudioFileWriter {
 public:
  // Throws MediaFileError MEDIA_FILE_UNWRITABLE.
  static std::unique_ptr<WavWriter> create(const std::string& path, int rate = 48000,
                                           int channels = 1);
  ~WavWriter() override;  // closes with a final header fix-up

  void write(const int16_t* samples, size_t count) override;
  void close() override;
  uint64_t samplesWritten() const override { return samplesWritten_; }

 private:
  WavWriter() = default;
  void writeHeader();

  FILE* file_ = nullptr;
  int rate_ = 48000;
  int channels_ = 1;
  uint64_t samplesWritten_ = 0;
  uint64_t samplesAtLastHeader_ = 0;
};

}  // namespace tgcalls
