// Reassembly of SCTP user messages from the DATA chunks of one sender (RFC 9260 §6.9), for the
// passive decoder of 11.0.0 signaling (sctp_packet.h). Pure C++; memory is bounded whatever the
// input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "crypto/bytes.h"
#include "engine/sctp_packet.h"

namespace tgcalls {

struct SctpUserMessage {
  uint16_t streamId = 0;
  uint16_t ssn = 0;   // of its first fragment; meaningless when `unordered`
  uint32_t ppid = 0;  // of its first fragment
  bool unordered = false;
  std::vector<uint32_t> tsns;  // of its fragments, in order (consecutive modulo 2^32)
  Bytes payload;
};

struct SctpReassemblyLimits {
  // Larger messages are dropped: upstream passes 262144 to dcsctp, which refuses to send more.
  std::size_t maxMessageSize = 262144;
  // Bounds on fragments waiting for the rest of their message. Each fragment is charged its
  // user data plus kFragmentOverhead, so that many tiny fragments cannot grow memory either.
  std::size_t maxBufferedBytesPerStream = 1024 * 1024;
  std::size_t maxBufferedBytes = 4 * 1024 * 1024;
};

// Counts of chunks not taken, for diagnostics.
struct SctpReassemblyStats {
  std::size_t duplicateChunks = 0;  // TSN seen before
  std::size_t staleChunks = 0;      // TSN too far behind the highest seen to be tracked
  std::size_t droppedChunks = 0;    // no user data, over a limit, or left behind the window
  std::size_t droppedMessages = 0;  // complete or partial runs of fragments over maxMessageSize
};

// Feeds the DATA chunks of one sender, in arrival order, and returns each user message when its
// last missing fragment arrives. A message is a run of consecutive TSNs from a B fragment to an
// E fragment on one stream, with one SSN (ordered) or all unordered; fragments may arrive in any
// order. A TSN seen before is ignored, so retransmissions deliver nothing twice.
//
// Messages are returned in completion order. SSN order is not enforced: this is a passive
// decoder that may start in the middle of an association, and the layer above (the raw
// signaling channel's replay window) tolerates reordering. Callers that need stream order can
// sort by `ssn`.
class SctpMessageReassembler {
 public:
  // Bookkeeping charged per buffered fragment (see SctpReassemblyLimits).
  static constexpr std::size_t kFragmentOverhead = 64;
  // TSNs tracked for duplicate detection, behind the highest seen. Older TSNs are dropped as
  // stale, together with any fragments buffered there (their messages could never complete).
  // RFC 9260 senders keep far fewer TSNs in flight.
  static constexpr uint32_t kTsnWindow = 65536;

  explicit SctpMessageReassembler(SctpReassemblyLimits limits = {});

  std::vector<SctpUserMessage> addChunk(const SctpDataChunk& chunk);
  // The DATA chunks of `packet`, in order. A packet whose checksum fails is ignored, as a
  // receiving endpoint would discard it.
  std::vector<SctpUserMessage> addPacket(const SctpPacket& packet);

  std::size_t bufferedBytes() const { return bufferedBytes_; }
  std::size_t bufferedFragmentCount() const { return fragments_.size(); }
  const SctpReassemblyStats& stats() const { return stats_; }

 private:
  struct Fragment {
    uint32_t tsn = 0;
    uint16_t streamId = 0;
    uint16_t ssn = 0;
    uint32_t ppid = 0;
    bool unordered = false;
    bool beginning = false;
    bool ending = false;
    Bytes userData;
  };

  // TSNs are unwrapped to 64 bits relative to the highest seen, so that ordering and the
  // window work across the 2^32 wrap.
  int64_t unwrap(uint32_t tsn) const;
  bool seen(int64_t tsn) const;
  void markSeen(int64_t tsn);
  void advanceWindow(int64_t highest);
  static bool sameMessage(const Fragment& a, const Fragment& b);
  std::size_t cost(const Fragment& fragment) const;
  void release(std::map<int64_t, Fragment>::iterator it);
  // Completes (or, if it is over maxMessageSize, drops) the message `tsn` belongs to.
  std::vector<SctpUserMessage> tryComplete(int64_t tsn);

  SctpReassemblyLimits limits_;
  SctpReassemblyStats stats_;
  bool started_ = false;
  int64_t highestTsn_ = 0;
  std::vector<uint64_t> seenBits_;  // kTsnWindow bits, indexed by unwrapped TSN modulo window
  std::map<int64_t, Fragment> fragments_;
  std::map<uint16_t, std::size_t> bufferedBytesPerStream_;
  std::size_t bufferedBytes_ = 0;
};

}  // namespace tgcalls
