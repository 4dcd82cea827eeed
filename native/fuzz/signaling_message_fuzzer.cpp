// libFuzzer target for the JSON signaling messages of 10.0.0/11.0.0 (engine/signaling_message):
// what arrives decrypted from the peer, parsed with nlohmann::json. Whatever parses must
// serialize and parse back to the same message. Build and run with scripts/fuzz-native.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/signaling_message.h"

namespace {

using namespace tgcalls;

void require(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  const std::optional<SignalingMessage> message = parseSignalingMessage(json);
  if (!message) return 0;
  std::string again;
  switch (message->type) {
    case SignalingMessage::Type::Offer:
    case SignalingMessage::Type::Answer:
      again =
          serializeSessionDescription(message->type == SignalingMessage::Type::Offer, message->sdp);
      break;
    case SignalingMessage::Type::Candidate:
      again = serializeCandidate(message->sdp, message->mid, message->mline);
      break;
    case SignalingMessage::Type::MediaState:
      again = serializeMediaState(message->mediaState.muted, message->mediaState.lowBattery,
                                  message->mediaState.videoState == RemoteVideoState::Active);
      break;
  }
  const std::optional<SignalingMessage> back = parseSignalingMessage(again);
  require(back.has_value() && back->type == message->type);
  require(back->sdp == message->sdp && back->mid == message->mid && back->mline == message->mline);
  require(back->mediaState.muted == message->mediaState.muted);
  require(back->mediaState.lowBattery == message->mediaState.lowBattery);
  return 0;
}
