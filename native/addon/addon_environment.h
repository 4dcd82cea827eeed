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
#include <string>

#include "addon/js_dispatcher.h"
#include "webrtc/runtime_lease.h"

namespace tgcalls {

class CallInstanceHandle;

class AddonEnvironment {
 public:
  static void install(Napi::Env env);
  static AddonEnvironment& from(Napi::Env env);
  // nullptr once the environment is being torn down.
  static AddonEnvironment* find(Napi::Env env);

  const std::shared_ptr<JsDispatcher>& dispatcher() const { return dispatcher_; }

  // Starts the shared WebRTC threads on first use.
  WebRtcRuntime& runtime();

  // A promise whose result native work will deliver later; keeps the event loop alive.
  uint64_t addPending(Napi::Promise::Deferred deferred);
  std::optional<Napi::Promise::Deferred> takePending(uint64_t id);

  // Live calls of this environment, stopped at teardown before the runtime lease goes.
  uint64_t registerCall(CallInstanceHandle* call);
  void unregisterCall(uint64_t id);
  CallInstanceHandle* findCall(uint64_t id) const;

  void setLogger(uint64_t subscription, Napi::Function callback);
  Napi::FunctionReference& logger() { return logger_; }

  Napi::FunctionReference errorClass;
  // Classes native code instantiates (CallKey, ...), by name.
  std::map<std::string, Napi::FunctionReference> constructors;

 private:
  explicit AddonEnvironment(Napi::Env env);
  ~AddonEnvironment();
  static void cleanup(void* self);

  Napi::Env env_;
  std::shared_ptr<JsDispatcher> dispatcher_;
  std::unique_ptr<RuntimeLease> lease_;
  std::map<uint64_t, Napi::Promise::Deferred> pending_;
  uint64_t nextPendingId_ = 1;
  std::map<uint64_t, CallInstanceHandle*> calls_;
  uint64_t nextCallId_ = 1;
  uint64_t loggerSubscription_ = 0;
  Napi::FunctionReference logger_;
};

}  // namespace tgcalls
