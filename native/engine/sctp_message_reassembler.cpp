#include "engine/sctp_message_reassembler.h"

#include <algorithm>
#include <iterator>
#include <utility>
#include <variant>

namespace tgcalls {
namespace {

constexpr uint64_t kWindowMask = SctpMessageReassembler::kTsnWindow - 1;
static_assert((SctpMessageReassembler::kTsnWindow & kWindowMask) == 0, "window is a power of 2");

}  // namespace

SctpMessageReassembler::SctpMessageReassembler(SctpReassemblyLimits limits)
    : limits_(limits), seenBits_(kTsnWindow / 64, 0) {}

int64_t SctpMessageReassembler::unwrap(uint32_t tsn) const {
  // Serial number arithmetic (RFC 1982): the nearer of the two directions around the circle.
  return highestTsn_ + static_cast<int32_t>(tsn - static_cast<uint32_t>(highestTsn_));
}

bool SctpMessageReassembler::seen(int64_t tsn) const {
  const uint64_t bit = static_cast<uint64_t>(tsn) & kWindowMask;
  return (seenBits_[bit / 64] >> (bit % 64)) & 1;
}

void SctpMessageReassembler::markSeen(int64_t tsn) {
  const uint64_t bit = static_cast<uint64_t>(tsn) & kWindowMask;
  seenBits_[bit / 64] |= uint64_t{1} << (bit % 64);
}

void SctpMessageReassembler::advanceWindow(int64_t highest) {
  // The bits of the TSNs entering the window still describe TSNs that left it: clear them,
  // a word at a time where possible, so a large jump costs at most the bitmap's size.
  if (highest - highestTsn_ >= static_cast<int64_t>(kTsnWindow)) {
    std::fill(seenBits_.begin(), seenBits_.end(), 0);
  } else {
    for (int64_t tsn = highestTsn_ + 1; tsn <= highest;) {
      const uint64_t bit = static_cast<uint64_t>(tsn) & kWindowMask;
      if (bit % 64 == 0 && highest - tsn >= 63) {
        seenBits_[bit / 64] = 0;
        tsn += 64;
      } else {
        seenBits_[bit / 64] &= ~(uint64_t{1} << (bit % 64));
        ++tsn;
      }
    }
  }
  highestTsn_ = highest;
  // A fragment behind the window can never complete: a missing neighbour would now be stale.
  const int64_t oldestTracked = highest - static_cast<int64_t>(kTsnWindow) + 1;
  while (!fragments_.empty() && fragments_.begin()->first < oldestTracked) {
    ++stats_.droppedChunks;
    release(fragments_.begin());
  }
}

bool SctpMessageReassembler::sameMessage(const Fragment& a, const Fragment& b) {
  return a.streamId == b.streamId && a.unordered == b.unordered && (a.unordered || a.ssn == b.ssn);
}

std::size_t SctpMessageReassembler::cost(const Fragment& fragment) const {
  return fragment.userData.size() + kFragmentOverhead;
}

void SctpMessageReassembler::release(std::map<int64_t, Fragment>::iterator it) {
  const std::size_t charged = cost(it->second);
  auto stream = bufferedBytesPerStream_.find(it->second.streamId);
  stream->second -= charged;
  if (stream->second == 0) bufferedBytesPerStream_.erase(stream);
  bufferedBytes_ -= charged;
  fragments_.erase(it);
}

std::vector<SctpUserMessage> SctpMessageReassembler::addPacket(const SctpPacket& packet) {
  std::vector<SctpUserMessage> messages;
  if (!packet.checksumValid) return messages;
  for (const SctpChunk& chunk : packet.chunks) {
    if (const auto* data = std::get_if<SctpDataChunk>(&chunk.fields)) {
      for (SctpUserMessage& message : addChunk(*data)) messages.push_back(std::move(message));
    }
  }
  return messages;
}

std::vector<SctpUserMessage> SctpMessageReassembler::addChunk(const SctpDataChunk& chunk) {
  // RFC 9260 §6.2: a DATA chunk without user data is a protocol error.
  if (chunk.userData.empty() || chunk.userData.size() > limits_.maxMessageSize) {
    ++stats_.droppedChunks;
    return {};
  }
  if (!started_) {
    started_ = true;
    highestTsn_ = chunk.tsn;
  }
  const int64_t tsn = unwrap(chunk.tsn);
  if (tsn <= highestTsn_ - static_cast<int64_t>(kTsnWindow)) {
    ++stats_.staleChunks;
    return {};
  }
  if (tsn <= highestTsn_ && seen(tsn)) {
    ++stats_.duplicateChunks;
    return {};
  }

  // A whole message in one chunk (every message of the 11.0.0 transcript) needs no buffer, so
  // it gets through even when the buffer is full.
  if (chunk.beginning && chunk.ending) {
    if (tsn > highestTsn_) advanceWindow(tsn);
    markSeen(tsn);
    std::vector<SctpUserMessage> messages;
    messages.push_back(SctpUserMessage{
        .streamId = chunk.streamId,
        .ssn = chunk.ssn,
        .ppid = chunk.ppid,
        .unordered = chunk.unordered,
        .tsns = {chunk.tsn},
        .payload = toBytes(chunk.userData),
    });
    return messages;
  }

  const std::size_t charged = chunk.userData.size() + kFragmentOverhead;
  auto stream = bufferedBytesPerStream_.find(chunk.streamId);
  const std::size_t streamBytes = stream == bufferedBytesPerStream_.end() ? 0 : stream->second;
  if (streamBytes + charged > limits_.maxBufferedBytesPerStream ||
      bufferedBytes_ + charged > limits_.maxBufferedBytes) {
    // Not marked seen: a retransmission may be taken once the buffer has drained.
    ++stats_.droppedChunks;
    return {};
  }
  if (tsn > highestTsn_) advanceWindow(tsn);
  markSeen(tsn);
  fragments_.emplace(tsn, Fragment{
                              .tsn = chunk.tsn,
                              .streamId = chunk.streamId,
                              .ssn = chunk.ssn,
                              .ppid = chunk.ppid,
                              .unordered = chunk.unordered,
                              .beginning = chunk.beginning,
                              .ending = chunk.ending,
                              .userData = toBytes(chunk.userData),
                          });
  bufferedBytesPerStream_[chunk.streamId] += charged;
  bufferedBytes_ += charged;
  return tryComplete(tsn);
}

std::vector<SctpUserMessage> SctpMessageReassembler::tryComplete(int64_t tsn) {
  using Iterator = std::map<int64_t, Fragment>::iterator;
  auto follows = [](Iterator earlier, Iterator later) {
    return later->first == earlier->first + 1 && sameMessage(earlier->second, later->second) &&
           !earlier->second.ending && !later->second.beginning;
  };

  // Back to the first fragment, through consecutive TSNs of the same message.
  Iterator first = fragments_.find(tsn);
  while (!first->second.beginning) {
    if (first == fragments_.begin()) return {};
    Iterator previous = std::prev(first);
    if (!follows(previous, first)) return {};
    first = previous;
  }

  // Forward to the last fragment, stopping at a gap or once the message is too large.
  Iterator last = first;
  std::size_t size = first->second.userData.size();
  while (!last->second.ending && size <= limits_.maxMessageSize) {
    Iterator next = std::next(last);
    if (next == fragments_.end() || !follows(last, next)) return {};
    last = next;
    size += last->second.userData.size();
  }

  const Iterator end = std::next(last);
  if (size > limits_.maxMessageSize) {
    // Never deliverable; free its buffer instead of holding it until it leaves the window.
    ++stats_.droppedMessages;
    for (Iterator it = first; it != end;) release(it++);
    return {};
  }

  SctpUserMessage message;
  message.streamId = first->second.streamId;
  message.ssn = first->second.ssn;
  message.ppid = first->second.ppid;
  message.unordered = first->second.unordered;
  message.payload.reserve(size);
  for (Iterator it = first; it != end;) {
    message.tsns.push_back(it->second.tsn);
    message.payload.insert(message.payload.end(), it->second.userData.begin(),
                           it->second.userData.end());
    release(it++);
  }
  std::vector<SctpUserMessage> messages;
  messages.push_back(std::move(message));
  return messages;
}

}  // namespace tgcalls
