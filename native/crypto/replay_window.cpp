#include "crypto/replay_window.h"

#include <algorithm>

namespace tgcalls {

bool ReplayWindow::wouldAccept(uint32_t counter) const {
  // 64-bit arithmetic: the raw framing's counters use all 32 bits, so c + 64 may not fit.
  const uint64_t largest = seen_.empty() ? 0 : seen_.back();
  if (std::binary_search(seen_.begin(), seen_.end(), counter)) return false;
  return uint64_t{counter} + kWindowSize > largest;
}

bool ReplayWindow::registerCounter(uint32_t counter) {
  if (!wouldAccept(counter)) return false;
  // Forget everything that has fallen out of the window behind the new counter.
  std::erase_if(seen_, [counter](uint32_t e) { return uint64_t{e} + kWindowSize <= counter; });
  seen_.insert(std::upper_bound(seen_.begin(), seen_.end(), counter), counter);
  return true;
}

bool AckRegister::registerCounter(uint32_t counter, bool firstInPacket) {
  if (counter < floor_) return false;
  const bool already = delivered_.count(counter) != 0;
  if (firstInPacket) {
    floor_ = counter;
    delivered_.erase(delivered_.begin(), delivered_.lower_bound(counter));
  }
  if (already) return false;
  delivered_.insert(counter);
  while (delivered_.size() > kMaxRemembered) {
    floor_ = uint64_t{*delivered_.begin()} + 1;
    delivered_.erase(delivered_.begin());
  }
  return true;
}

}  // namespace tgcalls
