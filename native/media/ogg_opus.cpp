#include "media/ogg_opus.h"

#include <opus.h>
#include <opus_multistream.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

namespace tgcalls {
namespace {

constexpr int kOpusRate = 48000;          // granule positions always count 48 kHz samples
constexpr int kPacketSamples48k = 960;    // 20 ms
constexpr int kMaxFrameSamples = 5760;    // 120 ms, the longest Opus packet
constexpr uint64_t kPacketsPerPage = 50;  // a page a second: the crash-loss bound
constexpr int kMaxReadChannels = 8;

uint16_t le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | p[1] << 8); }
uint32_t le32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}
void appendLe(std::vector<uint8_t>& out, uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}
bool startsWith(const std::vector<uint8_t>& packet, const char* magic) {
  const size_t size = std::strlen(magic);
  return packet.size() >= size && std::memcmp(packet.data(), magic, size) == 0;
}

[[noreturn]] void invalid(const std::string& path, const std::string& why) {
  throw MediaFileError("MEDIA_FILE_INVALID", path + " is not a usable Ogg Opus file: " + why);
}

}  // namespace

bool parseOpusHead(const std::vector<uint8_t>& packet, OpusHead& head, std::string& why) {
  if (!startsWith(packet, "OpusHead") || packet.size() < 19) {
    why = "no OpusHead packet (only Opus is supported in Ogg, not Vorbis, FLAC or Speex)";
    return false;
  }
  // Versions 0..15 share the layout we read (RFC 7845 §5.1: only the major nibble matters).
  if (packet[8] >= 16) {
    why = "unsupported OpusHead version " + std::to_string(packet[8]);
    return false;
  }
  head.channels = packet[9];
  head.preSkip = le16(packet.data() + 10);
  head.inputRate = le32(packet.data() + 12);
  head.outputGain = static_cast<int16_t>(le16(packet.data() + 16));
  head.mappingFamily = packet[18];
  if (head.channels < 1) {
    why = "zero channels";
    return false;
  }
  if (head.mappingFamily == 0) {
    if (head.channels > 2) {
      why = "mapping family 0 with more than 2 channels";
      return false;
    }
    head.streams = 1;
    head.coupledStreams = head.channels == 2 ? 1 : 0;
    head.mapping = head.channels == 2 ? std::vector<uint8_t>{0, 1} : std::vector<uint8_t>{0};
    return true;
  }
  if (head.mappingFamily != 1 && head.mappingFamily != 255) {
    why = "unsupported channel mapping family " + std::to_string(head.mappingFamily);
    return false;
  }
  if (head.channels > kMaxReadChannels) {
    why = "more than " + std::to_string(kMaxReadChannels) + " channels";
    return false;
  }
  if (packet.size() < 21 + static_cast<size_t>(head.channels)) {
    why = "truncated channel mapping table";
    return false;
  }
  head.streams = packet[19];
  head.coupledStreams = packet[20];
  if (head.streams < 1 || head.coupledStreams > head.streams ||
      head.streams + head.coupledStreams > 255) {
    why = "bad stream counts";
    return false;
  }
  head.mapping.assign(packet.begin() + 21, packet.begin() + 21 + head.channels);
  for (uint8_t index : head.mapping) {
    if (index != 255 && index >= head.streams + head.coupledStreams) {
      why = "bad channel mapping";
      return false;
    }
  }
  return true;
}

std::unique_ptr<OggOpusReader> OggOpusReader::open(const std::string& path, bool loop) {
  FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) throw MediaFileError("MEDIA_FILE_NOT_FOUND", "cannot open " + path);
  std::unique_ptr<OggOpusReader> reader(new OggOpusReader());
  reader->file_ = file;
  reader->loop_ = loop;
  reader->pages_ = std::make_unique<OggPageReader>(file);

  OggPage page;
  std::vector<std::vector<uint8_t>> packets;
  if (reader->pages_->next(page) != OggReadResult::kPage) invalid(path, "no valid Ogg page");
  if ((page.flags & kOggBeginOfStream) == 0) invalid(path, "does not start a stream");
  reader->serial_ = page.serial;
  // RFC 7845 §3: the identification header is alone on the first page.
  if (!reader->assembler_.push(page, packets) || packets.size() != 1) {
    invalid(path, "the first page does not hold exactly one packet");
  }
  std::string why;
  if (!parseOpusHead(packets[0], reader->head_, why)) invalid(path, why);

  // The comment header: one packet, possibly over several pages, ending its last page.
  for (bool haveTags = false; !haveTags;) {
    if (reader->pages_->next(page) != OggReadResult::kPage) {
      invalid(path, "missing or damaged OpusTags header");
    }
    if (page.serial != reader->serial_) {
      // Another logical stream's pages before the audio: several streams interleaved.
      invalid(path, "multiplexed Ogg streams (more than one logical stream) are not supported");
    }
    if (!reader->assembler_.push(page, packets)) invalid(path, "oversized OpusTags header");
    if (packets.empty()) continue;
    if (!startsWith(packets[0], "OpusTags")) invalid(path, "no OpusTags header");
    haveTags = true;
  }
  reader->audioStart_ = std::ftell(file);

  int error = OPUS_OK;
  const OpusHead& head = reader->head_;
  reader->decoder_ = opus_multistream_decoder_create(
      kOpusRate, head.channels, head.streams, head.coupledStreams, head.mapping.data(), &error);
  if (error != OPUS_OK || reader->decoder_ == nullptr) {
    invalid(path, std::string("the decoder refuses the header: ") + opus_strerror(error));
  }
  // RFC 7845 §5.1: players must apply the output gain.
  if (head.outputGain != 0) {
    opus_multistream_decoder_ctl(reader->decoder_, OPUS_SET_GAIN(head.outputGain));
  }
  reader->skipLeft_ = static_cast<uint64_t>(head.preSkip);
  return reader;
}

OggOpusReader::~OggOpusReader() {
  if (decoder_ != nullptr) opus_multistream_decoder_destroy(decoder_);
  if (file_ != nullptr) std::fclose(file_);
}

void OggOpusReader::restart() {
  pages_->seek(audioStart_);
  assembler_.reset();
  opus_multistream_decoder_ctl(decoder_, OPUS_RESET_STATE);
  position_ = 0;
  skipLeft_ = static_cast<uint64_t>(head_.preSkip);
  firstAudioPage_ = true;
  streamEnded_ = false;
  producedThisPass_ = 0;
}

bool OggOpusReader::decodePage() {
  OggPage page;
  for (;;) {
    // Damage ends the stream: what came before it plays, nothing after it is trusted.
    if (pages_->next(page) != OggReadResult::kPage) {
      streamEnded_ = true;
      return false;
    }
    if (page.serial == serial_) break;
    if ((page.flags & kOggBeginOfStream) != 0) {
      // The next link of a chained file: only the first one is played.
      streamEnded_ = true;
      return false;
    }
  }
  if (!assembler_.push(page, packets_)) {
    streamEnded_ = true;
    return false;
  }
  const bool endOfStream = (page.flags & kOggEndOfStream) != 0;
  if (firstAudioPage_ && !packets_.empty() && page.granule != kOggNoGranule) {
    firstAudioPage_ = false;
    // A stream may start at a granule above zero (RFC 7845 §4.3): work the start out from the
    // first page's end. Not on an EOS page, whose granule may already be trimmed.
    uint64_t total = 0;
    for (const std::vector<uint8_t>& packet : packets_) {
      if (packet.empty()) continue;  // libopus takes no null pointer, even for no bytes
      const int samples = opus_packet_get_nb_samples(
          packet.data(), static_cast<opus_int32>(packet.size()), kOpusRate);
      if (samples > 0) total += static_cast<uint64_t>(samples);
    }
    if (!endOfStream && page.granule > total) position_ = page.granule - total;
  }
  // RFC 7845 §4.4: the last page's granule says where the audio ends; the rest is padding.
  const uint64_t end = endOfStream && page.granule != kOggNoGranule ? page.granule : UINT64_MAX;
  const int channels = head_.channels;
  decoded_.resize(static_cast<size_t>(kMaxFrameSamples) * channels);
  for (const std::vector<uint8_t>& packet : packets_) {
    if (packet.empty()) continue;
    const int samples = opus_multistream_decode_float(decoder_, packet.data(),
                                                      static_cast<opus_int32>(packet.size()),
                                                      decoded_.data(), kMaxFrameSamples, 0);
    if (samples <= 0) continue;  // a packet the decoder refuses is skipped
    for (int i = 0; i < samples; ++i) {
      if (position_ + static_cast<uint64_t>(i) >= end) break;
      if (skipLeft_ > 0) {
        --skipLeft_;
        continue;
      }
      float sum = 0;
      for (int c = 0; c < channels; ++c) sum += decoded_[static_cast<size_t>(i) * channels + c];
      const float mono = std::clamp(sum / channels, -1.0f, 32767.0f / 32768.0f);
      pending_.push_back(static_cast<int16_t>(std::lround(mono * 32768.0f)));
      ++producedThisPass_;
    }
    position_ += static_cast<uint64_t>(samples);
  }
  if (endOfStream) streamEnded_ = true;
  return true;
}

bool OggOpusReader::decodeMore() {
  while (pendingRead_ >= pending_.size()) {
    pending_.clear();
    pendingRead_ = 0;
    if (streamEnded_) {
      // A pass that produced nothing would loop forever without giving a sample.
      if (!loop_ || producedThisPass_ == 0) return false;
      restart();
    }
    decodePage();
  }
  return true;
}

size_t OggOpusReader::read(int16_t* out, size_t count) {
  size_t produced = 0;
  while (produced < count && !finished_) {
    if (pendingRead_ >= pending_.size() && !decodeMore()) {
      finished_ = true;
      break;
    }
    const size_t n = std::min(count - produced, pending_.size() - pendingRead_);
    std::copy_n(pending_.begin() + static_cast<long>(pendingRead_), n, out + produced);
    pendingRead_ += n;
    produced += n;
  }
  // Report the end with the read that delivered the last samples, as WavReader does.
  if (!finished_ && pendingRead_ >= pending_.size() && !decodeMore()) finished_ = true;
  std::fill(out + produced, out + count, int16_t{0});
  return produced;
}

std::unique_ptr<OggOpusWriter> OggOpusWriter::create(const std::string& path, int rate,
                                                     int channels) {
  if ((rate != 8000 && rate != 12000 && rate != 16000 && rate != 24000 && rate != 48000) ||
      (channels != 1 && channels != 2)) {
    throw MediaFileError("MEDIA_FILE_UNWRITABLE",
                         "Ogg Opus takes 8, 12, 16, 24 or 48 kHz mono or stereo, not " +
                             std::to_string(rate) + " Hz with " + std::to_string(channels) +
                             " channels: " + path);
  }
  FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) throw MediaFileError("MEDIA_FILE_UNWRITABLE", "cannot create " + path);
  std::unique_ptr<OggOpusWriter> writer(new OggOpusWriter());
  writer->file_ = file;
  writer->rate_ = rate;
  writer->channels_ = channels;
  writer->frameSamples_ = static_cast<size_t>(rate / 50);
  writer->frame_.resize(writer->frameSamples_ * channels);
  // RFC 3533 wants serials unique among the streams of a file; a random one also keeps
  // recordings concatenated into a chain apart.
  writer->stream_ = OggStreamWriter(std::random_device{}());

  int error = OPUS_OK;
  writer->encoder_ = opus_encoder_create(rate, channels, OPUS_APPLICATION_AUDIO, &error);
  if (error != OPUS_OK || writer->encoder_ == nullptr) {
    throw MediaFileError("MEDIA_FILE_UNWRITABLE",
                         std::string("cannot start the Opus encoder: ") + opus_strerror(error));
  }
  // Transparent enough for speech and music recordings; complexity 5 keeps the encoder cheap on
  // the shared audio clock thread, which also paces every other call of the process.
  opus_encoder_ctl(writer->encoder_, OPUS_SET_BITRATE(channels == 1 ? 64000 : 96000));
  opus_encoder_ctl(writer->encoder_, OPUS_SET_COMPLEXITY(5));
  opus_int32 lookahead = 0;
  opus_encoder_ctl(writer->encoder_, OPUS_GET_LOOKAHEAD(&lookahead));
  // The encoder's delay, in 48 kHz samples: what the decoder must drop (RFC 7845 §4.2).
  writer->preSkip_ = static_cast<int>(lookahead * (kOpusRate / rate));

  std::vector<uint8_t> head = {'O', 'p', 'u', 's', 'H',
                               'e', 'a', 'd', 1,   static_cast<uint8_t>(channels)};
  appendLe(head, static_cast<uint32_t>(writer->preSkip_), 2);
  appendLe(head, static_cast<uint32_t>(rate), 4);
  appendLe(head, 0, 2);  // output gain
  head.push_back(0);     // mapping family 0: mono or stereo, one stream
  writer->stream_.addPacket(head.data(), head.size(), 0);
  writer->writePages(false);  // the identification header is alone on its page

  const std::string vendor = opus_get_version_string();
  const std::string comment = "ENCODER=node-tgcalls";
  std::vector<uint8_t> tags = {'O', 'p', 'u', 's', 'T', 'a', 'g', 's'};
  appendLe(tags, static_cast<uint32_t>(vendor.size()), 4);
  tags.insert(tags.end(), vendor.begin(), vendor.end());
  appendLe(tags, 1, 4);
  appendLe(tags, static_cast<uint32_t>(comment.size()), 4);
  tags.insert(tags.end(), comment.begin(), comment.end());
  writer->stream_.addPacket(tags.data(), tags.size(), 0);
  writer->writePages(false);  // audio starts on a fresh page
  return writer;
}

OggOpusWriter::~OggOpusWriter() { close(); }

void OggOpusWriter::write(const int16_t* samples, size_t count) {
  if (file_ == nullptr) return;
  samplesWritten_ += count;
  while (count > 0) {
    const size_t n = std::min(count, frame_.size() - frameFill_);
    std::copy_n(samples, n, frame_.begin() + static_cast<long>(frameFill_));
    frameFill_ += n;
    samples += n;
    count -= n;
    if (frameFill_ == frame_.size()) encodeFrame();
  }
}

void OggOpusWriter::encodeFrame() {
  std::fill(frame_.begin() + static_cast<long>(frameFill_), frame_.end(), int16_t{0});
  frameFill_ = 0;
  uint8_t packet[4000];  // above the largest 20 ms packet (3 × 1275 + 7 bytes)
  const opus_int32 size =
      opus_encode(encoder_, frame_.data(), static_cast<int>(frameSamples_), packet, sizeof(packet));
  // Encoding 20 ms of int16 does not fail with these settings; if it did, an empty packet keeps
  // the timing (decoders conceal it).
  if (haveHeld_) queuePacket(packetsEncoded_ * kPacketSamples48k);
  ++packetsEncoded_;
  held_.assign(packet, packet + std::max<opus_int32>(size, 0));
  haveHeld_ = true;
  if (++packetsSinceFlush_ >= kPacketsPerPage) {
    writePages(false);
    packetsSinceFlush_ = 0;
  }
}

void OggOpusWriter::queuePacket(uint64_t granule) {
  stream_.addPacket(held_.data(), held_.size(), granule);
  haveHeld_ = false;
}

void OggOpusWriter::writePages(bool endOfStream) {
  pageBytes_.clear();
  stream_.flushPages(pageBytes_, endOfStream);
  if (!pageBytes_.empty()) std::fwrite(pageBytes_.data(), 1, pageBytes_.size(), file_);
  // Each page reaches the OS at once: a process killed later loses nothing written so far.
  std::fflush(file_);
}

void OggOpusWriter::close() {
  if (file_ == nullptr) return;
  if (encoder_ == nullptr) {  // create() failed half-way
    std::fclose(file_);
    file_ = nullptr;
    return;
  }
  const uint64_t frames48k =
      samplesWritten_ / static_cast<uint64_t>(channels_) * static_cast<uint64_t>(kOpusRate / rate_);
  const uint64_t finalGranule = static_cast<uint64_t>(preSkip_) + frames48k;
  // Enough packets to cover the encoder delay too, so the input's last sample is decoded; the
  // final granule then trims the padding (RFC 7845 §4.4). At least one packet, even for an
  // empty recording, so the EOS page has something to end.
  while (packetsEncoded_ == 0 || packetsEncoded_ * kPacketSamples48k < finalGranule ||
         frameFill_ > 0) {
    encodeFrame();
  }
  queuePacket(finalGranule);
  writePages(true);
  std::fclose(file_);
  file_ = nullptr;
  opus_encoder_destroy(encoder_);
  encoder_ = nullptr;
}

}  // namespace tgcalls
