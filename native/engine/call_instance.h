// One side of a 1:1 call: tgcalls protocol 10.0.0 or 11.0.0, upstream's PeerConnection-based
// "reference" implementation (spec §5.3), on the process-wide WebRTC runtime.
//
// Public methods may be called from any thread; the work runs on WebRTC's signaling thread.
// Events fire on WebRTC threads: the owner forwards them (the addon to JavaScript).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/scoped_refptr.h"
#include "crypto/bytes.h"
#include "engine/signaling_message.h"

namespace tgcalls {

class CallAudio;
class CallKey;
class PushedVideoSource;
class RemoteVideoSink;
class WebRtcRuntime;

// A STUN or TURN server from phoneConnectionWebrtc (spec §3.4, §6.1.2).
struct RtcServer {
  std::string host;
  int port = 0;
  std::string login;
  std::string password;
  bool isTurn = false;
  bool isTcp = false;
};

struct CallInstanceOptions {
  std::string version;  // "11.0.0" or "10.0.0"
  std::shared_ptr<const CallKey> key;
  bool isOutgoing = false;
  std::vector<RtcServer> servers;
  bool enableP2P = true;         // false: relay candidates only
  int connectTimeoutMs = 30000;  // never connected within this: failed (CONNECT_TIMEOUT)
  int packetTimeoutMs = 10000;   // nothing received for this long once connected: failed
  bool video = false;            // send video (frames pushed with pushVideoFrame)
};

enum class CallState { Connecting, Established, Reconnecting, Failed };

// "connecting", "established", "reconnecting" or "failed": the names JavaScript sees.
const char* callStateName(CallState state);

struct CallStats {
  double sendBitrateKbps = 0;
  double receiveBitrateKbps = 0;
  double availableOutgoingKbps = 0;
  double rttMs = -1;
  double packetLoss = 0;  // fraction of expected inbound audio packets lost, 0..1
  double jitterMs = 0;
  uint64_t packetsLost = 0;
  uint64_t bytesSent = 0;
  uint64_t bytesReceived = 0;
  std::string localCandidateType;  // host, srflx, prflx, relay; empty before connection
  std::string remoteCandidateType;
  std::string codec;  // e.g. "audio/opus"
};

struct CallFinalState {
  std::string debugJson;
  uint64_t bytesSent = 0;
  uint64_t bytesReceived = 0;
  bool isRatingSuggested = false;
};

struct CallInstanceEvents {
  std::function<void(Bytes)> signalingData;
  std::function<void(CallState)> stateChanged;
  std::function<void(int)> signalBars;
  std::function<void(bool muted, RemoteVideoState video)> remoteMediaState;
  // The call cannot go on (timeout, failed connection). code is stable, message for people.
  std::function<void(std::string code, std::string message)> failed;
};

class CallInstance {
 public:
  // Throws std::invalid_argument for an unsupported version.
  CallInstance(WebRtcRuntime& runtime, CallInstanceOptions options, CallInstanceEvents events,
               std::shared_ptr<CallAudio> audio);
  ~CallInstance();  // stops the call if stop() was not called (blocking)

  void start();
  void receiveSignalingData(Bytes data);
  void setMuted(bool muted);
  // A packed I420 frame to send (video calls); false if its size does not match. Any thread.
  bool pushVideoFrame(int width, int height, const uint8_t* data, size_t size);
  // Received video; set its listener before start() to get frames.
  RemoteVideoSink& remoteVideo() { return *remoteVideo_; }
  void requestStats(std::function<void(CallStats)> done);
  // Idempotent; `done` runs on the signaling thread once everything is released.
  void stop(std::function<void(CallFinalState)> done);
  // stop() and wait for it; for teardown paths (environment cleanup).
  void stopAndWait();

  class Impl;

 private:
  WebRtcRuntime& runtime_;
  rtc::scoped_refptr<PushedVideoSource> videoSource_;
  std::shared_ptr<RemoteVideoSink> remoteVideo_;
  std::shared_ptr<Impl> impl_;
};

}  // namespace tgcalls
