#include "addon/addon_environment.h"

#include "addon/call_instance_handle.h"
#include "webrtc/log_router.h"

namespace tgcalls {
namespace {
// The cleanup hook owns the environment object; N-API's instance-data finalizer must not.
void keepAlive(Napi::Env, AddonEnvironment*) {}
}  // namespace

void AddonEnvironment::install(Napi::Env env) {
  auto* environment = new AddonEnvironment(env);
  // Owned by the cleanup hook, which runs before the environment's handles are gone.
  napi_add_env_cleanup_hook(env, &AddonEnvironment::cleanup, environment);
  env.SetInstanceData<AddonEnvironment, keepAlive>(environment);
}

AddonEnvironment& AddonEnvironment::from(Napi::Env env) {
  return *env.GetInstanceData<AddonEnvironment>();
}

AddonEnvironment* AddonEnvironment::find(Napi::Env env) {
  return env.GetInstanceData<AddonEnvironment>();
}

AddonEnvironment::AddonEnvironment(Napi::Env env)
    : env_(env), dispatcher_(JsDispatcher::create(env)) {}

AddonEnvironment::~AddonEnvironment() {
  // Calls first: they use the dispatcher and the WebRTC threads.
  std::map<uint64_t, CallInstanceHandle*> calls;
  calls.swap(calls_);
  for (auto& [id, call] : calls) call->stopForTeardown();
  LogRouter::instance().unsubscribe(loggerSubscription_);
  dispatcher_->close();
  pending_.clear();
  logger_.Reset();
  errorClass.Reset();
  constructors.clear();
  // Last: joins the WebRTC threads if this was the last environment using them. Tasks still
  // queued there are discarded and can no longer reach this environment's dispatcher.
  lease_.reset();
}

void AddonEnvironment::cleanup(void* self) {
  auto* environment = static_cast<AddonEnvironment*>(self);
  environment->env_.SetInstanceData<AddonEnvironment, keepAlive>(nullptr);
  delete environment;
}

WebRtcRuntime& AddonEnvironment::runtime() {
  if (!lease_) lease_ = std::make_unique<RuntimeLease>();
  return lease_->runtime();
}

uint64_t AddonEnvironment::addPending(Napi::Promise::Deferred deferred) {
  const uint64_t id = nextPendingId_++;
  pending_.emplace(id, deferred);
  dispatcher_->holdLoop(env_);
  return id;
}

std::optional<Napi::Promise::Deferred> AddonEnvironment::takePending(uint64_t id) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return std::nullopt;
  Napi::Promise::Deferred deferred = it->second;
  pending_.erase(it);
  dispatcher_->releaseLoop(env_);
  return deferred;
}

uint64_t AddonEnvironment::registerCall(CallInstanceHandle* call) {
  const uint64_t id = nextCallId_++;
  calls_.emplace(id, call);
  return id;
}

void AddonEnvironment::unregisterCall(uint64_t id) { calls_.erase(id); }

CallInstanceHandle* AddonEnvironment::findCall(uint64_t id) const {
  auto it = calls_.find(id);
  return it == calls_.end() ? nullptr : it->second;
}

void AddonEnvironment::setLogger(uint64_t subscription, Napi::Function callback) {
  LogRouter::instance().unsubscribe(loggerSubscription_);
  loggerSubscription_ = subscription;
  if (callback.IsEmpty()) {
    logger_.Reset();
  } else {
    logger_ = Napi::Persistent(callback);
  }
}

}  // namespace tgcalls
