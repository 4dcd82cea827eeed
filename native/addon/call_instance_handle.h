// NativeCall in JavaScript: a handle on one CallInstance (engine/call_instance.h).
//
//   new NativeCall(options, onEvent)   onEvent(name, value) on this thread
//   start(), receiveSignalingData(bytes), setMuted(bool), pushAudio(Int16Array): boolean,
//   getStats(): Promise, stop(): Promise<final state>, audioCounters(),
//   pushVideoFrame(width, height, i420: Uint8Array): boolean, videoCounters()
//
// A started call keeps the event loop alive until it is stopped. When its environment goes
// away (worker terminated, process exit) the call is stopped first.
#pragma once

#include <napi.h>

#include <cstdint>
#include <memory>

#include "engine/call_instance.h"

namespace tgcalls {

class CallAudio;

class CallInstanceHandle : public Napi::ObjectWrap<CallInstanceHandle> {
 public:
  static void define(Napi::Env env, Napi::Object exports);
  explicit CallInstanceHandle(const Napi::CallbackInfo& info);
  ~CallInstanceHandle() override;

  // Environment teardown: stop without JavaScript (blocking).
  void stopForTeardown();

 private:
  void start(const Napi::CallbackInfo& info);
  void receiveSignalingData(const Napi::CallbackInfo& info);
  void setMuted(const Napi::CallbackInfo& info);
  Napi::Value pushAudio(const Napi::CallbackInfo& info);
  Napi::Value getStats(const Napi::CallbackInfo& info);
  Napi::Value stop(const Napi::CallbackInfo& info);
  Napi::Value audioCounters(const Napi::CallbackInfo& info);
  Napi::Value pushVideoFrame(const Napi::CallbackInfo& info);
  void useFileInput(const Napi::CallbackInfo& info);
  void usePushedInput(const Napi::CallbackInfo& info);
  void setInputPaused(const Napi::CallbackInfo& info);
  void setInputGain(const Napi::CallbackInfo& info);
  Napi::Value videoCounters(const Napi::CallbackInfo& info);

  CallInstanceEvents makeEvents();
  void emit(Napi::Env env, const char* name, Napi::Value value);
  void releaseLoop(Napi::Env env);

  uint64_t id_ = 0;
  Napi::FunctionReference onEvent_;
  std::shared_ptr<CallAudio> audio_;
  std::unique_ptr<CallInstance> instance_;
  bool started_ = false;
  bool stopped_ = false;
  bool holdingLoop_ = false;
};

}  // namespace tgcalls
