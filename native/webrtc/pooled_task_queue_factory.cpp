#include "webrtc/pooled_task_queue_factory.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <utility>

namespace tgcalls {
namespace {

constexpr int64_t kLongestDelayUs = int64_t{86400} * 1000 * 1000;

class PooledTaskQueue final : public webrtc::TaskQueueBase {
 public:
  explicit PooledTaskQueue(SerialTaskPool* pool) : pool_(pool), strand_(pool->createStrand()) {}

  void Delete() override {
    pool_->deleteStrand(strand_);
    delete this;
  }

  void PostTask(absl::AnyInvocable<void() &&> task) override {
    pool_->post(strand_, wrap(std::move(task)));
  }

  void PostDelayedTask(absl::AnyInvocable<void() &&> task, webrtc::TimeDelta delay) override {
    // WebRTC may pass an infinite delay; a day is as good and cannot overflow the clock.
    int64_t micros = delay.IsFinite() ? delay.us() : kLongestDelayUs;
    pool_->postDelayed(strand_, wrap(std::move(task)),
                       std::chrono::microseconds(std::min(micros, kLongestDelayUs)));
  }

  // The pool's timers are as precise as its condition variable: the same for both precisions.
  void PostDelayedHighPrecisionTask(absl::AnyInvocable<void() &&> task,
                                    webrtc::TimeDelta delay) override {
    PostDelayedTask(std::move(task), delay);
  }

 private:
  ~PooledTaskQueue() override = default;

  // WebRTC asks TaskQueueBase::Current() who runs a task (IsCurrent, RTC_DCHECK_RUN_ON).
  std::unique_ptr<PooledTask> wrap(absl::AnyInvocable<void() &&> task) {
    return makePooledTask([this, task = std::move(task)]() mutable {
      CurrentTaskQueueSetter setter(this);
      std::move(task)();
    });
  }

  SerialTaskPool* pool_;
  SerialTaskPool::Strand* strand_;
};

}  // namespace

std::unique_ptr<webrtc::TaskQueueBase, webrtc::TaskQueueDeleter>
PooledTaskQueueFactory::CreateTaskQueue(absl::string_view, Priority) const {
  return std::unique_ptr<webrtc::TaskQueueBase, webrtc::TaskQueueDeleter>(
      new PooledTaskQueue(pool_));
}

}  // namespace tgcalls
