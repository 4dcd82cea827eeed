// 11.0.0 signaling (spec §4.9): JSON → gzip → raw framing → encryption → one SCTP user message
// on stream 0 (PPID 53) of an association that runs directly over the API (no DTLS); every SCTP
// packet is one phone.sendSignalingData unit. The SCTP stack is tg_owt's dcsctp, driven directly
// on the network thread with the options upstream's DcSctpTransport uses, except for a shorter
// retransmission backoff cap (see the .cpp): the same packets, sent sooner after a loss.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>

#include "api/task_queue/pending_task_safety_flag.h"
#include "crypto/raw_signaling_channel.h"
#include "engine/signaling_transport.h"

namespace tgcalls {

// Overrides what dcsctp draws (verification tags, initial TSNs, tie tags): a number in
// [low, high), or nullopt to draw from WebRTC's secure generator. Called on the network thread.
using SctpRandomOverride = std::function<std::optional<uint32_t>(uint32_t low, uint32_t high)>;

class SctpSignalingTransport final : public SignalingTransport {
 public:
  // `randomOverride` is for tests only: replaying a recorded association needs the tag and TSN
  // the recorded side drew. Calls leave it empty and draw everything from the secure generator.
  SctpSignalingTransport(std::shared_ptr<const CallKey> key, bool isOutgoing,
                         SignalingThreads threads, SignalingTransportCallbacks callbacks,
                         SctpRandomOverride randomOverride = nullptr);
  ~SctpSignalingTransport() override;

  void start() override;
  void sendMessage(const std::string& json) override;
  void receiveData(Bytes data) override;
  void stop() override;

 private:
  class Association;  // lives on the network thread

  SignalingThreads threads_;
  SignalingTransportCallbacks callbacks_;
  std::unique_ptr<Association> association_;
  bool stopped_ = false;
  webrtc::ScopedTaskSafety safety_;
};

}  // namespace tgcalls
