// The one 10 ms clock of the process that paces all call audio, natively.
//
// A single thread ticks every registered listener every 10 ms against a monotonic schedule
// (deadline += 10 ms, so there is no drift), instead of a thread per call or a JavaScript
// timer: thread count does not grow with calls and audio keeps its pace under JS load.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace tgcalls {

class AudioClock {
 public:
  class Listener {
   public:
    // Called on the clock thread, every 10 ms, with the tick number.
    virtual void onAudioTick(uint64_t tick) = 0;

   protected:
    ~Listener() = default;
  };

  AudioClock();
  ~AudioClock();  // stops and joins

  // Sources first, then the playout pump, so a frame captured at a tick can be encoded
  // before the same tick pulls decoded audio. Once remove() returns, the listener is not
  // running and will not be called again. Never call either from inside onAudioTick().
  void addSource(Listener* listener);
  void addPlayout(Listener* listener);
  void remove(Listener* listener);

  uint64_t lateTicks() const { return lateTicks_.load(); }

 private:
  void run();

  std::mutex mutex_;  // held while ticking: remove() waits for a running tick
  std::condition_variable wake_;
  std::vector<Listener*> sources_;
  std::vector<Listener*> playout_;
  bool stopping_ = false;
  std::atomic<uint64_t> lateTicks_{0};
  std::thread thread_;
};

}  // namespace tgcalls
