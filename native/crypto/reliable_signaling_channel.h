// The stateful sender and receiver of the reliable container framing (spec §4.4.2-§4.6), used
// for signaling in protocol versions 8.0.0, 9.0.0 and 10.0.0: every message is an ack-requiring
// 0x7F entry, unacknowledged entries are re-sent, received messages are acknowledged.
//
// The class has no clock and no threads: every call takes the current time, outgoing packets are
// collected by takeOutgoing(), and nextDeadlineMs() says when takeOutgoing() must run next. That
// keeps it deterministic (tests replay upstream transcripts byte for byte) and lets the owner
// drive it from whatever event loop it has. Not thread-safe: use it from one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <unordered_set>
#include <vector>

#include "crypto/bytes.h"
#include "crypto/packet_cipher.h"
#include "crypto/reliable_container.h"
#include "crypto/replay_window.h"

namespace tgcalls {

class CallKey;

// Sizes, limits and timers (spec §4.4.3, §4.5). Signaling and transport differ only in these.
struct ReliableChannelLimits {
  Channel channel = Channel::Signaling;   // selects the key offsets x
  std::size_t maxOutgoingPacketSize = 0;  // largest encrypted packet we build (16 + plaintext)
  std::size_t maxIncomingPacketSize = 0;  // largest encrypted packet we accept
  std::size_t maxUnackedEntries = 0;      // new messages fail beyond this many unacknowledged
  uint32_t maxCounter = 0;                // last usable counter value; sending stops after it
  int64_t minResendAgeMs = 0;             // an entry is re-sent at most this often
  int64_t resendTimerMs = 0;              // forces a service packet while entries are unacked
  int64_t ackTimerMs = 0;                 // forces a service packet while acks are pending

  static ReliableChannelLimits signaling();  // 16384 / 131072 / 65536 / 0x3FFFFFFF, 3000/5000/5000
  static ReliableChannelLimits transport();  // 1452 / 131072 / 65536 / 0x3FFFFFFF, 300/1000/1000
};

class ReliableSignalingChannel {
 public:
  using Limits = ReliableChannelLimits;

  enum class SendResult {
    Ok,
    TooLarge,          // the message cannot fit in a packet (dropped)
    TooManyUnacked,    // maxUnackedEntries messages are still unacknowledged (dropped)
    CounterExhausted,  // the 30-bit counter is used up; the call should be ended (dropped)
  };

  // Throws CryptoError INVALID_ARGUMENT for a null key or unusable limits.
  ReliableSignalingChannel(std::shared_ptr<const CallKey> key, bool isOutgoing,
                           Limits limits = Limits::signaling());

  // Queues `message` (JSON text) as a new ack-requiring entry. The packet(s) it causes are
  // returned by the next takeOutgoing().
  SendResult send(ByteView message, int64_t nowMs);

  // Processes one encrypted packet from the peer and returns the messages it newly delivers,
  // in order. Anything malformed, unauthenticated or replayed is dropped silently (empty
  // result, no state change). Never throws on bad input. If it delivered a new message, the
  // acknowledging service packet is built by the next takeOutgoing(), so several packets
  // received back to back are acknowledged together.
  std::vector<Bytes> receive(ByteView encryptedPacket, int64_t nowMs);

  // Encrypted packets to hand to the transport now, in order: those caused by send(), the
  // service packet requested by receive(), and those of expired timers.
  std::vector<Bytes> takeOutgoing(int64_t nowMs);

  // The latest time at which takeOutgoing() must be called; nullopt if nothing is scheduled.
  // A value not after the last `nowMs` passed in means "now".
  std::optional<int64_t> nextDeadlineMs() const;

  // Diagnostics: messages sent but not yet acknowledged, acks waiting to be sent, and packets
  // that passed decryption, parsing and the replay check.
  std::size_t unackedCount() const { return unacked_.size(); }
  std::size_t pendingAckCount() const { return acksToSend_.size(); }
  uint64_t acceptedPacketCount() const { return acceptedPackets_; }

 private:
  struct UnackedEntry {
    Bytes bytes;  // the entry exactly as first sent; re-sent byte for byte
    uint32_t seq = 0;
    // When it was last sent; nullopt makes it eligible for re-sending at once.
    std::optional<int64_t> lastSentMs;
  };

  bool counterAvailable() const { return counter_ < limits_.maxCounter; }
  uint32_t takeCounter() { return ++counter_; }
  bool fits(std::size_t plaintextSize, std::size_t addition) const;
  void appendAcks(Bytes& plaintext);
  void appendResends(Bytes& plaintext, int64_t nowMs);
  void sendService(int64_t nowMs);
  void emit(const Bytes& plaintext);
  void queueAck(uint32_t seq);
  void removeAcknowledged(uint32_t seq);

  std::shared_ptr<const CallKey> key_;
  Limits limits_;
  int sendKeyOffset_ = 0;
  int receiveKeyOffset_ = 0;

  // Sender state.
  uint32_t counter_ = 0;  // last counter used; the first one is 1
  std::deque<UnackedEntry> unacked_;
  std::optional<int64_t> resendDeadlineMs_;
  std::vector<Bytes> outgoing_;

  // Receiver state.
  ReplayWindow replayWindow_;
  AckRegister ackRegister_;
  std::deque<uint32_t> acksToSend_;  // in arrival order, deduplicated via pendingAcks_
  std::unordered_set<uint32_t> pendingAcks_;
  std::optional<int64_t> ackDeadlineMs_;
  bool serviceRequested_ = false;
  uint64_t acceptedPackets_ = 0;

  int64_t lastNowMs_ = 0;
};

}  // namespace tgcalls
