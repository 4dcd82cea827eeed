// libFuzzer target for the WAV reader (media/wav_file): files handed to a call as its input.
// The bytes become a file in memory (memfd); the reader must either refuse it with
// MediaFileError or deliver samples, looping or not, without reading out of bounds or hanging.
// Build and run with scripts/fuzz-native.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "media/wav_file.h"

namespace {

using namespace tgcalls;

void require(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const int fd = memfd_create("wav-fuzz", 0);
  if (fd < 0) return 0;
  if (size > 0 && write(fd, data, size) != static_cast<ssize_t>(size)) {
    close(fd);
    return 0;
  }
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  for (const bool loop : {false, true}) {
    try {
      std::unique_ptr<WavReader> reader = WavReader::open(path, loop);
      std::vector<int16_t> out(4800);  // 100 ms at 48 kHz, twice
      for (int i = 0; i < 2; ++i) {
        const size_t real = reader->read(out.data(), out.size());
        require(real <= out.size());
      }
      require(reader->sourceChannels() >= 1 && reader->sourceRate() >= 1000);
    } catch (const MediaFileError& error) {
      require(error.code() == "MEDIA_FILE_INVALID" || error.code() == "MEDIA_FILE_NOT_FOUND");
    }
  }
  close(fd);
  return 0;
}
