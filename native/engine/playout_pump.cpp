#include "engine/playout_pump.h"

namespace tgcalls {
namespace {
constexpr size_t kSamplesPer10Ms = 480;
constexpr uint32_t kRate = 48000;
}  // namespace

int32_t PlayoutPump::RegisterAudioCallback(webrtc::AudioTransport* transport) {
  std::lock_guard<std::mutex> lock(mutex_);
  transport_ = transport;
  return 0;
}

int32_t PlayoutPump::StartPlayout() {
  std::lock_guard<std::mutex> lock(mutex_);
  playing_ = true;
  return 0;
}

int32_t PlayoutPump::StopPlayout() {
  std::lock_guard<std::mutex> lock(mutex_);
  playing_ = false;
  return 0;
}

bool PlayoutPump::Playing() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return playing_;
}

int32_t PlayoutPump::Terminate() {
  std::lock_guard<std::mutex> lock(mutex_);
  playing_ = false;
  transport_ = nullptr;
  return 0;
}

int32_t PlayoutPump::StereoPlayoutIsAvailable(bool* available) const {
  *available = false;
  return 0;
}

int32_t PlayoutPump::StereoRecordingIsAvailable(bool* available) const {
  *available = false;
  return 0;
}

int32_t PlayoutPump::PlayoutIsAvailable(bool* available) {
  *available = true;
  return 0;
}

int32_t PlayoutPump::RecordingIsAvailable(bool* available) {
  *available = true;
  return 0;
}

void PlayoutPump::onAudioTick(uint64_t) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!playing_ || transport_ == nullptr) return;
  int16_t discarded[kSamplesPer10Ms];
  size_t samplesOut = 0;
  int64_t elapsedMs = 0;
  int64_t ntpMs = 0;
  transport_->NeedMorePlayData(kSamplesPer10Ms, sizeof(int16_t), 1, kRate, discarded, samplesOut,
                               &elapsedMs, &ntpMs);
}

}  // namespace tgcalls
