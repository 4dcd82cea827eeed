// Ogg framing (RFC 3533) and Ogg Opus files (RFC 7845): media/ogg_page, media/ogg_opus and the
// format choice of media/audio_file.
#include "media/ogg_opus.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <numbers>
#include <string>
#include <vector>

#include "media/audio_file.h"
#include "media/ogg_page.h"
#include "media/wav_file.h"

namespace tgcalls {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("tgcalls-ogg-" + std::to_string(getpid()) + "-" + std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

std::vector<uint8_t> readBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
void writeBytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

std::vector<int16_t> sine(double hz, double amplitude, size_t frames, int channels = 1) {
  std::vector<int16_t> out(frames * channels);
  for (size_t i = 0; i < frames; ++i) {
    const double v = amplitude * 32767 * std::sin(2 * std::numbers::pi * hz * i / 48000.0);
    for (int c = 0; c < channels; ++c) out[i * channels + c] = static_cast<int16_t>(std::lround(v));
  }
  return out;
}

// Everything the reader delivers until it finishes (bounded).
std::vector<int16_t> readAll(AudioFileReader& reader, size_t limit = 48000 * 30) {
  std::vector<int16_t> all;
  int16_t frame[480];
  while (!reader.finished() && all.size() < limit) {
    const size_t real = reader.read(frame, 480);
    all.insert(all.end(), frame, frame + real);
  }
  return all;
}

double rms(const int16_t* samples, size_t count) {
  double sum = 0;
  for (size_t i = 0; i < count; ++i) sum += static_cast<double>(samples[i]) * samples[i];
  return std::sqrt(sum / static_cast<double>(count));
}

// Frequency from rising zero crossings over a stretch of a clean tone.
double crossingHz(const int16_t* samples, size_t count) {
  int first = -1, last = -1, crossings = 0;
  for (size_t i = 1; i < count; ++i) {
    if (samples[i - 1] < 0 && samples[i] >= 0) {
      if (first < 0) first = static_cast<int>(i);
      last = static_cast<int>(i);
      ++crossings;
    }
  }
  if (crossings < 2) return 0;
  return (crossings - 1) * 48000.0 / (last - first);
}

std::vector<OggPage> readPages(const std::string& path) {
  FILE* file = std::fopen(path.c_str(), "rb");
  OggPageReader reader(file);
  std::vector<OggPage> pages;
  OggPage page;
  while (reader.next(page) == OggReadResult::kPage) pages.push_back(page);
  std::fclose(file);
  return pages;
}

std::string writeTone(const TempDir& dir, const std::string& name, double hz, size_t frames,
                      int channels = 1) {
  const std::string path = dir.file(name);
  auto writer = OggOpusWriter::create(path, 48000, channels);
  const std::vector<int16_t> tone = sine(hz, 0.5, frames, channels);
  // Odd pieces: frames do not line up with the 20 ms packets.
  for (size_t offset = 0; offset < tone.size(); offset += 777 * channels) {
    writer->write(tone.data() + offset, std::min<size_t>(777 * channels, tone.size() - offset));
  }
  writer->close();
  return path;
}

TEST(OggCrc, MatchesTheKnownValues) {
  // CRC-32 with polynomial 0x04c11db7, unreflected, init 0, no final xor: "123456789" gives
  // 0x89a1897f (CRC-32/CKSUM before its final inversion, 0x765e7680 ^ 0xffffffff).
  const std::string check = "123456789";
  EXPECT_EQ(oggCrc32(reinterpret_cast<const uint8_t*>(check.data()), check.size()), 0x89a1897fu);
  EXPECT_EQ(oggCrc32(nullptr, 0), 0u);
  const uint8_t one = 0x01;
  EXPECT_EQ(oggCrc32(&one, 1), 0x04c11db7u);
  // Incremental use gives the same as one pass.
  const auto* bytes = reinterpret_cast<const uint8_t*>(check.data());
  EXPECT_EQ(oggCrc32(bytes + 4, 5, oggCrc32(bytes, 4)), 0x89a1897fu);
}

TEST(OggPage, SerializesTheHeaderFieldsAndReadsThemBack) {
  TempDir dir;
  OggPage page;
  page.flags = kOggBeginOfStream;
  page.granule = 0x0102030405060708ull;
  page.serial = 0xdeadbeef;
  page.sequence = 7;
  page.lacing = {3, 0};
  page.body = {'a', 'b', 'c'};
  const std::vector<uint8_t> bytes = serializeOggPage(page);
  ASSERT_EQ(bytes.size(), 27u + 2 + 3);
  EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 4), "OggS");
  EXPECT_EQ(bytes[4], 0);
  EXPECT_EQ(bytes[5], kOggBeginOfStream);
  EXPECT_EQ(bytes[6], 0x08);  // little-endian granule
  EXPECT_EQ(bytes[13], 0x01);
  EXPECT_EQ(bytes[26], 2);
  writeBytes(dir.file("page.ogg"), bytes);
  const std::vector<OggPage> back = readPages(dir.file("page.ogg"));
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].flags, page.flags);
  EXPECT_EQ(back[0].granule, page.granule);
  EXPECT_EQ(back[0].serial, page.serial);
  EXPECT_EQ(back[0].sequence, page.sequence);
  EXPECT_EQ(back[0].lacing, page.lacing);
  EXPECT_EQ(back[0].body, page.body);
}

TEST(OggPage, RefusesDamagedAndCutPages) {
  TempDir dir;
  OggPage page;
  page.lacing = {200};
  page.body.assign(200, 0x5a);
  const std::vector<uint8_t> good = serializeOggPage(page);
  auto resultOf = [&](const std::vector<uint8_t>& bytes) {
    writeBytes(dir.file("p.ogg"), bytes);
    FILE* file = std::fopen(dir.file("p.ogg").c_str(), "rb");
    OggPageReader reader(file);
    OggPage out;
    const OggReadResult result = reader.next(out);
    std::fclose(file);
    return result;
  };
  EXPECT_EQ(resultOf(good), OggReadResult::kPage);
  EXPECT_EQ(resultOf({}), OggReadResult::kEnd);
  for (size_t cut : {1, 26, 27, 28, 100, 227}) {
    EXPECT_EQ(resultOf(std::vector<uint8_t>(good.begin(), good.begin() + cut)),
              OggReadResult::kDamaged)
        << cut;
  }
  for (size_t at : {5, 10, 22, 26, 27, 100}) {  // flags, granule, CRC, count, lacing, body
    std::vector<uint8_t> bad = good;
    bad[at] ^= 0x10;
    EXPECT_EQ(resultOf(bad), OggReadResult::kDamaged) << at;
  }
  std::vector<uint8_t> badVersion = good;
  badVersion[4] = 1;
  EXPECT_EQ(resultOf(badVersion), OggReadResult::kDamaged);
}

TEST(OggStream, LacesMultiplesOf255WithATerminatingZero) {
  OggStreamWriter writer(42);
  const std::vector<size_t> sizes = {0, 1, 254, 255, 256, 510, 765};
  uint64_t granule = 0;
  for (size_t size : sizes) {
    std::vector<uint8_t> packet(size, static_cast<uint8_t>(size));
    writer.addPacket(packet.data(), packet.size(), granule += 10);
  }
  std::vector<uint8_t> bytes;
  writer.flushPages(bytes, true);
  TempDir dir;
  writeBytes(dir.file("laced.ogg"), bytes);
  const std::vector<OggPage> pages = readPages(dir.file("laced.ogg"));
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].lacing,
            (std::vector<uint8_t>{0, 1, 254, 255, 0, 255, 1, 255, 255, 0, 255, 255, 255, 0}));
  EXPECT_EQ(pages[0].flags, kOggBeginOfStream | kOggEndOfStream);
  EXPECT_EQ(pages[0].granule, 70u);
  OggPacketAssembler assembler;
  std::vector<std::vector<uint8_t>> packets;
  ASSERT_TRUE(assembler.push(pages[0], packets));
  ASSERT_EQ(packets.size(), sizes.size());
  for (size_t i = 0; i < sizes.size(); ++i) {
    EXPECT_EQ(packets[i], std::vector<uint8_t>(sizes[i], static_cast<uint8_t>(sizes[i])));
  }
}

TEST(OggStream, SplitsALongPacketOverContinuedPages) {
  OggStreamWriter writer(7);
  std::vector<uint8_t> big(255 * 600 + 17);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>(i * 31);
  const std::vector<uint8_t> small = {1, 2, 3};
  writer.addPacket(small.data(), small.size(), 100);
  writer.addPacket(big.data(), big.size(), 200);
  writer.addPacket(small.data(), small.size(), 300);
  std::vector<uint8_t> bytes;
  writer.flushPages(bytes, false);
  writer.flushPages(bytes, true);  // nothing queued: an empty EOS page
  TempDir dir;
  writeBytes(dir.file("long.ogg"), bytes);
  const std::vector<OggPage> pages = readPages(dir.file("long.ogg"));
  // 1 + 601 + 1 segments: pages of 255, 255, 93, then the empty EOS page.
  ASSERT_EQ(pages.size(), 4u);
  EXPECT_EQ(pages[0].flags, kOggBeginOfStream);
  EXPECT_EQ(pages[0].granule, 100u);  // only the small packet ends on it
  EXPECT_EQ(pages[1].flags, kOggContinued);
  EXPECT_EQ(pages[1].granule, kOggNoGranule);  // no packet ends on it
  EXPECT_EQ(pages[2].flags, kOggContinued);
  EXPECT_EQ(pages[2].granule, 300u);
  EXPECT_EQ(pages[3].flags, kOggEndOfStream);
  EXPECT_TRUE(pages[3].lacing.empty());
  EXPECT_EQ(pages[3].granule, 300u);
  for (size_t i = 0; i < pages.size(); ++i) EXPECT_EQ(pages[i].sequence, i);

  OggPacketAssembler assembler;
  std::vector<std::vector<uint8_t>> all, packets;
  for (const OggPage& page : pages) {
    ASSERT_TRUE(assembler.push(page, packets));
    all.insert(all.end(), packets.begin(), packets.end());
  }
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0], small);
  EXPECT_EQ(all[1], big);
  EXPECT_EQ(all[2], small);

  // Starting at a continued page (a seek, a lost page) drops the partial packet.
  OggPacketAssembler late;
  ASSERT_TRUE(late.push(pages[2], packets));
  ASSERT_EQ(packets.size(), 1u);
  EXPECT_EQ(packets[0], small);
}

TEST(OggOpus, WritesHeadersAsRfc7845Wants) {
  TempDir dir;
  const std::string path = writeTone(dir, "tone.opus", 1000, 48000);
  const std::vector<OggPage> pages = readPages(path);
  ASSERT_GE(pages.size(), 4u);
  EXPECT_EQ(pages[0].flags, kOggBeginOfStream);
  ASSERT_EQ(pages[0].lacing.size(), 1u);
  OpusHead head;
  std::string why;
  ASSERT_TRUE(parseOpusHead(pages[0].body, head, why)) << why;
  EXPECT_EQ(head.channels, 1);
  EXPECT_GT(head.preSkip, 0);
  EXPECT_EQ(head.inputRate, 48000u);
  EXPECT_EQ(head.mappingFamily, 0);
  EXPECT_EQ(pages[0].granule, 0u);
  EXPECT_EQ(std::string(pages[1].body.begin(), pages[1].body.begin() + 8), "OpusTags");
  EXPECT_EQ(pages[1].granule, 0u);
  EXPECT_EQ(pages.back().flags & kOggEndOfStream, kOggEndOfStream);
  // The final granule is the pre-skip plus exactly the samples written.
  EXPECT_EQ(pages.back().granule, static_cast<uint64_t>(head.preSkip) + 48000);
  for (size_t i = 2; i + 1 < pages.size(); ++i) {
    EXPECT_EQ(pages[i].flags, 0) << i;
    EXPECT_EQ(pages[i].granule % 960, 0u) << i;
    EXPECT_LE(pages[i].lacing.size(), 50u);  // a page a second at most
  }
}

TEST(OggOpus, ATonePassesThroughWithItsFrequencyLevelAndLength) {
  TempDir dir;
  for (int channels : {1, 2}) {
    const std::string path = writeTone(dir, "tone.ogg", 1000, 48000 + 123, channels);
    auto reader = OggOpusReader::open(path, false);
    EXPECT_EQ(reader->sourceChannels(), channels);
    EXPECT_EQ(reader->sourceRate(), 48000);
    const std::vector<int16_t> all = readAll(*reader);
    ASSERT_EQ(all.size(), 48000u + 123) << channels;
    EXPECT_TRUE(reader->finished());
    // Away from the edges: the tone at 1 kHz, at the level written (0.5 → 23170 RMS).
    const int16_t* middle = all.data() + 4800;
    EXPECT_NEAR(crossingHz(middle, 38400), 1000.0, 2.0);
    const double level = 20 * std::log10(rms(middle, 38400) / (0.5 * 32767 / std::sqrt(2.0)));
    EXPECT_NEAR(level, 0.0, 0.5) << channels;
    // And the encoder delay is undone: the first samples are the start of the sine (near 0,
    // rising), not the encoder's lookahead.
    EXPECT_LT(std::abs(all[0]), 3000);
    EXPECT_GT(all[10], all[0]);
  }
}

TEST(OggOpus, AnyLengthComesBackExact) {
  TempDir dir;
  for (size_t frames : {0, 1, 311, 960, 961, 12345, 96000}) {
    const std::string path = writeTone(dir, "n.opus", 440, frames);
    auto reader = OggOpusReader::open(path, false);
    EXPECT_EQ(readAll(*reader).size(), frames) << frames;
  }
}

// Rewrites the OpusHead of a file with another pre-skip (its page CRC recomputed).
void setPreSkip(const std::string& path, uint16_t preSkip) {
  std::vector<OggPage> pages = readPages(path);
  pages[0].body[10] = static_cast<uint8_t>(preSkip);
  pages[0].body[11] = static_cast<uint8_t>(preSkip >> 8);
  std::vector<uint8_t> bytes;
  for (const OggPage& page : pages) {
    const std::vector<uint8_t> one = serializeOggPage(page);
    bytes.insert(bytes.end(), one.begin(), one.end());
  }
  writeBytes(path, bytes);
}

TEST(OggOpus, TrimsAnyPreSkipAndTheEndByTheFinalGranule) {
  TempDir dir;
  const std::string path = writeTone(dir, "skip.opus", 500, 10000);
  const int written = OggOpusReader::open(path, false)->head().preSkip;
  for (uint16_t preSkip : {0, 100, 3840, 9000}) {
    setPreSkip(path, preSkip);
    auto reader = OggOpusReader::open(path, false);
    // The playable length is the final granule minus the pre-skip.
    EXPECT_EQ(readAll(*reader).size(), static_cast<size_t>(10000 + written - preSkip)) << preSkip;
  }
}

TEST(OggOpus, LoopsWithoutEnding) {
  TempDir dir;
  const std::string path = writeTone(dir, "loop.opus", 800, 4800);  // 100 ms
  auto reader = OggOpusReader::open(path, true);
  std::vector<int16_t> frame(480);
  for (int i = 0; i < 50; ++i) {  // 0.5 s: five times round
    EXPECT_EQ(reader->read(frame.data(), frame.size()), 480u) << i;
    EXPECT_FALSE(reader->finished());
  }
  EXPECT_GT(rms(frame.data(), frame.size()), 10000);
}

TEST(OggOpus, DamagedOrCutFilesFailCleanly) {
  TempDir dir;
  const std::string path = writeTone(dir, "whole.opus", 700, 3 * 48000);
  const std::vector<uint8_t> whole = readBytes(path);
  const std::string damagedPath = dir.file("damaged.opus");
  // Every cut: refused at open (headers) or played up to the last whole page.
  for (size_t cut = 0; cut < whole.size(); cut += whole.size() < 4000 ? 1 : 97) {
    writeBytes(damagedPath, std::vector<uint8_t>(whole.begin(), whole.begin() + cut));
    try {
      auto reader = openAudioFileReader(damagedPath, cut % 2 == 0);
      EXPECT_LE(readAll(*reader, 48000 * 4).size(), 48000u * 4);
    } catch (const MediaFileError& error) {
      EXPECT_EQ(error.code(), "MEDIA_FILE_INVALID") << cut;
    }
  }
  // A byte changed in the audio: the CRC catches it and playback stops there.
  std::vector<uint8_t> flipped = whole;
  flipped[whole.size() / 2] ^= 0xff;
  writeBytes(damagedPath, flipped);
  auto reader = OggOpusReader::open(damagedPath, false);
  const size_t played = readAll(*reader).size();
  EXPECT_GT(played, 0u);
  EXPECT_LT(played, 3u * 48000);
  // A damaged header is refused.
  flipped = whole;
  flipped[30] ^= 0x01;
  writeBytes(damagedPath, flipped);
  EXPECT_THROW(OggOpusReader::open(damagedPath, false), MediaFileError);
}

TEST(OggOpus, SkipsEmptyPacketsWithValidCrcs) {
  // Found by ogg_fuzzer: a zero-byte packet on the first audio page reached libopus as a null
  // pointer. It is skipped; the rest plays.
  TempDir dir;
  const std::string path = writeTone(dir, "empty-packet.opus", 440, 9600);
  std::vector<OggPage> pages = readPages(path);
  ASSERT_GE(pages.size(), 3u);
  pages[2].lacing.insert(pages[2].lacing.begin(), 0);
  std::vector<uint8_t> bytes;
  for (const OggPage& page : pages) {
    const std::vector<uint8_t> one = serializeOggPage(page);
    bytes.insert(bytes.end(), one.begin(), one.end());
  }
  writeBytes(path, bytes);
  auto reader = OggOpusReader::open(path, false);
  EXPECT_EQ(readAll(*reader).size(), 9600u);
}

TEST(OggOpus, RefusesMultiplexedStreamsAndOtherCodecs) {
  TempDir dir;
  const std::string path = writeTone(dir, "one.opus", 700, 4800);
  std::vector<OggPage> pages = readPages(path);
  // A second stream's BOS page right after the first one's.
  OggPage other = pages[0];
  other.serial ^= 1;
  std::vector<uint8_t> bytes = serializeOggPage(pages[0]);
  const std::vector<uint8_t> second = serializeOggPage(other);
  bytes.insert(bytes.end(), second.begin(), second.end());
  for (size_t i = 1; i < pages.size(); ++i) {
    const std::vector<uint8_t> one = serializeOggPage(pages[i]);
    bytes.insert(bytes.end(), one.begin(), one.end());
  }
  writeBytes(dir.file("two.ogg"), bytes);
  try {
    OggOpusReader::open(dir.file("two.ogg"), false);
    FAIL() << "a multiplexed file was accepted";
  } catch (const MediaFileError& error) {
    EXPECT_EQ(error.code(), "MEDIA_FILE_INVALID");
    EXPECT_NE(std::string(error.what()).find("multiplexed"), std::string::npos);
  }
  // A Vorbis stream: a well-formed page that is not OpusHead.
  OggPage vorbis;
  vorbis.flags = kOggBeginOfStream;
  vorbis.granule = 0;
  vorbis.lacing = {30};
  vorbis.body.assign(30, 0);
  std::memcpy(vorbis.body.data(), "\x01vorbis", 7);
  writeBytes(dir.file("vorbis.ogg"), serializeOggPage(vorbis));
  EXPECT_THROW(openAudioFileReader(dir.file("vorbis.ogg"), false), MediaFileError);
}

TEST(OggOpus, AFileCutOffWithoutCloseIsPlayableToTheLastPage) {
  TempDir dir;
  const std::string path = dir.file("live.ogg");
  auto writer = OggOpusWriter::create(path, 48000, 1);
  const std::vector<int16_t> tone = sine(600, 0.5, 48000 * 5 / 2);
  writer->write(tone.data(), tone.size());
  // As a crash would leave it: no EOS page, whatever has been flushed so far.
  writeBytes(dir.file("copy.ogg"), readBytes(path));
  auto reader = OggOpusReader::open(dir.file("copy.ogg"), false);
  const size_t played = readAll(*reader).size();
  EXPECT_GE(played, 48000u * 2 - 960 * 2);
  EXPECT_LE(played, 48000u * 5 / 2);
}

TEST(AudioFile, ChoosesTheFormatByContentToReadAndByNameToWrite) {
  TempDir dir;
  EXPECT_TRUE(isOggOpusPath("a.ogg"));
  EXPECT_TRUE(isOggOpusPath("/x/y/A.OPUS"));
  EXPECT_TRUE(isOggOpusPath("b.oga"));
  EXPECT_FALSE(isOggOpusPath("c.wav"));
  EXPECT_FALSE(isOggOpusPath("/dir.ogg/file"));
  EXPECT_FALSE(isOggOpusPath("noextension"));

  const std::vector<int16_t> tone = sine(440, 0.3, 4800);
  for (const std::string name : {"t.wav", "t.ogg", "t.opus", "t.raw"}) {
    auto writer = createAudioFileWriter(dir.file(name), 48000, 1);
    writer->write(tone.data(), tone.size());
    EXPECT_EQ(writer->samplesWritten(), tone.size());
    writer->close();
    const std::vector<uint8_t> bytes = readBytes(dir.file(name));
    const bool ogg = isOggOpusPath(name);
    EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 4), ogg ? "OggS" : "RIFF") << name;
  }
  // The content decides: an Ogg file named .wav still plays as Ogg.
  fs::copy_file(dir.file("t.ogg"), dir.file("misnamed.wav"));
  auto reader = openAudioFileReader(dir.file("misnamed.wav"), false);
  EXPECT_NE(dynamic_cast<OggOpusReader*>(reader.get()), nullptr);
  EXPECT_EQ(readAll(*reader).size(), tone.size());
  auto wav = openAudioFileReader(dir.file("t.wav"), false);
  EXPECT_NE(dynamic_cast<WavReader*>(wav.get()), nullptr);
  // WavReader interpolates between frames and so ends one sample short.
  EXPECT_NEAR(static_cast<double>(readAll(*wav).size()), static_cast<double>(tone.size()), 1);

  auto codeOf = [](auto&& action) -> std::string {
    try {
      action();
    } catch (const MediaFileError& error) {
      return error.code();
    }
    return "none";
  };
  writeBytes(dir.file("text.ogg"), {'h', 'e', 'l', 'l', 'o'});
  writeBytes(dir.file("empty.ogg"), {});
  writeBytes(dir.file("just-magic.ogg"), {'O', 'g', 'g', 'S'});
  EXPECT_EQ(codeOf([&] { openAudioFileReader(dir.file("text.ogg"), false); }),
            "MEDIA_FILE_INVALID");
  EXPECT_EQ(codeOf([&] { openAudioFileReader(dir.file("empty.ogg"), false); }),
            "MEDIA_FILE_INVALID");
  EXPECT_EQ(codeOf([&] { openAudioFileReader(dir.file("just-magic.ogg"), false); }),
            "MEDIA_FILE_INVALID");
  EXPECT_EQ(codeOf([&] { openAudioFileReader(dir.file("missing.ogg"), false); }),
            "MEDIA_FILE_NOT_FOUND");
  EXPECT_EQ(codeOf([&] { createAudioFileWriter(dir.file("no/such/dir.ogg"), 48000, 1); }),
            "MEDIA_FILE_UNWRITABLE");
  EXPECT_EQ(codeOf([&] { createAudioFileWriter(dir.file("rate.ogg"), 44100, 1); }),
            "MEDIA_FILE_UNWRITABLE");
}

}  // namespace
}  // namespace tgcalls
