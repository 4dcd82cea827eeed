// The JSON signaling messages of tgcalls 10.0.0/11.0.0 (spec §5.1-§5.3): offer, answer,
// candidate and MediaState. Pure C++ (no WebRTC), so it is unit-tested natively.
//
// Output uses upstream's json11 form (keys sorted, ": " and ", " separators) so that what
// we send looks exactly like what an upstream peer sends; input is parsed leniently, as
// upstream does, without depending on key order or whitespace.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tgcalls {

enum class RemoteVideoState { Inactive, Paused, Active };

struct MediaStateMessage {
  bool muted = false;
  bool lowBattery = false;
  RemoteVideoState videoState = RemoteVideoState::Inactive;
};

struct SignalingMessage {
  enum class Type { Offer, Answer, Candidate, MediaState };
  Type type = Type::Offer;
  std::string sdp;  // offer/answer: the whole SDP; candidate: "candidate:..."
  std::string mid;
  int mline = 0;
  MediaStateMessage mediaState;
};

std::string serializeSessionDescription(bool isOffer, std::string_view sdp);
std::string serializeCandidate(std::string_view sdp, std::string_view mid, int mline);
// Always all five members, as upstream sends them (spec §5.2 [rec]).
std::string serializeMediaState(bool muted, bool lowBattery, bool videoActive);

// nullopt for anything that is not a message we act on: unparsable JSON, a non-object, an
// unknown @type, a candidate missing a member, an offer/answer without sdp, or a MediaState
// with a member of the wrong JSON type. Never throws.
std::optional<SignalingMessage> parseSignalingMessage(std::string_view json);

// JSON string literal in json11's escaping (spec §5.1).
std::string jsonString(std::string_view text);

}  // namespace tgcalls
