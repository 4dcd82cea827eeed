// The signaling framings in JavaScript, for tools and tests; the engine uses the same C++
// classes directly. Both are driven by the caller's clock (nowMs), as in C++.
#pragma once

#include <napi.h>

#include <memory>

#include "crypto/raw_signaling_channel.h"
#include "crypto/reliable_signaling_channel.h"

namespace tgcalls {

// new ReliableSignalingChannel(key: CallKey, isOutgoing): 10.0.0's reliable container.
class ReliableSignalingChannelHandle : public Napi::ObjectWrap<ReliableSignalingChannelHandle> {
 public:
  static void define(Napi::Env env, Napi::Object exports);
  explicit ReliableSignalingChannelHandle(const Napi::CallbackInfo& info);

 private:
  Napi::Value send(const Napi::CallbackInfo& info);
  Napi::Value receive(const Napi::CallbackInfo& info);
  Napi::Value takeOutgoing(const Napi::CallbackInfo& info);
  Napi::Value nextDeadlineMs(const Napi::CallbackInfo& info);
  Napi::Value unackedCount(const Napi::CallbackInfo& info);

  std::unique_ptr<ReliableSignalingChannel> channel_;
};

// new RawSignalingChannel(key: CallKey, isOutgoing): the raw framing of 11.0.0 (and 6/7).
class RawSignalingChannelHandle : public Napi::ObjectWrap<RawSignalingChannelHandle> {
 public:
  static void define(Napi::Env env, Napi::Object exports);
  explicit RawSignalingChannelHandle(const Napi::CallbackInfo& info);

 private:
  Napi::Value seal(const Napi::CallbackInfo& info);
  Napi::Value open(const Napi::CallbackInfo& info);

  std::unique_ptr<RawSignalingChannel> channel_;
};

}  // namespace tgcalls
