// Per-environment state of the addon (one per Node main thread or worker thread): the
// dispatcher that brings results back to JavaScript, the registered error class, promises
// still waiting for native work, the logger, and the share in the WebRTC runtime.
//
// An environment cleanup hook tears all of it down before the environment dies, so a
// worker can be terminated mid-operation and the process can exit with work in flight.
#pragma once

#include <napi.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>

#include "addon/js_dispatcher.h"
#include "webrtc/runtime_lease.h"

namespace tgcalls {

class AddonEnvironment {
 public:
  static void install(Napi::Env env);
  static AddonEnvironment& from(Napi::Env env);

  const std::shared_ptr<JsDispatcher>& dispatcher() const { return dispatcher_; }

  // Starts the shared WebRTC threads on first use.
  WebRtcRuntime& runtime();

  // A promise whose result native work will deliver later; keeps the event loop alive.
  uint64_t addPending(Napi::Promise::Deferred deferred);
  std::optional<Napi::Promise::Deferred> takePending(uint64_t id);

  void setLogger(uint64_t subscription, Napi::Function callback);
  Napi::FunctionReference& logger() { return logger_; }

  Napi::FunctionReference errorClass;

 private:
  explicit AddonEnvironment(Napi::Env env);
  ~AddonEnvironment();
  static void cleanup(void* self);

  Napi::Env env_;
  std::shared_ptr<JsDispatcher> dispatcher_;
  std::unique_ptr<RuntimeLease> lease_;
  std::map<uint64_t, Napi::Promise::Deferred> pending_;
  uint64_t nextPendingId_ = 1;
  uint64_t loggerSubscription_ = 0;
  Napi::FunctionReference logger_;
};

}  // namespace tgcalls
