#include "addon/signaling_channel_handles.h"

#include <limits>

#include "addon/arguments.h"
#include "addon/call_key_handle.h"
#include "addon/crypto_errors.h"

namespace tgcalls {
namespace {

constexpr int64_t kMaxTimeMs = int64_t{1} << 52;

Napi::Array toBufferArray(Napi::Env env, const std::vector<Bytes>& packets) {
  Napi::Array result = Napi::Array::New(env, packets.size());
  for (uint32_t i = 0; i < packets.size(); ++i) result.Set(i, toBuffer(env, packets[i]));
  return result;
}

const char* sendResultName(ReliableSignalingChannel::SendResult result) {
  switch (result) {
    case ReliableSignalingChannel::SendResult::Ok:
      return "ok";
    case ReliableSignalingChannel::SendResult::TooLarge:
      return "tooLarge";
    case ReliableSignalingChannel::SendResult::TooManyUnacked:
      return "tooManyUnacked";
    case ReliableSignalingChannel::SendResult::CounterExhausted:
      return "counterExhausted";
  }
  return "unknown";
}

}  // namespace

void ReliableSignalingChannelHandle::define(Napi::Env env, Napi::Object exports) {
  exports.Set(
      "ReliableSignalingChannel",
      DefineClass(
          env, "ReliableSignalingChannel",
          {
              InstanceMethod<&ReliableSignalingChannelHandle::send>("send"),
              InstanceMethod<&ReliableSignalingChannelHandle::receive>("receive"),
              InstanceMethod<&ReliableSignalingChannelHandle::takeOutgoing>("takeOutgoing"),
              InstanceMethod<&ReliableSignalingChannelHandle::nextDeadlineMs>("nextDeadlineMs"),
              InstanceAccessor<&ReliableSignalingChannelHandle::unackedCount>("unackedCount"),
          }));
}

ReliableSignalingChannelHandle::ReliableSignalingChannelHandle(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<ReliableSignalingChannelHandle>(info) {
  auto key = CallKeyHandle::unwrap(info.Env(), info[0]);
  const bool isOutgoing = booleanArgument(info, 1, "isOutgoing");
  channel_ = std::make_unique<ReliableSignalingChannel>(std::move(key), isOutgoing);
}

Napi::Value ReliableSignalingChannelHandle::send(const Napi::CallbackInfo& info) {
  ByteView message = bytesArgument(info, 0, "message");
  const int64_t nowMs = integerArgument(info, 1, "nowMs", 0, kMaxTimeMs);
  return Napi::String::New(info.Env(), sendResultName(channel_->send(message, nowMs)));
}

Napi::Value ReliableSignalingChannelHandle::receive(const Napi::CallbackInfo& info) {
  ByteView packet = bytesArgument(info, 0, "packet");
  const int64_t nowMs = integerArgument(info, 1, "nowMs", 0, kMaxTimeMs);
  return toBufferArray(info.Env(), channel_->receive(packet, nowMs));
}

Napi::Value ReliableSignalingChannelHandle::takeOutgoing(const Napi::CallbackInfo& info) {
  const int64_t nowMs = integerArgument(info, 0, "nowMs", 0, kMaxTimeMs);
  return toBufferArray(info.Env(), channel_->takeOutgoing(nowMs));
}

Napi::Value ReliableSignalingChannelHandle::nextDeadlineMs(const Napi::CallbackInfo& info) {
  auto deadline = channel_->nextDeadlineMs();
  if (!deadline) return info.Env().Null();
  return Napi::Number::New(info.Env(), static_cast<double>(*deadline));
}

Napi::Value ReliableSignalingChannelHandle::unackedCount(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(channel_->unackedCount()));
}

void RawSignalingChannelHandle::define(Napi::Env env, Napi::Object exports) {
  exports.Set("RawSignalingChannel",
              DefineClass(env, "RawSignalingChannel",
                          {
                              InstanceMethod<&RawSignalingChannelHandle::seal>("seal"),
                              InstanceMethod<&RawSignalingChannelHandle::open>("open"),
                          }));
}

RawSignalingChannelHandle::RawSignalingChannelHandle(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<RawSignalingChannelHandle>(info) {
  auto key = CallKeyHandle::unwrap(info.Env(), info[0]);
  const bool isOutgoing = booleanArgument(info, 1, "isOutgoing");
  channel_ = std::make_unique<RawSignalingChannel>(std::move(key), isOutgoing);
}

Napi::Value RawSignalingChannelHandle::seal(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ByteView payload = bytesArgument(info, 0, "payload");
  return toBuffer(env, withCryptoErrors(env, [&] { return channel_->seal(payload); }));
}

Napi::Value RawSignalingChannelHandle::open(const Napi::CallbackInfo& info) {
  ByteView packet = bytesArgument(info, 0, "packet");
  std::optional<Bytes> payload = channel_->open(packet);
  if (!payload) return info.Env().Null();
  return toBuffer(info.Env(), *payload);
}

}  // namespace tgcalls
