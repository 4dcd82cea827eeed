#include "addon/runtime_bindings.h"

#include <string>
#include <utility>

#include "addon/addon_environment.h"
#include "addon/typed_error.h"
#include "webrtc/dtls_certificate.h"
#include "webrtc/log_router.h"
#include "webrtc/webrtc_runtime.h"

namespace tgcalls {
namespace {

const char* levelName(LogLevel level) {
  switch (level) {
    case LogLevel::Verbose:
      return "verbose";
    case LogLevel::Info:
      return "info";
    case LogLevel::Warning:
      return "warning";
    case LogLevel::Error:
      return "error";
    case LogLevel::None:
      break;
  }
  return "none";
}

LogLevel parseLevel(Napi::Env env, const std::string& name) {
  for (LogLevel level :
       {LogLevel::Verbose, LogLevel::Info, LogLevel::Warning, LogLevel::Error, LogLevel::None}) {
    if (name == levelName(level)) return level;
  }
  throwRangeError(env, "log level must be one of verbose, info, warning, error, none");
}

Napi::Value versions(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object result = Napi::Object::New(env);
  result.Set("tgOwt", TGOWT_SNAPSHOT);
  result.Set("addon", NODE_TGCALLS_VERSION);
  // What the engine implements, preferred first (engine/call_instance.h).
  Napi::Array protocols = Napi::Array::New(env, 2);
  protocols.Set(0u, "11.0.0");
  protocols.Set(1u, "10.0.0");
  result.Set("protocolVersions", protocols);
  return result;
}

// setErrorClass(ctor): the class native code uses for typed errors (lib/errors.ts).
void setErrorClass(const Napi::CallbackInfo& info) {
  if (!info[0].IsFunction()) throwTypeError(info.Env(), "error class must be a constructor");
  AddonEnvironment::from(info.Env()).errorClass = Napi::Persistent(info[0].As<Napi::Function>());
}

// setLogger(level, callback | undefined): WebRTC log lines at `level` or above are passed to
// callback(level, line) on this thread; with no callback nothing is collected.
void setLogger(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) throwTypeError(env, "log level must be a string");
  const LogLevel level = parseLevel(env, info[0].As<Napi::String>().Utf8Value());
  AddonEnvironment& environment = AddonEnvironment::from(env);
  if (info[1].IsUndefined() || info[1].IsNull() || level == LogLevel::None) {
    environment.setLogger(0, Napi::Function());
    return;
  }
  if (!info[1].IsFunction()) throwTypeError(env, "logger must be a function");
  std::weak_ptr<JsDispatcher> dispatcher = environment.dispatcher();
  // Replace the old subscription first so lines are never delivered twice.
  environment.setLogger(0, Napi::Function());
  const uint64_t subscription =
      LogRouter::instance().subscribe(level, [dispatcher](LogLevel lineLevel, std::string line) {
        auto target = dispatcher.lock();
        if (!target) return;
        target->postLossy([lineLevel, line = std::move(line)](Napi::Env env) {
          Napi::FunctionReference& logger = AddonEnvironment::from(env).logger();
          if (logger.IsEmpty()) return;
          logger.Call({Napi::String::New(env, levelName(lineLevel)), Napi::String::New(env, line)});
        });
      });
  environment.setLogger(subscription, info[1].As<Napi::Function>());
}

// generateCertificateFingerprint(): Promise<string>. Creates the shared PeerConnectionFactory
// on the signaling thread if needed, then a DTLS certificate on the worker thread.
Napi::Value generateCertificateFingerprint(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  AddonEnvironment& environment = AddonEnvironment::from(env);
  Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
  const uint64_t id = environment.addPending(deferred);
  WebRtcRuntime* runtime = &environment.runtime();
  std::shared_ptr<JsDispatcher> dispatcher = environment.dispatcher();

  runtime->signalingThread()->PostTask([runtime, dispatcher, id]() mutable {
    const bool haveFactory = runtime->peerConnectionFactory() != nullptr;
    runtime->workerThread()->PostTask([haveFactory, dispatcher = std::move(dispatcher), id] {
      std::string fingerprint = haveFactory ? generateDtlsCertificateFingerprint() : "";
      dispatcher->post([id, haveFactory, fingerprint = std::move(fingerprint)](Napi::Env env) {
        auto deferred = AddonEnvironment::from(env).takePending(id);
        if (!deferred) return;
        if (!haveFactory) {
          deferred->Reject(makeTypedError(env, "WEBRTC_INIT_FAILED",
                                          "WebRTC's PeerConnectionFactory could not be created")
                               .Value());
        } else if (fingerprint.empty()) {
          deferred->Reject(
              makeTypedError(env, "CERTIFICATE_FAILED", "DTLS certificate generation failed")
                  .Value());
        } else {
          deferred->Resolve(Napi::String::New(env, fingerprint));
        }
      });
    });
  });
  return deferred.Promise();
}

Napi::Value liveRuntimeLeases(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), RuntimeLease::liveCount());
}

}  // namespace

void registerRuntimeBindings(Napi::Env env, Napi::Object exports) {
  exports.Set("versions", Napi::Function::New<versions>(env, "versions"));
  exports.Set("setErrorClass", Napi::Function::New<setErrorClass>(env, "setErrorClass"));
  exports.Set("setLogger", Napi::Function::New<setLogger>(env, "setLogger"));
  exports.Set("generateCertificateFingerprint", Napi::Function::New<generateCertificateFingerprint>(
                                                    env, "generateCertificateFingerprint"));
  exports.Set("liveRuntimeLeases",
              Napi::Function::New<liveRuntimeLeases>(env, "liveRuntimeLeases"));
}

}  // namespace tgcalls
