#include "engine/reliable_signaling_transport.h"

#include "api/units/time_delta.h"
#include "rtc_base/thread.h"
#include "rtc_base/time_utils.h"

namespace tgcalls {

ReliableSignalingTransport::ReliableSignalingTransport(std::shared_ptr<const CallKey> key,
                                                       bool isOutgoing,
                                                       rtc::Thread* signalingThread,
                                                       SignalingTransportCallbacks callbacks)
    : channel_(std::move(key), isOutgoing),
      thread_(signalingThread),
      callbacks_(std::move(callbacks)) {}

void ReliableSignalingTransport::start() {}

void ReliableSignalingTransport::sendMessage(const std::string& json) {
  if (stopped_) return;
  // A message that cannot be sent (too large for a packet, counters exhausted) is dropped,
  // as upstream does; the call goes on.
  channel_.send(asBytes(json), rtc::TimeMillis());
  flush();
}

void ReliableSignalingTransport::receiveData(Bytes data) {
  if (stopped_) return;
  for (Bytes& message : channel_.receive(data, rtc::TimeMillis())) {
    callbacks_.messageReceived(std::string(message.begin(), message.end()));
    if (stopped_) return;
  }
  // The ack goes out after the messages already queued on this thread are handled, so that
  // one service packet acknowledges several packets received back to back (spec §4.5).
  thread_->PostTask(webrtc::SafeTask(safety_.flag(), [this] { flush(); }));
}

void ReliableSignalingTransport::stop() { stopped_ = true; }

void ReliableSignalingTransport::flush() {
  if (stopped_) return;
  for (Bytes& packet : channel_.takeOutgoing(rtc::TimeMillis())) {
    callbacks_.emitData(std::move(packet));
  }
  scheduleDeadline();
}

void ReliableSignalingTransport::scheduleDeadline() {
  const std::optional<int64_t> deadline = channel_.nextDeadlineMs();
  if (!deadline || *deadline == scheduledDeadline_) return;
  scheduledDeadline_ = *deadline;
  const int64_t delay = std::max<int64_t>(0, *deadline - rtc::TimeMillis());
  thread_->PostDelayedTask(webrtc::SafeTask(safety_.flag(),
                                            [this, deadline = *deadline] {
                                              if (scheduledDeadline_ == deadline) {
                                                scheduledDeadline_ = -1;
                                              }
                                              flush();
                                            }),
                           webrtc::TimeDelta::Millis(delay));
}

}  // namespace tgcalls
