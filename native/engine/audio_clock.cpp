#include "engine/audio_clock.h"

#include <algorithm>
#include <chrono>

namespace tgcalls {
namespace {
constexpr std::chrono::milliseconds kTick(10);
}  // namespace

AudioClock::AudioClock() : thread_([this] { run(); }) {}

AudioClock::~AudioClock() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void AudioClock::addSource(Listener* listener) {
  std::lock_guard<std::mutex> lock(mutex_);
  sources_.push_back(listener);
}

void AudioClock::addPlayout(Listener* listener) {
  std::lock_guard<std::mutex> lock(mutex_);
  playout_.push_back(listener);
}

void AudioClock::remove(Listener* listener) {
  std::lock_guard<std::mutex> lock(mutex_);
  sources_.erase(std::remove(sources_.begin(), sources_.end(), listener), sources_.end());
  playout_.erase(std::remove(playout_.begin(), playout_.end(), listener), playout_.end());
}

void AudioClock::run() {
  pthread_setname_np(pthread_self(), "tgcalls-audio");
  auto deadline = std::chrono::steady_clock::now();
  uint64_t tick = 0;
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    for (Listener* listener : sources_) listener->onAudioTick(tick);
    for (Listener* listener : playout_) listener->onAudioTick(tick);
    ++tick;
    deadline += kTick;
    const auto now = std::chrono::steady_clock::now();
    if (now > deadline + 5 * kTick) {
      // Far behind (a stalled machine): start a new schedule rather than bursting.
      lateTicks_.fetch_add(1);
      deadline = now;
    }
    wake_.wait_until(lock, deadline, [this] { return stopping_; });
  }
}

}  // namespace tgcalls
