// A share in the process-wide WebRTC runtime (webrtc_runtime.h), declared apart so that code
// holding a lease does not compile against WebRTC's headers.
#pragma once

namespace tgcalls {

class WebRtcRuntime;

// The runtime's threads start with the first lease and stop, joined, when the last lease is
// destroyed (or at process exit). Create and destroy leases only on threads WebRTC does not
// own (JavaScript threads), so that a join never waits on itself.
class RuntimeLease {
 public:
  RuntimeLease();
  ~RuntimeLease();
  RuntimeLease(const RuntimeLease&) = delete;
  RuntimeLease& operator=(const RuntimeLease&) = delete;

  WebRtcRuntime& runtime() const { return *runtime_; }

  // How many leases are live in the process; for lifetime tests.
  static int liveCount();

 private:
  WebRtcRuntime* runtime_;
};

}  // namespace tgcalls
