#include "engine/serial_task_pool.h"

#include <pthread.h>

#include <algorithm>

namespace tgcalls {

struct SerialTaskPool::Strand {
  std::deque<std::unique_ptr<PooledTask>> tasks;
  bool queued = false;   // waiting in ready_
  bool running = false;  // one of its tasks runs on a pool thread
  bool deleted = false;
  bool freeOnReturn = false;  // deleted by its own task: the worker frees it afterwards
};

namespace {
thread_local SerialTaskPool::Strand* current_strand = nullptr;
}  // namespace

SerialTaskPool::SerialTaskPool(size_t threads, const std::string& name) {
  threads_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) {
    threads_.emplace_back([this] { runWorker(); });
    // Linux limits thread names to 15 characters.
    std::string threadName = (name + "-" + std::to_string(i)).substr(0, 15);
    pthread_setname_np(threads_.back().native_handle(), threadName.c_str());
  }
}

SerialTaskPool::~SerialTaskPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  timerWake_.notify_all();
  for (std::thread& thread : threads_) thread.join();
  // Strands are all deleted by now, and with them their timers; this only guards misuse.
  std::vector<Timer> leftover;
  leftover.swap(timers_);
}

SerialTaskPool::Strand* SerialTaskPool::createStrand() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++liveStrands_;
  return new Strand();
}

size_t SerialTaskPool::liveStrands() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return liveStrands_;
}

SerialTaskPool::Strand* SerialTaskPool::currentStrand() { return current_strand; }

void SerialTaskPool::post(Strand* strand, std::unique_ptr<PooledTask> task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!strand->deleted) {
      enqueueLocked(strand, std::move(task), true);
      return;
    }
  }
  // Posted to a deleted strand: dropped, and destroyed without the lock (its destructor may post).
  task.reset();
}

void SerialTaskPool::postDelayed(Strand* strand, std::unique_ptr<PooledTask> task,
                                 Clock::duration delay) {
  if (delay <= Clock::duration::zero()) {
    post(strand, std::move(task));
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!strand->deleted) {
      Clock::time_point due = Clock::now() + delay;
      bool earliest = timers_.empty() || due < timers_.front().due;
      timers_.push_back(Timer{due, timerSequence_++, strand, std::move(task)});
      std::push_heap(timers_.begin(), timers_.end(), TimerLater());
      // The watcher sleeps until a later deadline; without a watcher an idle worker becomes one.
      if (earliest) {
        if (watchingTimers_) {
          timerWake_.notify_one();
        } else {
          wake_.notify_one();
        }
      }
      return;
    }
  }
  task.reset();
}

void SerialTaskPool::deleteStrand(Strand* strand) {
  std::deque<std::unique_ptr<PooledTask>> discarded;
  std::vector<Timer> discardedTimers;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    strand->deleted = true;
    discarded.swap(strand->tasks);
    if (strand->queued) {
      ready_.erase(std::find(ready_.begin(), ready_.end(), strand));
      strand->queued = false;
    }
    auto firstOfStrand =
        std::partition(timers_.begin(), timers_.end(),
                       [strand](const Timer& timer) { return timer.strand != strand; });
    std::move(firstOfStrand, timers_.end(), std::back_inserter(discardedTimers));
    timers_.erase(firstOfStrand, timers_.end());
    std::make_heap(timers_.begin(), timers_.end(), TimerLater());

    if (strand->running && current_strand == strand) {
      strand->freeOnReturn = true;
    } else {
      finished_.wait(lock, [strand] { return !strand->running; });
      delete strand;
      --liveStrands_;
    }
  }
  // Destroyed without the lock: a task's destructor may post to other strands.
  discarded.clear();
  discardedTimers.clear();
}

bool SerialTaskPool::enqueueLocked(Strand* strand, std::unique_ptr<PooledTask> task,
                                   bool wakeWorker) {
  strand->tasks.push_back(std::move(task));
  if (strand->queued || strand->running) return false;
  strand->queued = true;
  ready_.push_back(strand);
  if (wakeWorker) wake_.notify_one();
  return true;
}

void SerialTaskPool::releaseDueTimersLocked(Clock::time_point now) {
  bool wakeForNext = !ready_.empty();
  while (!timers_.empty() && timers_.front().due <= now) {
    std::pop_heap(timers_.begin(), timers_.end(), TimerLater());
    Timer timer = std::move(timers_.back());
    timers_.pop_back();
    // The releasing worker runs the first strand made ready itself; others need a worker each.
    if (enqueueLocked(timer.strand, std::move(timer.task), wakeForNext)) wakeForNext = true;
  }
}

void SerialTaskPool::runWorker() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    releaseDueTimersLocked(Clock::now());
    if (!ready_.empty()) {
      Strand* strand = ready_.front();
      ready_.pop_front();
      strand->queued = false;
      strand->running = true;
      std::unique_ptr<PooledTask> task = std::move(strand->tasks.front());
      strand->tasks.pop_front();
      lock.unlock();
      current_strand = strand;
      task->run();
      task.reset();
      current_strand = nullptr;
      lock.lock();
      strand->running = false;
      if (strand->freeOnReturn) {
        delete strand;
        --liveStrands_;
      } else if (strand->deleted) {
        finished_.notify_all();
      } else if (!strand->tasks.empty()) {
        // This worker comes back for it unless an idle one takes it first.
        strand->queued = true;
        ready_.push_back(strand);
      }
      continue;
    }
    if (stopping_) return;
    // One idle worker sleeps until the next deadline, the others until there is work: every
    // worker waiting with a timeout would all wake at each of the pacers' frequent deadlines.
    // A due timer waits at most for the watcher's current task, which is short for audio.
    if (!timers_.empty() && !watchingTimers_) {
      watchingTimers_ = true;
      // A copy: wait_until reads the deadline again after waking, when a post may have moved
      // the heap's storage.
      const Clock::time_point due = timers_.front().due;
      timerWake_.wait_until(lock, due);
      watchingTimers_ = false;
    } else {
      wake_.wait(lock);
    }
  }
}

}  // namespace tgcalls
