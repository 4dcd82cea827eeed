#include "crypto/reliable_signaling_channel.h"

#include <algorithm>
#include <utility>

#include "crypto/call_key.h"
#include "crypto/crypto_error.h"

namespace tgcalls {
namespace {

// seq (4) + type (1): the size of an empty, an ack and a raw-message header without its length.
constexpr std::size_t kEntryHeaderSize = 5;
// seq + 0x7F + u32be length.
constexpr std::size_t kRawMessageHeaderSize = 9;

// Acks waiting to be sent are capped so that a peer cannot make the queue grow without bound
// while we are unable to send. Dropping an ack is safe: the peer re-sends the message and we
// acknowledge the copy.
constexpr std::size_t kMaxPendingAcks = 65536;

void appendU32(Bytes& out, uint32_t value) {
  out.push_back(static_cast<uint8_t>(value >> 24));
  out.push_back(static_cast<uint8_t>(value >> 16));
  out.push_back(static_cast<uint8_t>(value >> 8));
  out.push_back(static_cast<uint8_t>(value));
}

void writeU32(Bytes& out, std::size_t offset, uint32_t value) {
  out[offset] = static_cast<uint8_t>(value >> 24);
  out[offset + 1] = static_cast<uint8_t>(value >> 16);
  out[offset + 2] = static_cast<uint8_t>(value >> 8);
  out[offset + 3] = static_cast<uint8_t>(value);
}

// What the application receives for an entry: the JSON of a raw message; for a binary message
// its type byte followed by its body, so that it can still be decoded.
Bytes deliverableBytes(const ContainerEntry& entry) {
  Bytes out;
  if (entry.kind == EntryKind::Binary) out.push_back(entry.type);
  out.insert(out.end(), entry.body.begin(), entry.body.end());
  return out;
}

}  // namespace

ReliableChannelLimits ReliableChannelLimits::signaling() {
  ReliableChannelLimits limits;
  limits.channel = Channel::Signaling;
  limits.maxOutgoingPacketSize = 16384;
  limits.maxIncomingPacketSize = kMaxEncryptedPacketSize;
  limits.maxUnackedEntries = 65536;
  limits.maxCounter = kCounterMask;
  limits.minResendAgeMs = 3000;
  limits.resendTimerMs = 5000;
  limits.ackTimerMs = 5000;
  return limits;
}

ReliableChannelLimits ReliableChannelLimits::transport() {
  ReliableChannelLimits limits = signaling();
  limits.channel = Channel::Transport;
  limits.maxOutgoingPacketSize = 1500 - 48;
  limits.minResendAgeMs = 300;
  limits.resendTimerMs = 1000;
  limits.ackTimerMs = 1000;
  return limits;
}

ReliableSignalingChannel::ReliableSignalingChannel(std::shared_ptr<const CallKey> key,
                                                   bool isOutgoing, Limits limits)
    : key_(std::move(key)),
      limits_(limits),
      sendKeyOffset_(senderKeyOffset(isOutgoing, limits.channel)),
      receiveKeyOffset_(receiverKeyOffset(isOutgoing, limits.channel)) {
  if (!key_) throw CryptoError(CryptoError::kInvalidArgument, "reliable channel needs a key");
  // A service packet must at least hold its header and one ack, or acks could never be sent.
  if (limits_.maxOutgoingPacketSize < kMsgKeySize + 2 * kEntryHeaderSize ||
      limits_.maxIncomingPacketSize < kMinEncryptedPacketSize || limits_.maxUnackedEntries == 0 ||
      limits_.maxCounter == 0 || limits_.maxCounter > kCounterMask || limits_.minResendAgeMs < 0 ||
      limits_.resendTimerMs <= 0 || limits_.ackTimerMs <= 0) {
    throw CryptoError(CryptoError::kInvalidArgument, "unusable reliable channel limits");
  }
}

ReliableSignalingChannel::SendResult ReliableSignalingChannel::send(ByteView message,
                                                                    int64_t nowMs) {
  lastNowMs_ = nowMs;
  // The entry must also fit behind a service packet's 5-byte header, otherwise it could be sent
  // once but never re-sent, and would block every later entry (re-sends keep their order).
  // Upstream only checks the first packet; this refuses the 5 sizes in between.
  if (message.size() > limits_.maxOutgoingPacketSize ||
      !fits(kEntryHeaderSize, kRawMessageHeaderSize + message.size())) {
    return SendResult::TooLarge;
  }
  if (unacked_.size() >= limits_.maxUnackedEntries) return SendResult::TooManyUnacked;
  if (!counterAvailable()) return SendResult::CounterExhausted;

  const uint32_t seq = takeCounter() | kRequiresAckFlag;
  Bytes entry;
  entry.reserve(kRawMessageHeaderSize + message.size());
  appendU32(entry, seq);
  entry.push_back(kRawMessageEntryType);
  appendU32(entry, static_cast<uint32_t>(message.size()));
  entry.insert(entry.end(), message.begin(), message.end());

  if (unacked_.empty()) {
    // Nothing is outstanding, so the message may go first in its own packet, followed by any
    // pending acks. Upstream arms no re-send timer here (spec §4.5 [quirk]); we do, so that a
    // lost first message is re-sent even if nothing else happens.
    Bytes plaintext = entry;
    appendAcks(plaintext);
    unacked_.push_back(UnackedEntry{std::move(entry), seq, nowMs});
    if (!resendDeadlineMs_) resendDeadlineMs_ = nowMs + limits_.resendTimerMs;
    emit(plaintext);
  } else {
    // Entries must reach the peer in order, so the new one goes behind the outstanding ones in
    // a service packet that re-sends all of them now.
    unacked_.push_back(UnackedEntry{std::move(entry), seq, std::nullopt});
    for (UnackedEntry& outstanding : unacked_) outstanding.lastSentMs.reset();
    sendService(nowMs);
  }
  return SendResult::Ok;
}

std::vector<Bytes> ReliableSignalingChannel::receive(ByteView encryptedPacket, int64_t nowMs) {
  lastNowMs_ = nowMs;
  std::vector<Bytes> delivered;
  if (encryptedPacket.size() > limits_.maxIncomingPacketSize) return delivered;
  std::optional<Bytes> plaintext = decryptPacket(*key_, receiveKeyOffset_, encryptedPacket);
  if (!plaintext) return delivered;
  // Validate everything before touching any state (spec §4.6 [rec]).
  std::optional<ParsedContainer> container = parseReliableContainer(*plaintext);
  if (!container) return delivered;
  if (!replayWindow_.registerCounter(container->firstSeq & kCounterMask)) return delivered;
  ++acceptedPackets_;

  bool deliveredNewAckRequiring = false;
  bool seenAckRequiring = false;
  for (std::size_t i = 0; i < container->entries.size(); ++i) {
    const ContainerEntry& entry = container->entries[i];
    switch (entry.kind) {
      case EntryKind::Empty:
        break;
      case EntryKind::Ack:
        removeAcknowledged(entry.seq);
        break;
      case EntryKind::RawMessage:
      case EntryKind::Binary: {
        bool isNew = false;
        if (entry.requiresAck()) {
          isNew = ackRegister_.registerCounter(entry.counter(), !seenAckRequiring);
          seenAckRequiring = true;
          queueAck(entry.seq);
          deliveredNewAckRequiring = deliveredNewAckRequiring || isNew;
        } else if (i == 0) {
          isNew = true;  // its counter is the packet's, registered above
        } else {
          isNew = replayWindow_.registerCounter(entry.counter());
        }
        if (isNew) delivered.push_back(deliverableBytes(entry));
        break;
      }
    }
  }

  if (!acksToSend_.empty()) {
    if (deliveredNewAckRequiring) {
      serviceRequested_ = true;
    } else if (!ackDeadlineMs_) {
      // Re-sent copies are acknowledged too, but without a packet of their own right away.
      ackDeadlineMs_ = nowMs + limits_.ackTimerMs;
    }
  }
  return delivered;
}

std::vector<Bytes> ReliableSignalingChannel::takeOutgoing(int64_t nowMs) {
  lastNowMs_ = nowMs;
  bool wantService = std::exchange(serviceRequested_, false);
  // Upstream runs each expired timer as its own service request; requests that fall due
  // together are merged into one packet here, which carries the same acks and re-sends.
  if (ackDeadlineMs_ && nowMs >= *ackDeadlineMs_) {
    ackDeadlineMs_.reset();
    wantService = true;
  }
  if (resendDeadlineMs_ && nowMs >= *resendDeadlineMs_) {
    resendDeadlineMs_.reset();
    wantService = true;
  }
  if (wantService) sendService(nowMs);
  return std::exchange(outgoing_, {});
}

std::optional<int64_t> ReliableSignalingChannel::nextDeadlineMs() const {
  if (!outgoing_.empty() || serviceRequested_) return lastNowMs_;
  std::optional<int64_t> deadline = ackDeadlineMs_;
  if (resendDeadlineMs_ && (!deadline || *resendDeadlineMs_ < *deadline)) {
    deadline = resendDeadlineMs_;
  }
  return deadline;
}

bool ReliableSignalingChannel::fits(std::size_t plaintextSize, std::size_t addition) const {
  return kMsgKeySize + plaintextSize <= limits_.maxOutgoingPacketSize &&
         addition <= limits_.maxOutgoingPacketSize - kMsgKeySize - plaintextSize;
}

void ReliableSignalingChannel::appendAcks(Bytes& plaintext) {
  while (!acksToSend_.empty() && fits(plaintext.size(), kEntryHeaderSize)) {
    const uint32_t seq = acksToSend_.front();
    acksToSend_.pop_front();
    pendingAcks_.erase(seq);
    appendU32(plaintext, seq);
    plaintext.push_back(kAckEntryType);
  }
  if (acksToSend_.empty()) ackDeadlineMs_.reset();
}

void ReliableSignalingChannel::appendResends(Bytes& plaintext, int64_t nowMs) {
  if (unacked_.empty()) return;
  for (UnackedEntry& entry : unacked_) {
    // Stop at the first entry that may not or cannot go: later ones must not overtake it.
    if (entry.lastSentMs && nowMs < *entry.lastSentMs + limits_.minResendAgeMs) break;
    if (!fits(plaintext.size(), entry.bytes.size())) break;
    plaintext.insert(plaintext.end(), entry.bytes.begin(), entry.bytes.end());
    entry.lastSentMs = nowMs;
  }
  if (!resendDeadlineMs_) resendDeadlineMs_ = nowMs + limits_.resendTimerMs;
}

void ReliableSignalingChannel::sendService(int64_t nowMs) {
  if (unacked_.empty() && acksToSend_.empty()) return;
  if (!counterAvailable()) return;  // sending has stopped for good
  Bytes plaintext(kEntryHeaderSize);
  plaintext[4] = kEmptyEntryType;
  appendAcks(plaintext);
  appendResends(plaintext, nowMs);
  // Upstream would also send a packet with nothing but its header (when every unacked entry was
  // sent too recently); it tells the peer nothing, so we skip it and keep the counter.
  if (plaintext.size() == kEntryHeaderSize) return;
  writeU32(plaintext, 0, takeCounter());
  emit(plaintext);
}

void ReliableSignalingChannel::emit(const Bytes& plaintext) {
  outgoing_.push_back(encryptPacket(*key_, sendKeyOffset_, plaintext));
}

void ReliableSignalingChannel::queueAck(uint32_t seq) {
  if (pendingAcks_.count(seq) != 0 || acksToSend_.size() >= kMaxPendingAcks) return;
  acksToSend_.push_back(seq);
  pendingAcks_.insert(seq);
}

void ReliableSignalingChannel::removeAcknowledged(uint32_t seq) {
  // Counters grow in send order and every entry carries the same flags, so unacked_ is sorted
  // by seq and an ack is found by binary search (a packet may carry thousands of acks).
  auto it =
      std::lower_bound(unacked_.begin(), unacked_.end(), seq,
                       [](const UnackedEntry& entry, uint32_t value) { return entry.seq < value; });
  if (it != unacked_.end() && it->seq == seq) unacked_.erase(it);
}

}  // namespace tgcalls
