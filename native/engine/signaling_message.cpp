#include "engine/signaling_message.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace tgcalls {
namespace {

using Json = nlohmann::json;

// Lenient readers matching json11's accessors: a wrong type reads as the empty value.
std::string stringMember(const Json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<RemoteVideoState> videoStateFrom(const std::string& name) {
  if (name == "inactive") return RemoteVideoState::Inactive;
  if (name == "suspended") return RemoteVideoState::Paused;
  if (name == "active") return RemoteVideoState::Active;
  return std::nullopt;
}

std::optional<SignalingMessage> parseMediaState(const Json& object) {
  SignalingMessage message;
  message.type = SignalingMessage::Type::MediaState;
  MediaStateMessage& state = message.mediaState;
  for (const char* name : {"muted", "lowBattery"}) {
    auto it = object.find(name);
    if (it != object.end() && !it->is_boolean()) return std::nullopt;
  }
  for (const char* name : {"videoState", "screencastState"}) {
    auto it = object.find(name);
    if (it != object.end() && !it->is_string()) return std::nullopt;
  }
  if (auto it = object.find("videoRotation"); it != object.end() && !it->is_number()) {
    return std::nullopt;
  }
  if (auto it = object.find("muted"); it != object.end()) state.muted = it->get<bool>();
  if (auto it = object.find("lowBattery"); it != object.end()) state.lowBattery = it->get<bool>();
  // An unknown state string leaves the default, as upstream does (it only logs).
  if (auto video = videoStateFrom(stringMember(object, "videoState"))) state.videoState = *video;
  // A screencast that is on wins over the camera state.
  auto screencast = videoStateFrom(stringMember(object, "screencastState"));
  if (screencast && *screencast != RemoteVideoState::Inactive) state.videoState = *screencast;
  return message;
}

}  // namespace

std::string jsonString(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c <= 0x1f) {
          char escaped[8];
          std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
          out += escaped;
        } else if (c == 0xe2 && i + 2 < text.size() &&
                   static_cast<unsigned char>(text[i + 1]) == 0x80 &&
                   (static_cast<unsigned char>(text[i + 2]) == 0xa8 ||
                    static_cast<unsigned char>(text[i + 2]) == 0xa9)) {
          // U+2028 and U+2029 are escaped by json11.
          out += static_cast<unsigned char>(text[i + 2]) == 0xa8 ? "\\u2028" : "\\u2029";
          i += 2;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
  return out;
}

std::string serializeSessionDescription(bool isOffer, std::string_view sdp) {
  return std::string("{\"@type\": ") + (isOffer ? "\"offer\"" : "\"answer\"") +
         ", \"sdp\": " + jsonString(sdp) + "}";
}

std::string serializeCandidate(std::string_view sdp, std::string_view mid, int mline) {
  return "{\"@type\": \"candidate\", \"mid\": " + jsonString(mid) +
         ", \"mline\": " + std::to_string(mline) + ", \"sdp\": " + jsonString(sdp) + "}";
}

std::string serializeMediaState(bool muted, bool lowBattery, bool videoActive) {
  return std::string("{\"@type\": \"MediaState\", \"lowBattery\": ") +
         (lowBattery ? "true" : "false") + ", \"muted\": " + (muted ? "true" : "false") +
         ", \"screencastState\": \"inactive\", \"videoRotation\": 0, \"videoState\": " +
         (videoActive ? "\"active\"" : "\"inactive\"") + "}";
}

std::optional<SignalingMessage> parseSignalingMessage(std::string_view json) {
  Json object = Json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/false);
  if (!object.is_object()) return std::nullopt;
  auto type = object.find("@type");
  if (type == object.end() || !type->is_string()) return std::nullopt;
  const std::string typeName = type->get<std::string>();

  SignalingMessage message;
  if (typeName == "offer" || typeName == "answer") {
    if (object.find("sdp") == object.end()) return std::nullopt;
    message.type =
        typeName == "offer" ? SignalingMessage::Type::Offer : SignalingMessage::Type::Answer;
    message.sdp = stringMember(object, "sdp");
    return message;
  }
  if (typeName == "candidate") {
    auto mline = object.find("mline");
    if (object.find("sdp") == object.end() || object.find("mid") == object.end() ||
        mline == object.end()) {
      return std::nullopt;
    }
    message.type = SignalingMessage::Type::Candidate;
    message.sdp = stringMember(object, "sdp");
    message.mid = stringMember(object, "mid");
    if (mline->is_number()) {
      const double value = mline->get<double>();
      message.mline = std::isfinite(value) && std::abs(value) < 1e6 ? static_cast<int>(value) : 0;
    }
    return message;
  }
  if (typeName == "MediaState") return parseMediaState(object);
  return std::nullopt;
}

}  // namespace tgcalls
