#include "addon/js_dispatcher.h"

#include <utility>

namespace tgcalls {

std::shared_ptr<JsDispatcher> JsDispatcher::create(Napi::Env env, size_t lossyCapacity) {
  std::shared_ptr<JsDispatcher> dispatcher(new JsDispatcher(lossyCapacity));
  dispatcher->wake_ =
      WakeFunction::New(env, "node-tgcalls", 0, 1, new WakeTarget{dispatcher},
                        [](Napi::Env, void*, WakeTarget* target) { delete target; });
  dispatcher->wake_.Unref(env);
  return dispatcher;
}

JsDispatcher::JsDispatcher(size_t lossyCapacity) : lossyCapacity_(lossyCapacity) {}

JsDispatcher::~JsDispatcher() = default;

bool JsDispatcher::post(Task task) { return enqueue(std::move(task), false); }

bool JsDispatcher::postLossy(Task task) { return enqueue(std::move(task), true); }

uint64_t JsDispatcher::droppedTasks() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return dropped_;
}

bool JsDispatcher::enqueue(Task task, bool lossy) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_) return false;
  if (lossy) {
    if (lossyQueued_ >= lossyCapacity_) {
      ++dropped_;
      return false;
    }
    ++lossyQueued_;
  }
  queue_.push_back(Queued{std::move(task), lossy});
  if (!wakePending_) {
    // Held under the mutex so close() cannot release the function in between.
    wakePending_ = wake_.NonBlockingCall() == napi_ok;
  }
  return true;
}

void JsDispatcher::onWake(Napi::Env env, Napi::Function, WakeTarget* target, void*) {
  // No environment: it is being torn down and the wake-up is only being discarded.
  if (static_cast<napi_env>(env) == nullptr) return;
  if (auto self = target->dispatcher.lock()) self->drain(env);
}

void JsDispatcher::drain(Napi::Env env) {
  std::deque<Queued> batch;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    wakePending_ = false;
    if (closed_) return;
    batch.swap(queue_);
    lossyQueued_ = 0;
  }
  for (Queued& queued : batch) {
    Napi::HandleScope scope(env);
    try {
      queued.task(env);
    } catch (const Napi::Error& error) {
      // A worker being terminated refuses every call into JavaScript: the rest of the batch
      // would fail the same way, and there is nobody left to report an exception to.
      if (!canRunJavaScript(env)) return;
      // A JavaScript callback threw: surface it like any other uncaught exception.
      napi_fatal_exception(env, error.Value());
    }
  }
}

bool JsDispatcher::canRunJavaScript(Napi::Env env) {
  // Defining nothing on a fresh object has no effect, but Node-API refuses it with
  // napi_pending_exception exactly when the environment can no longer call into JavaScript.
  napi_value probe = nullptr;
  if (napi_create_object(env, &probe) != napi_ok) return false;
  return napi_define_properties(env, probe, 0, nullptr) == napi_ok;
}

void JsDispatcher::holdLoop(Napi::Env env) {
  if (loopHolds_++ == 0) wake_.Ref(env);
}

void JsDispatcher::releaseLoop(Napi::Env env) {
  if (loopHolds_ > 0 && --loopHolds_ == 0) wake_.Unref(env);
}

void JsDispatcher::close() {
  std::deque<Queued> discarded;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_) return;
    closed_ = true;
    discarded.swap(queue_);
    wake_.Release();
  }
}

}  // namespace tgcalls
