#include "media/pcm_frame_queue.h"

#include <algorithm>
#include <cstring>

namespace tgcalls {

PcmFrameQueue::PcmFrameQueue(size_t capacitySamples)
    : capacity_(std::max<size_t>(capacitySamples, 1)) {}

bool PcmFrameQueue::push(const int16_t* samples, size_t count) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (count > capacity_ - size_) return false;
  // Allocated at the first push: calls that send a file or nothing never need it.
  if (buffer_.empty()) buffer_.resize(capacity_);
  size_t tail = (head_ + size_) % buffer_.size();
  for (size_t copied = 0; copied < count;) {
    const size_t chunk = std::min(count - copied, buffer_.size() - tail);
    std::memcpy(buffer_.data() + tail, samples + copied, chunk * sizeof(int16_t));
    copied += chunk;
    tail = (tail + chunk) % buffer_.size();
  }
  size_ += count;
  return true;
}

size_t PcmFrameQueue::pull(int16_t* out, size_t count) {
  std::lock_guard<std::mutex> lock(mutex_);
  const size_t available = std::min(count, size_);  // 0 until the first push
  for (size_t copied = 0; copied < available;) {
    const size_t chunk = std::min(available - copied, buffer_.size() - head_);
    std::memcpy(out + copied, buffer_.data() + head_, chunk * sizeof(int16_t));
    copied += chunk;
    head_ = (head_ + chunk) % buffer_.size();
  }
  size_ -= available;
  if (available < count) {
    std::memset(out + available, 0, (count - available) * sizeof(int16_t));
    ++underruns_;
  }
  return available;
}

size_t PcmFrameQueue::queuedSamples() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return size_;
}

uint64_t PcmFrameQueue::underruns() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return underruns_;
}

void PcmFrameQueue::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  head_ = 0;
  size_ = 0;
}

}  // namespace tgcalls
