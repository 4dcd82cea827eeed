#include "addon/addon_environment.h"

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

AddonEnvironment::AddonEnvironment(Napi::Env env)
    : env_(env), dispatcher_(JsDispatcher::create(env)) {}

AddonEnvironment::~AddonEnvironment() {
  LogRouter::instance().unsubscribe(loggerSubscription_);
  dispatcher_->close();
  pending_.clear();
  logger_.Reset();
  errorClass.Reset();
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
