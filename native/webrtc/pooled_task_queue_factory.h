// WebRTC's TaskQueueFactory on a SerialTaskPool: every task queue WebRTC creates (audio
// encoder, pacer, congestion controller, video encoder, ...) becomes a strand of one shared
// pool, so a call adds no threads of its own.
#pragma once

#include <memory>

#include "api/task_queue/task_queue_factory.h"
#include "engine/serial_task_pool.h"

namespace tgcalls {

class PooledTaskQueueFactory final : public webrtc::TaskQueueFactory {
 public:
  // The pool must outlive every queue created here.
  explicit PooledTaskQueueFactory(SerialTaskPool* pool) : pool_(pool) {}

  std::unique_ptr<webrtc::TaskQueueBase, webrtc::TaskQueueDeleter> CreateTaskQueue(
      absl::string_view name, Priority priority) const override;

 private:
  SerialTaskPool* pool_;
};

}  // namespace tgcalls
