// 10.0.0 signaling: each JSON message is an ack-requiring entry of the reliable container
// (spec §4.4.2-§4.6), re-sent until acknowledged. The container logic is the pure
// ReliableSignalingChannel; this class gives it a clock and timers on the signaling thread.
#pragma once

#include <memory>

#include "api/task_queue/pending_task_safety_flag.h"
#include "crypto/reliable_signaling_channel.h"
#include "engine/signaling_transport.h"

namespace tgcalls {

class ReliableSignalingTransport final : public SignalingTransport {
 public:
  ReliableSignalingTransport(std::shared_ptr<const CallKey> key, bool isOutgoing,
                             rtc::Thread* signalingThread, SignalingTransportCallbacks callbacks);

  void start() override;
  void sendMessage(const std::string& json) override;
  void receiveData(Bytes data) override;
  void stop() override;

 private:
  void flush();
  void scheduleDeadline();

  ReliableSignalingChannel channel_;
  rtc::Thread* thread_;
  SignalingTransportCallbacks callbacks_;
  bool stopped_ = false;
  int64_t scheduledDeadline_ = -1;
  // Cancels pending timers when the transport goes away.
  webrtc::ScopedTaskSafety safety_;
};

}  // namespace tgcalls
