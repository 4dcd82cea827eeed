#include "engine/signaling_transport.h"

#include "engine/reliable_signaling_transport.h"
#include "engine/sctp_signaling_transport.h"

namespace tgcalls {

std::unique_ptr<SignalingTransport> createSignalingTransport(
    const std::string& version, std::shared_ptr<const CallKey> key, bool isOutgoing,
    SignalingThreads threads, SignalingTransportCallbacks callbacks) {
  if (version == "10.0.0") {
    return std::make_unique<ReliableSignalingTransport>(std::move(key), isOutgoing,
                                                        threads.signaling, std::move(callbacks));
  }
  if (version == "11.0.0") {
    return std::make_unique<SctpSignalingTransport>(std::move(key), isOutgoing, threads,
                                                    std::move(callbacks));
  }
  return nullptr;
}

}  // namespace tgcalls
