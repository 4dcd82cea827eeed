// Definitions that Debian's PIE-compiled libtg_owt.a cannot provide inside a shared object.
//
// The build removes task_queue_base.cc.o and yield_policy.cc.o from a copy of the archive
// (they use the local-exec TLS model, which is invalid in a .so) and renames the archive's
// PC-relative references to glibc data (stdout, stderr, in6addr_any, in6addr_loopback) to
// the tgcalls_glibc_* symbols below, which live in this object and so are reachable
// PC-relatively. See docs/architecture.md and CMakeLists.txt.

#include <netinet/in.h>
#include <stdio.h>

#include "api/task_queue/task_queue_base.h"
#include "rtc_base/synchronization/yield_policy.h"

namespace webrtc {
namespace {
thread_local TaskQueueBase* current_task_queue = nullptr;
}  // namespace

TaskQueueBase* TaskQueueBase::Current() { return current_task_queue; }

TaskQueueBase::CurrentTaskQueueSetter::CurrentTaskQueueSetter(TaskQueueBase* task_queue)
    : previous_(current_task_queue) {
  current_task_queue = task_queue;
}

TaskQueueBase::CurrentTaskQueueSetter::~CurrentTaskQueueSetter() { current_task_queue = previous_; }
}  // namespace webrtc

namespace rtc {
namespace {
thread_local YieldInterface* current_yield_policy = nullptr;
}  // namespace

ScopedYieldPolicy::ScopedYieldPolicy(YieldInterface* policy) : previous_(current_yield_policy) {
  current_yield_policy = policy;
}

ScopedYieldPolicy::~ScopedYieldPolicy() { current_yield_policy = previous_; }

void ScopedYieldPolicy::YieldExecution() {
  if (current_yield_policy != nullptr) current_yield_policy->YieldExecution();
}
}  // namespace rtc

extern "C" {
extern const in6_addr tgcalls_glibc_in6addr_any;
extern const in6_addr tgcalls_glibc_in6addr_loopback;
const in6_addr tgcalls_glibc_in6addr_any = IN6ADDR_ANY_INIT;
const in6_addr tgcalls_glibc_in6addr_loopback = IN6ADDR_LOOPBACK_INIT;

FILE* tgcalls_glibc_stdout = nullptr;
FILE* tgcalls_glibc_stderr = nullptr;

// Runs when the addon is loaded, before any WebRTC code can print.
__attribute__((constructor)) static void tgcalls_bind_glibc_streams() {
  tgcalls_glibc_stdout = stdout;
  tgcalls_glibc_stderr = stderr;
}
}
