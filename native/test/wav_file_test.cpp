// WAV input read a block at a time: samples come out exactly, across block and loop boundaries,
// whatever the frame size, and a truncated or streaming data chunk ends where its whole frames do.
#include "media/wav_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace tgcalls {
namespace {

namespace fs = std::filesystem;

void putLe(std::vector<uint8_t>& out, uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

// A PCM WAV of `frames` frames; sample i of channel c is (i * 7 + c * 1000) % 20000 - 10000,
// scaled to the sample size. `declaredDataSize` overrides the data chunk's size field.
std::string writeWav(const std::string& name, int rate, int channels, int bits, size_t frames,
                     int64_t declaredDataSize = -1, size_t extraBytes = 0) {
  std::vector<uint8_t> data;
  for (size_t i = 0; i < frames; ++i) {
    for (int c = 0; c < channels; ++c) {
      const int32_t value = static_cast<int32_t>((i * 7 + c * 1000) % 20000) - 10000;
      putLe(data, static_cast<uint32_t>(value << (bits - 16)), bits / 8);
    }
  }
  data.insert(data.end(), extraBytes, 0x55);
  std::vector<uint8_t> file{'R', 'I', 'F', 'F'};
  putLe(file, static_cast<uint32_t>(36 + data.size()), 4);
  for (char ch : std::string("WAVEfmt ")) file.push_back(static_cast<uint8_t>(ch));
  putLe(file, 16, 4);
  putLe(file, 1, 2);
  putLe(file, static_cast<uint32_t>(channels), 2);
  putLe(file, static_cast<uint32_t>(rate), 4);
  putLe(file, static_cast<uint32_t>(rate * channels * bits / 8), 4);
  putLe(file, static_cast<uint32_t>(channels * bits / 8), 2);
  putLe(file, static_cast<uint32_t>(bits), 2);
  for (char ch : std::string("data")) file.push_back(static_cast<uint8_t>(ch));
  putLe(file, static_cast<uint32_t>(declaredDataSize < 0 ? data.size() : declaredDataSize), 4);
  file.insert(file.end(), data.begin(), data.end());
  const std::string path = (fs::temp_directory_path() /
                            ("tgcalls-wav-" + std::to_string(getpid()) + "-" + name + ".wav"))
                               .string();
  FILE* out = std::fopen(path.c_str(), "wb");
  std::fwrite(file.data(), 1, file.size(), out);
  std::fclose(out);
  return path;
}

int16_t expectedMono(size_t i, int channels) {
  int32_t sum = 0;
  for (int c = 0; c < channels; ++c) {
    sum += static_cast<int32_t>((i * 7 + c * 1000) % 20000) - 10000;
  }
  return static_cast<int16_t>(sum / channels);
}

std::vector<int16_t> readAll(WavReader& reader, size_t samples) {
  std::vector<int16_t> out(samples);
  for (size_t at = 0; at < samples; at += 480) reader.read(out.data() + at, 480);
  return out;
}

TEST(WavReader, SamplesComeOutExactlyAcrossBlocksAndLoops) {
  const size_t frames = 10007;  // several read-ahead blocks, not a multiple of anything
  const std::string path = writeWav("mono", 48000, 1, 16, frames);
  auto reader = WavReader::open(path, /*loop=*/true);
  const std::vector<int16_t> out = readAll(*reader, 4800 * 7);  // the file three times and more
  for (size_t i = 0; i < out.size(); ++i) {
    ASSERT_EQ(out[i], expectedMono(i % frames, 1)) << "sample " << i;
  }
  EXPECT_FALSE(reader->finished());
  fs::remove(path);
}

TEST(WavReader, WideFramesAreMixedToMonoExactly) {
  // 24-bit stereo: six-byte frames, which do not divide the read-ahead block's byte budget.
  const size_t frames = 3001;
  const std::string path = writeWav("stereo24", 48000, 2, 24, frames);
  auto reader = WavReader::open(path, /*loop=*/false);
  std::vector<int16_t> out(frames + 480);
  const size_t real = reader->read(out.data(), out.size());
  EXPECT_EQ(real, frames);
  EXPECT_TRUE(reader->finished());
  for (size_t i = 0; i < frames; ++i) ASSERT_EQ(out[i], expectedMono(i, 2)) << "sample " << i;
  for (size_t i = frames; i < out.size(); ++i) ASSERT_EQ(out[i], 0);
  fs::remove(path);
}

TEST(WavReader, DeclaredDataSizeBoundsWhatIsPlayed) {
  // A data chunk that declares fewer bytes than follow (a trailing chunk, say), and half a frame.
  const std::string path = writeWav("declared", 48000, 1, 16, 5000, 2 * 4000 + 1);
  auto reader = WavReader::open(path, /*loop=*/false);
  std::vector<int16_t> out(6000);
  EXPECT_EQ(reader->read(out.data(), out.size()), 4000u);
  for (size_t i = 0; i < 4000; ++i) ASSERT_EQ(out[i], expectedMono(i, 1));
  fs::remove(path);
}

TEST(WavReader, StreamingFileIsReadToItsLastWholeFrame) {
  // Size 0xFFFFFFFF (a stream written before its length was known), 3 stray bytes at the end.
  const std::string path = writeWav("stream", 48000, 1, 16, 4321, 0xFFFFFFFFll, 3);
  auto reader = WavReader::open(path, /*loop=*/false);
  std::vector<int16_t> out(5000);
  EXPECT_EQ(reader->read(out.data(), out.size()), 4322u);  // the stray bytes hold one frame
  for (size_t i = 0; i < 4321; ++i) ASSERT_EQ(out[i], expectedMono(i, 1));
  fs::remove(path);
}

TEST(WavReader, EmptyDataChunkEndsAtOnceEvenWhenLooping) {
  const std::string path = writeWav("empty", 48000, 1, 16, 0);
  auto reader = WavReader::open(path, /*loop=*/true);
  int16_t out[480];
  EXPECT_EQ(reader->read(out, 480), 0u);
  EXPECT_TRUE(reader->finished());
  fs::remove(path);
}

}  // namespace
}  // namespace tgcalls
