// A bounded queue of 48 kHz mono PCM between a producer (JavaScript pushing audio) and the
// engine's 10 ms audio clock. Bounded so a fast producer gets backpressure instead of growing
// memory; an empty queue yields silence and counts an underrun. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

namespace tgcalls {

class PcmFrameQueue {
 public:
  explicit PcmFrameQueue(size_t capacitySamples);

  // Appends all of `samples` or nothing: false when they do not fit (backpressure).
  bool push(const int16_t* samples, size_t count);
  // Fills `out` with `count` samples; a shortfall is zero-filled and counted as an underrun.
  // Returns the number of real samples copied.
  size_t pull(int16_t* out, size_t count);

  size_t queuedSamples() const;
  size_t capacitySamples() const { return capacity_; }
  uint64_t underruns() const;
  void clear();

 private:
  mutable std::mutex mutex_;
  const size_t capacity_;
  std::vector<int16_t> buffer_;  // capacity_ samples once anything was pushed
  size_t head_ = 0;              // next sample to pull
  size_t size_ = 0;
  uint64_t underruns_ = 0;
};

}  // namespace tgcalls
