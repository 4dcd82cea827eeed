// The raw framing (spec §4.4.1) with encryption, used for signaling in protocol versions 6.0.0,
// 7.0.0 and 11.0.0: plaintext = u32be seq ‖ payload, one message per packet, no acks and no
// re-sends. In 11.0.0 the payload is gzip(JSON) (see gzip_codec.h) and each sealed packet
// travels as one SCTP user message.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "crypto/bytes.h"
#include "crypto/packet_cipher.h"
#include "crypto/replay_window.h"

namespace tgcalls {

class CallKey;

class RawSignalingChannel {
 public:
  // Throws CryptoError INVALID_ARGUMENT for a null key.
  RawSignalingChannel(std::shared_ptr<const CallKey> key, bool isOutgoing,
                      Channel channel = Channel::Signaling);

  // Encrypts `payload` behind the next sequence number (1, 2, 3, ...). Throws CryptoError
  // COUNTER_EXHAUSTED after 0x3FFFFFFF packets.
  Bytes seal(ByteView payload);

  // Decrypts a packet from the peer and returns its payload; nullopt (drop silently) if it fails
  // authentication or its sequence number was seen before or is too old (window of 64).
  std::optional<Bytes> open(ByteView packet);

 private:
  std::shared_ptr<const CallKey> key_;
  int sendKeyOffset_ = 0;
  int receiveKeyOffset_ = 0;
  uint32_t counter_ = 0;
  ReplayWindow replayWindow_;
};

}  // namespace tgcalls
