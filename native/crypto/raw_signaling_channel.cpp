#include "crypto/raw_signaling_channel.h"

#include <utility>

#include "crypto/call_key.h"
#include "crypto/crypto_error.h"

namespace tgcalls {
namespace {

constexpr std::size_t kSeqSize = 4;
// Same ceiling as the reliable framing, so a counter never collides with flag bits a receiver
// might mask off.
constexpr uint32_t kMaxRawCounter = 0x3FFFFFFF;

}  // namespace

RawSignalingChannel::RawSignalingChannel(std::shared_ptr<const CallKey> key, bool isOutgoing,
                                         Channel channel)
    : key_(std::move(key)),
      sendKeyOffset_(senderKeyOffset(isOutgoing, channel)),
      receiveKeyOffset_(receiverKeyOffset(isOutgoing, channel)) {
  if (!key_) throw CryptoError(CryptoError::kInvalidArgument, "raw channel needs a key");
}

Bytes RawSignalingChannel::seal(ByteView payload) {
  if (counter_ >= kMaxRawCounter) {
    throw CryptoError(CryptoError::kCounterExhausted, "outgoing packet counter exhausted");
  }
  const uint32_t seq = ++counter_;
  Bytes plaintext;
  plaintext.reserve(kSeqSize + payload.size());
  plaintext.push_back(static_cast<uint8_t>(seq >> 24));
  plaintext.push_back(static_cast<uint8_t>(seq >> 16));
  plaintext.push_back(static_cast<uint8_t>(seq >> 8));
  plaintext.push_back(static_cast<uint8_t>(seq));
  plaintext.insert(plaintext.end(), payload.begin(), payload.end());
  return encryptPacket(*key_, sendKeyOffset_, plaintext);
}

std::optional<Bytes> RawSignalingChannel::open(ByteView packet) {
  std::optional<Bytes> plaintext = decryptPacket(*key_, receiveKeyOffset_, packet);
  // decryptPacket guarantees at least 5 plaintext bytes; the check documents the dependency.
  if (!plaintext || plaintext->size() < kSeqSize) return std::nullopt;
  const Bytes& body = *plaintext;
  const uint32_t seq = (uint32_t{body[0]} << 24) | (uint32_t{body[1]} << 16) |
                       (uint32_t{body[2]} << 8) | uint32_t{body[3]};
  if (!replayWindow_.registerCounter(seq)) return std::nullopt;
  return Bytes(body.begin() + kSeqSize, body.end());
}

}  // namespace tgcalls
