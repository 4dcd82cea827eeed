// libFuzzer target for everything that parses bytes from the network: packet decryption, the
// reliable container parser, the stateful reliable channel, the raw channel and the inflater.
// Build and run with scripts/fuzz-native.
//
// Random bytes almost never authenticate, so most modes first encrypt (part of) the input with
// the fixed key: that makes the parsers behind the cipher reachable.
//
// Input layout: byte 0 selects the mode, the rest is the mode's data.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "crypto/bytes.h"
#include "crypto/call_key.h"
#include "crypto/gzip_codec.h"
#include "crypto/packet_cipher.h"
#include "crypto/raw_signaling_channel.h"
#include "crypto/reliable_container.h"
#include "crypto/reliable_signaling_channel.h"

namespace {

using namespace tgcalls;

const std::shared_ptr<const CallKey>& fuzzKey() {
  static const std::shared_ptr<const CallKey> key = [] {
    Bytes bytes(kCallKeySize);
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i * 7 + 1);
    return std::make_shared<const CallKey>(CallKey::fromBytes(bytes));
  }();
  return key;
}

void require(bool condition) {
  if (!condition) __builtin_trap();
}

// Unauthenticated bytes into every decoder.
void feedRawBytes(ByteView input) {
  const CallKey& key = *fuzzKey();
  for (int x : {0, 8, 128, 136}) {
    std::optional<Bytes> plaintext = decryptPacket(key, x, input);
    if (plaintext) require(plaintext->size() + kMsgKeySize == input.size());
  }
  (void)parseReliableContainer(input);
  ReliableSignalingChannel reliable(fuzzKey(), false);
  (void)reliable.receive(input, 0);
  RawSignalingChannel raw(fuzzKey(), false);
  (void)raw.open(input);
  (void)maybeInflate(input);
}

// The input as an authentic plaintext from the caller: exercises parser and receive logic.
void feedAuthenticPlaintext(ByteView plaintext) {
  std::optional<ParsedContainer> parsed = parseReliableContainer(plaintext);
  if (parsed) {
    require(!parsed->entries.empty());
    for (const ContainerEntry& entry : parsed->entries) {
      require(entry.offset + entry.size <= plaintext.size());
      require(entry.body.size() <= entry.size);
    }
  }
  const Bytes packet = encryptPacket(*fuzzKey(), 128, plaintext);
  std::optional<Bytes> roundTrip = decryptPacket(*fuzzKey(), 128, packet);
  if (packet.size() >= kMinEncryptedPacketSize && packet.size() <= kMaxEncryptedPacketSize) {
    require(roundTrip && *roundTrip == Bytes(plaintext.begin(), plaintext.end()));
  }
  ReliableSignalingChannel reliable(fuzzKey(), false);
  std::vector<Bytes> delivered = reliable.receive(packet, 0);
  if (!parsed) require(delivered.empty() && reliable.acceptedPacketCount() == 0);
  for (const Bytes& message : delivered) require(message.size() <= plaintext.size());
  (void)reliable.takeOutgoing(0);
  (void)reliable.receive(packet, 1);  // replay
  require(reliable.acceptedPacketCount() <= 1);

  RawSignalingChannel raw(fuzzKey(), false);
  std::optional<Bytes> payload = raw.open(packet);
  if (payload) (void)maybeInflate(*payload);
}

// A little script driving a caller/callee pair: exercises the sender's queue, acks, re-sends and
// timers together with hostile packets. Each step: opcode byte, then its operands.
void runChannelScript(ByteView script) {
  ReliableSignalingChannel caller(fuzzKey(), true);
  ReliableSignalingChannel callee(fuzzKey(), false);
  int64_t now = 0;
  std::size_t position = 0;
  auto take = [&](std::size_t count) {
    count = std::min(count, script.size() - position);
    ByteView out = script.subspan(position, count);
    position += count;
    return out;
  };
  std::vector<Bytes> toCallee;
  std::vector<Bytes> toCaller;
  while (position < script.size()) {
    const uint8_t op = script[position++];
    const std::size_t operand = position < script.size() ? script[position++] : 0;
    switch (op % 7) {
      case 0:  // caller sends a message
        (void)caller.send(take(operand * 8), now);
        break;
      case 1:  // callee sends a message
        (void)callee.send(take(operand * 8), now);
        break;
      case 2:  // time passes; both emit
        now += static_cast<int64_t>(operand) * 100;
        for (Bytes& p : caller.takeOutgoing(now)) toCallee.push_back(std::move(p));
        for (Bytes& p : callee.takeOutgoing(now)) toCaller.push_back(std::move(p));
        break;
      case 3:  // deliver (or drop, or duplicate) the oldest packet in flight each way
        if (!toCallee.empty()) {
          if (operand & 1) (void)callee.receive(toCallee.front(), now);
          if (!(operand & 2)) toCallee.erase(toCallee.begin());
        }
        if (!toCaller.empty()) {
          if (operand & 4) (void)caller.receive(toCaller.front(), now);
          if (!(operand & 8)) toCaller.erase(toCaller.begin());
        }
        break;
      case 4:  // deliver the newest packet in flight (reordering)
        if (!toCallee.empty()) {
          (void)callee.receive(toCallee.back(), now);
          toCallee.pop_back();
        }
        break;
      case 5:  // an authentic but arbitrary plaintext from the caller
        (void)callee.receive(encryptPacket(*fuzzKey(), 128, take(operand * 4)), now);
        break;
      case 6:  // an authentic but arbitrary plaintext from the callee
        (void)caller.receive(encryptPacket(*fuzzKey(), 136, take(operand * 4)), now);
        break;
    }
    if (toCallee.size() > 64) toCallee.erase(toCallee.begin());
    if (toCaller.size() > 64) toCaller.erase(toCaller.begin());
  }
}

// Compressed-looking payloads.
void feedInflater(ByteView input, bool zlib) {
  Bytes payload = zlib ? Bytes{0x78, 0x9C} : Bytes{0x1F, 0x8B};
  payload.insert(payload.end(), input.begin(), input.end());
  std::optional<Bytes> out = maybeInflate(payload);
  if (out) require(out->size() <= kMaxInflatedSize);
  // Round trip of arbitrary data through our own compressor.
  std::optional<Bytes> back = maybeInflate(gzipCompress(input));
  require(back && *back == Bytes(input.begin(), input.end()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const ByteView input(data + 1, size - 1);
  switch (data[0] % 5) {
    case 0:
      feedRawBytes(input);
      break;
    case 1:
      feedAuthenticPlaintext(input);
      break;
    case 2:
      runChannelScript(input);
      break;
    case 3:
      feedInflater(input, false);
      break;
    case 4:
      feedInflater(input, true);
      break;
  }
  return 0;
}
