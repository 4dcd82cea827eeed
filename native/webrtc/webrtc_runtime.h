// One set of WebRTC threads and one PeerConnectionFactory for the whole process, shared by
// every call in every Node environment (main thread and workers) through RuntimeLease.
#pragma once

#include <memory>

#include "api/peer_connection_interface.h"
#include "api/scoped_refptr.h"
#include "rtc_base/thread.h"
#include "webrtc/runtime_lease.h"

namespace tgcalls {

class WebRtcRuntime {
 public:
  rtc::Thread* networkThread() const { return network_.get(); }
  rtc::Thread* workerThread() const { return worker_.get(); }
  rtc::Thread* signalingThread() const { return signaling_.get(); }

  // The shared factory, created on first use. Call on the signaling thread only.
  webrtc::PeerConnectionFactoryInterface* peerConnectionFactory();

 private:
  friend class RuntimeLease;

  WebRtcRuntime();
  ~WebRtcRuntime();
  static void shutdownAtExit();

  std::unique_ptr<rtc::Thread> network_;
  std::unique_ptr<rtc::Thread> worker_;
  std::unique_ptr<rtc::Thread> signaling_;
  rtc::scoped_refptr<webrtc::PeerConnectionFactoryInterface> factory_;
};

}  // namespace tgcalls
