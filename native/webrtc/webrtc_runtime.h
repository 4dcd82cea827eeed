// One set of WebRTC threads and one PeerConnectionFactory for the whole process, shared by
// every call in every Node environment (main thread and workers) through RuntimeLease.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

#include "api/peer_connection_interface.h"
#include "api/scoped_refptr.h"
#include "engine/audio_clock.h"
#include "engine/serial_task_pool.h"
#include "rtc_base/thread.h"
#include "webrtc/runtime_lease.h"

namespace cricket {
class SrtpSession;
}

namespace tgcalls {

class CallInstance;
class PlayoutPump;

class WebRtcRuntime {
 public:
  rtc::Thread* networkThread() const { return network_.get(); }
  rtc::Thread* workerThread() const { return worker_.get(); }
  rtc::Thread* signalingThread() const { return signaling_.get(); }

  // The shared factory, created on first use. Call on the signaling thread only. Its audio
  // device only pulls playout (engine/playout_pump.h); calls bring their own audio.
  webrtc::PeerConnectionFactoryInterface* peerConnectionFactory();

  // Paces the audio of every call (engine/audio_clock.h).
  AudioClock& audioClock() { return audioClock_; }

  // Live calls, so that process exit can stop them before the threads and sockets they use go
  // (process.exit() skips environment cleanup).
  void addCall(CallInstance* call);
  void removeCall(CallInstance* call);

 private:
  friend class RuntimeLease;

  WebRtcRuntime();
  ~WebRtcRuntime();
  static void shutdownAtExit();

  void stopAllCalls();
  // Returns memory freed by calls to the system; callsMutex_ held.
  void scheduleMemoryTrim(std::chrono::steady_clock::duration delay);

  std::mutex callsMutex_;
  std::set<CallInstance*> calls_;
  AudioClock audioClock_;
  rtc::scoped_refptr<PlayoutPump> playoutPump_;
  // Runs WebRTC's per-call task queues; outlives the factory and everything it made.
  std::unique_ptr<SerialTaskPool> taskPool_;
  SerialTaskPool::Strand* housekeeping_ = nullptr;                      // on taskPool_
  std::optional<std::chrono::steady_clock::time_point> memoryTrimDue_;  // guarded by callsMutex_
  std::unique_ptr<cricket::SrtpSession> srtpKeepAlive_;                 // set on housekeeping_
  std::unique_ptr<rtc::Thread> network_;
  std::unique_ptr<rtc::Thread> worker_;
  std::unique_ptr<rtc::Thread> signaling_;
  rtc::scoped_refptr<webrtc::PeerConnectionFactoryInterface> factory_;
};

}  // namespace tgcalls
