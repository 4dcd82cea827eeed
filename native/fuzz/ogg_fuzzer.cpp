// libFuzzer target for the Ogg Opus reader (media/ogg_page, media/ogg_opus) behind
// openAudioFileReader: files handed to a call as its input. The bytes become a file in memory
// (memfd); the reader must either refuse it with MediaFileError or deliver samples, looping or
// not, without reading out of bounds, leaking or hanging. Inputs that do not start with "OggS"
// get it prepended, so the fuzzer spends its time inside the Ogg code rather than on the format
// choice. Build and run with scripts/fuzz-native.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "media/audio_file.h"

namespace {

using namespace tgcalls;

void require(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const int fd = memfd_create("ogg-fuzz", 0);
  if (fd < 0) return 0;
  std::vector<uint8_t> bytes;
  if (size < 4 || std::memcmp(data, "OggS", 4) != 0) bytes.assign({'O', 'g', 'g', 'S'});
  bytes.insert(bytes.end(), data, data + size);
  if (write(fd, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size())) {
    close(fd);
    return 0;
  }
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  for (const bool loop : {false, true}) {
    try {
      std::unique_ptr<AudioFileReader> reader = openAudioFileReader(path, loop);
      std::vector<int16_t> out(4800);  // 100 ms at 48 kHz, a few times
      for (int i = 0; i < 4; ++i) {
        const size_t real = reader->read(out.data(), out.size());
        require(real <= out.size());
        for (size_t j = real; j < out.size(); ++j) require(out[j] == 0);
      }
      require(reader->sourceChannels() >= 1);
    } catch (const MediaFileError& error) {
      require(error.code() == "MEDIA_FILE_INVALID");
    }
  }
  close(fd);
  return 0;
}
