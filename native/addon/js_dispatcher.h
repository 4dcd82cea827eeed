// Runs work on one Node environment's JavaScript thread, from any thread.
//
// One thread-safe function per environment serves every event of every object in it. The
// queue lives here, not in the thread-safe function: at most one wake-up is ever pending
// there, so a stalled JavaScript thread cannot make N-API's queue grow. Tasks posted with
// post() are kept until they run (results, ends of calls); tasks posted with postLossy()
// (log lines, levels, frames) are dropped and counted once `lossyCapacity` are waiting.
#pragma once

#include <napi.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

namespace tgcalls {

class JsDispatcher : public std::enable_shared_from_this<JsDispatcher> {
 public:
  // A task must not own N-API handles: it may be destroyed on the posting thread.
  using Task = std::function<void(Napi::Env)>;

  static std::shared_ptr<JsDispatcher> create(Napi::Env env, size_t lossyCapacity = 1024);
  ~JsDispatcher();

  bool post(Task task);
  bool postLossy(Task task);
  uint64_t droppedTasks() const;

  // JavaScript thread only. While holds are taken the event loop stays alive (an operation
  // whose result is still to come); without them the dispatcher never keeps Node running.
  void holdLoop(Napi::Env env);
  void releaseLoop(Napi::Env env);

  // JavaScript thread only: stop accepting tasks, discard queued ones, release N-API state.
  void close();

 private:
  // The thread-safe function's context: it may outlive the dispatcher by a wake-up.
  struct WakeTarget {
    std::weak_ptr<JsDispatcher> dispatcher;
  };
  // Wake-ups carry no data, so one still pending when the environment goes owns nothing.
  static void onWake(Napi::Env env, Napi::Function, WakeTarget* target, void*);
  using WakeFunction = Napi::TypedThreadSafeFunction<WakeTarget, void, &JsDispatcher::onWake>;

  JsDispatcher(size_t lossyCapacity);
  bool enqueue(Task task, bool lossy);
  void drain(Napi::Env env);
  static bool canRunJavaScript(Napi::Env env);

  const size_t lossyCapacity_;
  mutable std::mutex mutex_;
  struct Queued {
    Task task;
    bool lossy;
  };
  std::deque<Queued> queue_;
  size_t lossyQueued_ = 0;
  uint64_t dropped_ = 0;
  bool wakePending_ = false;
  bool closed_ = false;
  int loopHolds_ = 0;
  WakeFunction wake_;
};

}  // namespace tgcalls
