// The addon's entry point: a thin N-API boundary over the engine. Each bindings file
// registers its own functions; TypeScript (lib/) builds the public API on top.
#include <napi.h>

#include "addon/addon_environment.h"
#include "addon/call_instance_handle.h"
#include "addon/crypto_bindings.h"
#include "addon/runtime_bindings.h"
#include "addon/sctp_replay_binding.h"
#include "webrtc/log_router.h"

namespace {

Napi::Object init(Napi::Env env, Napi::Object exports) {
  // Silences WebRTC's default logging to stderr before any WebRTC code runs.
  tgcalls::LogRouter::instance();
  tgcalls::AddonEnvironment::install(env);
  tgcalls::registerRuntimeBindings(env, exports);
  tgcalls::registerCryptoBindings(env, exports);
  tgcalls::CallInstanceHandle::define(env, exports);
  tgcalls::registerSctpReplayBinding(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(node_tgcalls, init)
