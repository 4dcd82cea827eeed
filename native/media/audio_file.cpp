#include "media/audio_file.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>

#include "media/ogg_opus.h"
#include "media/wav_file.h"

namespace tgcalls {

bool isOggOpusPath(const std::string& path) {
  const size_t dot = path.rfind('.');
  if (dot == std::string::npos || path.find('/', dot) != std::string::npos) return false;
  std::string extension = path.substr(dot + 1);
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == "ogg" || extension == "opus" || extension == "oga";
}

std::unique_ptr<AudioFileReader> openAudioFileReader(const std::string& path, bool loop) {
  // The content decides, not the name: recordings get renamed, and a misnamed file should
  // still play.
  FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) throw MediaFileError("MEDIA_FILE_NOT_FOUND", "cannot open " + path);
  uint8_t magic[12] = {};
  const size_t got = std::fread(magic, 1, sizeof(magic), file);
  std::fclose(file);
  if (got >= 4 && std::memcmp(magic, "OggS", 4) == 0) return OggOpusReader::open(path, loop);
  if (got == 12 && std::memcmp(magic, "RIFF", 4) == 0 && std::memcmp(magic + 8, "WAVE", 4) == 0) {
    return WavReader::open(path, loop);
  }
  throw MediaFileError("MEDIA_FILE_INVALID",
                       path + " is neither a WAV (RIFF/WAVE) nor an Ogg Opus (OggS) file");
}

std::unique_ptr<AudioFileWriter> createAudioFileWriter(const std::string& path, int rate,
                                                       int channels) {
  if (isOggOpusPath(path)) return OggOpusWriter::create(path, rate, channels);
  return WavWriter::create(path, rate, channels);
}

}  // namespace tgcalls
