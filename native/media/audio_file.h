// Audio files read and written natively, whatever their format: the call code (input files,
// recordings) only sees these two interfaces. WAV (media/wav_file) and Ogg Opus
// (media/ogg_opus) implement them. Pure C++: no WebRTC.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace tgcalls {

// A file that cannot be used; code() is a stable identifier: MEDIA_FILE_NOT_FOUND,
// MEDIA_FILE_INVALID (not a format we read, or damaged), MEDIA_FILE_UNWRITABLE.
class MediaFileError : public std::runtime_error {
 public:
  MediaFileError(std::string code, const std::string& message)
      : std::runtime_error(message), code_(std::move(code)) {}
  const std::string& code() const noexcept { return code_; }

 private:
  std::string code_;
};

// Delivers a file as 48 kHz mono int16, the rate and layout of the native audio clock.
class AudioFileReader {
 public:
  virtual ~AudioFileReader() = default;
  // Fills `out` with `count` samples. At the end of a non-looping file the rest is zero-filled;
  // returns the number of real samples. Damage found while reading ends the file early: a
  // reader never throws once it is open.
  virtual size_t read(int16_t* out, size_t count) = 0;
  virtual bool finished() const = 0;
  // What the file holds before conversion (informational).
  virtual int sourceRate() const = 0;
  virtual int sourceChannels() const = 0;
};

// Takes interleaved int16 at the rate and channel count it was created with.
class AudioFileWriter {
 public:
  virtual ~AudioFileWriter() = default;
  // `count` is in int16 values (frames × channels).
  virtual void write(const int16_t* samples, size_t count) = 0;
  // Finishes the file (final header or end-of-stream page); later writes are ignored.
  virtual void close() = 0;
  // int16 values written so far (frames × channels).
  virtual uint64_t samplesWritten() const = 0;
};

// Chooses the format by the first bytes (RIFF/WAVE or OggS), not by the name.
// Throws MediaFileError MEDIA_FILE_NOT_FOUND or MEDIA_FILE_INVALID.
std::unique_ptr<AudioFileReader> openAudioFileReader(const std::string& path, bool loop);

// Chooses the format by the extension: .ogg, .opus and .oga write Ogg Opus, anything else WAV.
// Throws MediaFileError MEDIA_FILE_UNWRITABLE.
std::unique_ptr<AudioFileWriter> createAudioFileWriter(const std::string& path, int rate = 48000,
                                                       int channels = 1);

// True for the names createAudioFileWriter() writes as Ogg Opus.
bool isOggOpusPath(const std::string& path);

}  // namespace tgcalls
