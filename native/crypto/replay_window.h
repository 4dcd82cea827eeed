// Duplicate detection for received packets and messages (spec §4.6).
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <vector>

namespace tgcalls {

// replay_register: remembers the largest recently seen counters within a window of 64. A counter
// is accepted once; a counter 64 or more below the largest seen is rejected as too old.
class ReplayWindow {
 public:
  static constexpr uint64_t kWindowSize = 64;

  // Whether registerCounter(counter) would accept, without changing anything.
  bool wouldAccept(uint32_t counter) const;
  // Records `counter` and returns true if it is new and within the window; otherwise returns
  // false and changes nothing.
  bool registerCounter(uint32_t counter);

 private:
  // Sorted ascending; never more than kWindowSize elements (all lie in (largest - 64, largest]).
  std::vector<uint32_t> seen_;
};

// ack_register: remembers the counters of ack-requiring messages already delivered, so that
// re-sent copies are acknowledged again but not delivered twice.
//
// The sender re-sends unacknowledged entries oldest first, so the first ack-requiring entry of
// a packet is the oldest the sender had not seen acknowledged; every message below it was
// acknowledged, hence delivered here. Upstream forgets the counters below that entry, and if
// a stale (reordered) packet later brings one of them back it delivers it a second time
// (spec §4.6 [quirk]). We additionally keep the highest such "floor" ever seen and treat any
// counter below it as already delivered. For a sender that follows the protocol this changes
// nothing except suppressing those stale duplicates, so upstream peers interoperate unchanged.
class AckRegister {
 public:
  // Bound on remembered counters. A protocol-following peer has at most 65536 unacknowledged
  // messages, so it never gets near this; a misbehaving one cannot make us grow without limit
  // (beyond it the oldest counters are folded into the floor).
  static constexpr std::size_t kMaxRemembered = 1 << 18;

  // Returns true if the message with this counter has not been delivered before (and records
  // it). `firstInPacket`: this is the first ack-requiring entry of its packet.
  bool registerCounter(uint32_t counter, bool firstInPacket);

  std::size_t rememberedCount() const { return delivered_.size(); }

 private:
  std::set<uint32_t> delivered_;  // counters >= floor_ that were delivered
  uint64_t floor_ = 0;            // every counter below this counts as delivered
};

}  // namespace tgcalls
