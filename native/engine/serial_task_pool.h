// Many serial task queues multiplexed over a few threads.
//
// WebRTC asks for a task queue per audio encoder, per pacer and per congestion controller, and
// its default factory gives each a thread of its own: six threads per call, thousands of them
// for a bot with hundreds of calls, most asleep between 10 ms ticks. Here every queue is a
// strand: its tasks run one at a time and in order, but on whichever pool thread is free, so
// the thread count is fixed by the pool, not by the number of calls. Pure C++: no WebRTC.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tgcalls {

class PooledTask {
 public:
  virtual ~PooledTask() = default;
  virtual void run() = 0;
};

template <typename Function>
class FunctionTask final : public PooledTask {
 public:
  explicit FunctionTask(Function function) : function_(std::move(function)) {}
  void run() override { std::move(function_)(); }

 private:
  Function function_;
};

template <typename Function>
std::unique_ptr<PooledTask> makePooledTask(Function function) {
  return std::make_unique<FunctionTask<Function>>(std::move(function));
}

class SerialTaskPool {
 public:
  using Clock = std::chrono::steady_clock;
  struct Strand;

  // Starts `threads` threads named "<name>-<index>".
  SerialTaskPool(size_t threads, const std::string& name);
  // Joins the threads. Every strand must have been deleted before.
  ~SerialTaskPool();
  SerialTaskPool(const SerialTaskPool&) = delete;
  SerialTaskPool& operator=(const SerialTaskPool&) = delete;

  Strand* createStrand();
  // Runs `task` after every task posted to `strand` before it.
  void post(Strand* strand, std::unique_ptr<PooledTask> task);
  // Runs `task` on `strand` once `delay` has passed, in order with the strand's other tasks.
  void postDelayed(Strand* strand, std::unique_ptr<PooledTask> task, Clock::duration delay);
  // Discards the strand's pending tasks and frees it. When it returns no task of the strand is
  // running (unless called from the strand's own task, which then finishes) and none will start.
  void deleteStrand(Strand* strand);

  // The strand whose task runs on the calling thread, or null.
  static Strand* currentStrand();
  size_t threadCount() const { return threads_.size(); }
  size_t liveStrands() const;

 private:
  struct Timer {
    Clock::time_point due;
    uint64_t sequence;  // keeps equal deadlines in posting order
    Strand* strand;
    std::unique_ptr<PooledTask> task;
  };
  struct TimerLater {
    bool operator()(const Timer& a, const Timer& b) const {
      return a.due != b.due ? a.due > b.due : a.sequence > b.sequence;
    }
  };

  void runWorker();
  // Both called with mutex_ held.
  // Returns whether the strand became ready; wakes an idle worker for it if asked.
  bool enqueueLocked(Strand* strand, std::unique_ptr<PooledTask> task, bool wakeWorker);
  void releaseDueTimersLocked(Clock::time_point now);

  mutable std::mutex mutex_;
  std::condition_variable wake_;       // work for the idle workers
  std::condition_variable timerWake_;  // an earlier timer for the worker watching the timers
  std::condition_variable finished_;   // a strand's running task returned
  std::deque<Strand*> ready_;          // strands with tasks, none of them running
  std::vector<Timer> timers_;          // a min-heap by TimerLater
  uint64_t timerSequence_ = 0;
  size_t liveStrands_ = 0;
  bool watchingTimers_ = false;  // an idle worker sleeps until the earliest deadline
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace tgcalls
