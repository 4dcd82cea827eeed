// libFuzzer target for the passive SCTP decoder of 11.0.0 signaling: the packet parser and the
// user-message reassembler. Build and run with scripts/fuzz-native.
//
// Input layout: byte 0 selects the mode, the rest is the mode's data.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <variant>
#include <vector>

#include "crypto/bytes.h"
#include "engine/sctp_message_reassembler.h"
#include "engine/sctp_packet.h"

namespace {

using namespace tgcalls;

// Small limits, so that short inputs reach the caps.
constexpr SctpReassemblyLimits kLimits{
    .maxMessageSize = 2000, .maxBufferedBytesPerStream = 4000, .maxBufferedBytes = 10000};

void require(bool condition) {
  if (!condition) __builtin_trap();
}

bool inside(ByteView view, ByteView buffer) {
  return view.empty() || (view.data() >= buffer.data() &&
                          view.data() + view.size() <= buffer.data() + buffer.size());
}

void checkMessages(const std::vector<SctpUserMessage>& messages) {
  for (const SctpUserMessage& message : messages) {
    require(!message.tsns.empty());
    require(message.payload.size() <= kLimits.maxMessageSize);
    require(message.payload.size() >= message.tsns.size());
    for (std::size_t i = 1; i < message.tsns.size(); ++i) {
      require(message.tsns[i] == message.tsns[i - 1] + 1);
    }
  }
}

// Bytes from the network: parse, check what the parser promises, and reassemble what it found.
void feedPacket(ByteView input) {
  const std::optional<SctpPacket> packet = parseSctpPacket(input);
  if (!packet) return;
  require(input.size() >= kSctpCommonHeaderSize + 4 && !packet->chunks.empty());
  SctpMessageReassembler reassembler(kLimits);
  for (const SctpChunk& chunk : packet->chunks) {
    require(inside(chunk.value, input) && chunk.value.size() + 4 == chunk.length);
    if (const auto* data = std::get_if<SctpDataChunk>(&chunk.fields)) {
      require(inside(data->userData, input) && data->userData.size() + 16 == chunk.length);
      checkMessages(reassembler.addChunk(*data));
    } else if (const auto* init = std::get_if<SctpInitChunk>(&chunk.fields)) {
      for (const SctpParameter& parameter : init->parameters) {
        require(inside(parameter.value, chunk.value) &&
                parameter.value.size() + 4 == parameter.length);
      }
    } else if (const auto* sack = std::get_if<SctpSackChunk>(&chunk.fields)) {
      require(chunk.length == 16 + 4 * (sack->gapAckBlocks.size() + sack->duplicateTsns.size()));
    } else if (const auto* abort = std::get_if<SctpAbortChunk>(&chunk.fields)) {
      for (const SctpParameter& cause : abort->errorCauses)
        require(inside(cause.value, chunk.value));
    }
    require(reassembler.bufferedBytes() <= kLimits.maxBufferedBytes);
  }
}

// The input as the chunks of a packet with a valid checksum, so that addPacket takes it.
void feedChecksummedPacket(ByteView chunks) {
  Bytes packet{0x13, 0x88, 0x13, 0x88, 0, 0, 0, 1, 0, 0, 0, 0};
  packet.insert(packet.end(), chunks.begin(), chunks.end());
  const uint32_t checksum = crc32c(packet);
  for (int i = 0; i < 4; ++i) packet[8 + i] = static_cast<uint8_t>(checksum >> (8 * i));
  const std::optional<SctpPacket> parsed = parseSctpPacket(packet);
  if (!parsed) return;
  require(parsed->checksumValid);
  SctpMessageReassembler reassembler(kLimits);
  checkMessages(reassembler.addPacket(*parsed));
  checkMessages(reassembler.addPacket(*parsed));  // all duplicates now
  require(reassembler.bufferedBytes() <= kLimits.maxBufferedBytes);
}

// A script of DATA chunks with TSNs close together, checked against what was fed: every
// delivered message is the concatenation of its fragments, and no TSN is delivered twice. As
// from a real sender, a TSN's first chunk fixes its content: later chunks with that TSN are
// retransmissions, identical to it. Each step: TSN step (signed; -128 jumps a window ahead),
// flags, stream, SSN, user data length / 8, then the user data.
void runFragmentScript(ByteView script) {
  SctpMessageReassembler reassembler(kLimits);
  std::map<uint32_t, SctpDataChunk> chunksByTsn;  // views into `script`
  std::set<uint32_t> delivered;
  uint32_t tsn = 0xFFFFFF00u;  // close to the wrap
  std::size_t position = 0;
  while (position + 5 <= script.size()) {
    const int8_t step = static_cast<int8_t>(script[position]);
    const uint8_t flags = script[position + 1];
    const uint16_t stream = script[position + 2] % 4;
    const uint16_t ssn = script[position + 3] % 4;
    const std::size_t length =
        std::min<std::size_t>(script[position + 4] * 8u, script.size() - position - 5);
    const ByteView userData = script.subspan(position + 5, length);
    position += 5 + length;
    tsn += step == -128 ? SctpMessageReassembler::kTsnWindow : static_cast<uint32_t>(step);

    const SctpDataChunk scripted{.tsn = tsn,
                                 .streamId = stream,
                                 .ssn = ssn,
                                 .ppid = 53,
                                 .immediate = (flags & 8) != 0,
                                 .unordered = (flags & 4) != 0,
                                 .beginning = (flags & 2) != 0,
                                 .ending = (flags & 1) != 0,
                                 .userData = userData};
    const SctpDataChunk& chunk = chunksByTsn.try_emplace(tsn, scripted).first->second;
    const std::vector<SctpUserMessage> messages = reassembler.addChunk(chunk);
    checkMessages(messages);
    for (const SctpUserMessage& message : messages) {
      Bytes expected;
      for (uint32_t fragmentTsn : message.tsns) {
        require(delivered.insert(fragmentTsn).second);
        const SctpDataChunk& fragment = chunksByTsn.at(fragmentTsn);
        require(fragment.streamId == message.streamId && fragment.unordered == message.unordered);
        expected.insert(expected.end(), fragment.userData.begin(), fragment.userData.end());
      }
      require(chunksByTsn.at(message.tsns.front()).beginning);
      require(chunksByTsn.at(message.tsns.back()).ending);
      require(expected == message.payload);
    }
    require(reassembler.bufferedBytes() <= kLimits.maxBufferedBytes);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const ByteView input(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      feedPacket(input);
      break;
    case 1:
      feedChecksummedPacket(input);
      break;
    case 2:
      runFragmentScript(input);
      break;
  }
  return 0;
}
