// The signaling stack of one call below the JSON messages: how a message becomes the opaque
// units passed to phone.sendSignalingData and back. One implementation per protocol version
// (spec §4.10): 10.0.0 reliable container, 11.0.0 gzip + raw framing inside SCTP.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "crypto/bytes.h"

namespace rtc {
class Thread;
}

namespace tgcalls {

class CallKey;

struct SignalingTransportCallbacks {
  // One unit for phone.sendSignalingData. Any thread.
  std::function<void(Bytes)> emitData;
  // One received JSON message, in order. On the signaling thread.
  std::function<void(std::string)> messageReceived;
};

class SignalingTransport {
 public:
  virtual ~SignalingTransport() = default;

  // All four run on the signaling thread. stop() releases everything bound to other threads;
  // after it no callback fires.
  virtual void start() = 0;
  virtual void sendMessage(const std::string& json) = 0;
  virtual void receiveData(Bytes data) = 0;
  virtual void stop() = 0;
};

struct SignalingThreads {
  rtc::Thread* signaling;
  rtc::Thread* network;
};

// "10.0.0" or "11.0.0"; nullptr for any other version.
std::unique_ptr<SignalingTransport> createSignalingTransport(const std::string& version,
                                                             std::shared_ptr<const CallKey> key,
                                                             bool isOutgoing,
                                                             SignalingThreads threads,
                                                             SignalingTransportCallbacks callbacks);

}  // namespace tgcalls
