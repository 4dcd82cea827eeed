#include "webrtc/webrtc_runtime.h"

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <utility>

#include "api/audio_codecs/audio_decoder_factory_template.h"
#include "api/audio_codecs/audio_encoder_factory_template.h"
#include "api/audio_codecs/opus/audio_decoder_opus.h"
#include "api/audio_codecs/opus/audio_encoder_opus.h"
#include "api/call/call_factory_interface.h"
#include "api/create_peerconnection_factory.h"
#include "api/transport/field_trial_based_config.h"
#include "api/video_codecs/builtin_video_decoder_factory.h"
#include "api/video_codecs/builtin_video_encoder_factory.h"
#include "engine/call_instance.h"
#include "engine/playout_pump.h"
#include "media/engine/webrtc_media_engine.h"
#include "pc/srtp_session.h"
#include "rtc_base/ssl_adapter.h"
#include "rtc_base/ssl_stream_adapter.h"
#include "webrtc/pooled_task_queue_factory.h"

#ifdef NDEBUG
#error "Debian's tg_owt is built without NDEBUG; defining it breaks WebRTC's class layouts"
#endif

namespace tgcalls {
namespace {
std::mutex runtime_mutex;
WebRtcRuntime* runtime_instance = nullptr;
int lease_count = 0;
bool exit_hook_installed = false;

constexpr auto kMemoryTrimDelay = std::chrono::seconds(2);
// While calls run: their packets come in every size (Opus is VBR), so freed blocks scatter over
// the per-thread heaps; 40 calls kept ~16 MiB of free pages resident that a trim returned.
constexpr auto kLiveMemoryTrimInterval = std::chrono::seconds(10);
constexpr size_t kSrtpKeyAndSaltBytes = 30;  // AES-128 key + 112-bit salt

// Enough threads that one long task (a video frame to encode) does not hold up the audio of
// other calls, and no more than the cores that can run them.
size_t taskPoolThreads() {
  size_t cores = std::thread::hardware_concurrency();
  return std::clamp<size_t>(cores, 2, 4);
}
}  // namespace

RuntimeLease::RuntimeLease() {
  std::lock_guard<std::mutex> lock(runtime_mutex);
  if (runtime_instance == nullptr) {
    runtime_instance = new WebRtcRuntime();
    // Registered after the static objects WebRTC already constructed, so it runs before
    // their destructors: threads are joined before the state they use is destroyed, even
    // when process.exit() skips the environment cleanup hooks.
    if (!exit_hook_installed) {
      exit_hook_installed = true;
      std::atexit(&WebRtcRuntime::shutdownAtExit);
    }
  }
  ++lease_count;
  runtime_ = runtime_instance;
}

RuntimeLease::~RuntimeLease() {
  WebRtcRuntime* to_destroy = nullptr;
  {
    std::lock_guard<std::mutex> lock(runtime_mutex);
    if (--lease_count == 0 && runtime_instance == runtime_) {
      to_destroy = runtime_instance;
      runtime_instance = nullptr;
    }
  }
  delete to_destroy;
}

int RuntimeLease::liveCount() {
  std::lock_guard<std::mutex> lock(runtime_mutex);
  return lease_count;
}

void WebRtcRuntime::shutdownAtExit() {
  WebRtcRuntime* to_destroy = nullptr;
  {
    std::lock_guard<std::mutex> lock(runtime_mutex);
    to_destroy = runtime_instance;
    runtime_instance = nullptr;
  }
  if (to_destroy != nullptr) to_destroy->stopAllCalls();
  delete to_destroy;
}

void WebRtcRuntime::addCall(CallInstance* call) {
  std::lock_guard<std::mutex> lock(callsMutex_);
  calls_.insert(call);
  scheduleMemoryTrim(kLiveMemoryTrimInterval);
}

void WebRtcRuntime::removeCall(CallInstance* call) {
  std::lock_guard<std::mutex> lock(callsMutex_);
  calls_.erase(call);
  scheduleMemoryTrim(kMemoryTrimDelay);
}

void WebRtcRuntime::scheduleMemoryTrim(std::chrono::steady_clock::duration delay) {
  // A call frees a few MiB across the threads that served it, in small blocks that glibc keeps
  // in its per-thread heaps: after 140 calls 170 MiB stayed resident that malloc_trim returned.
  // Trimming a moment after calls end (their teardown finishes on other threads), and every
  // few seconds while calls run, bounds what stays resident without a trim per call. One trim
  // is pending at a time: an earlier one replaces a later one, which then finds itself stale.
  const auto due = std::chrono::steady_clock::now() + delay;
  if (memoryTrimDue_ && *memoryTrimDue_ <= due) return;
  memoryTrimDue_ = due;
  taskPool_->postDelayed(housekeeping_, makePooledTask([this, due] {
                           {
                             std::lock_guard<std::mutex> lock(callsMutex_);
                             if (memoryTrimDue_ != due) return;
                             memoryTrimDue_.reset();
                             if (!calls_.empty()) scheduleMemoryTrim(kLiveMemoryTrimInterval);
                           }
                           malloc_trim(0);
                         }),
                         delay);
}

// At exit no JavaScript runs any more, so no call is created or destroyed meanwhile.
void WebRtcRuntime::stopAllCalls() {
  std::set<CallInstance*> calls;
  {
    std::lock_guard<std::mutex> lock(callsMutex_);
    calls = calls_;
  }
  for (CallInstance* call : calls) call->stopAndWait();
}

WebRtcRuntime::WebRtcRuntime()
    : taskPool_(std::make_unique<SerialTaskPool>(taskPoolThreads(), "tgcalls-pool")),
      network_(rtc::Thread::CreateWithSocketServer()),
      worker_(rtc::Thread::Create()),
      signaling_(rtc::Thread::Create()) {
  rtc::InitializeSSL();
  housekeeping_ = taskPool_->createStrand();
  // libsrtp initialises (self-tests every cipher: 65-95 ms here) when its first session is
  // keyed and shuts down when its last one goes, so each call that starts when no other runs
  // waited for it between the DTLS handshake and its first packet. One idle session kept for
  // the runtime's life moves that cost off the calls, onto a pool thread, once.
  taskPool_->post(
      housekeeping_, makePooledTask([this] {
        auto session = std::make_unique<cricket::SrtpSession>();
        const uint8_t unusedKey[kSrtpKeyAndSaltBytes] = {};
        if (session->SetSend(rtc::kSrtpAes128CmSha1_80, unusedKey, sizeof unusedKey, {})) {
          srtpKeepAlive_ = std::move(session);
        }
      }));
  playoutPump_ = rtc::make_ref_counted<PlayoutPump>();
  audioClock_.addPlayout(playoutPump_.get());
  network_->SetName("tgcalls-network", nullptr);
  worker_->SetName("tgcalls-worker", nullptr);
  signaling_->SetName("tgcalls-signaling", nullptr);
  network_->Start();
  worker_->Start();
  signaling_->Start();
}

WebRtcRuntime::~WebRtcRuntime() {
  audioClock_.remove(playoutPump_.get());
  // The factory's last reference is released on the signaling thread, where it was made.
  if (factory_) {
    signaling_->BlockingCall([this] { factory_ = nullptr; });
  }
  signaling_->Stop();
  worker_->Stop();
  network_->Stop();
  taskPool_->deleteStrand(housekeeping_);
  srtpKeepAlive_.reset();
}

webrtc::PeerConnectionFactoryInterface* WebRtcRuntime::peerConnectionFactory() {
  RTC_DCHECK_RUN_ON(signaling_.get());
  if (factory_) return factory_.get();

  webrtc::PeerConnectionFactoryDependencies deps;
  deps.network_thread = network_.get();
  deps.worker_thread = worker_.get();
  deps.signaling_thread = signaling_.get();
  deps.trials = std::make_unique<webrtc::FieldTrialBasedConfig>();
  deps.task_queue_factory = std::make_unique<PooledTaskQueueFactory>(taskPool_.get());
  deps.call_factory = webrtc::CreateCallFactory();

  cricket::MediaEngineDependencies media;
  media.task_queue_factory = deps.task_queue_factory.get();
  media.trials = deps.trials.get();
  // Opus only, as upstream: WebRTC adds RED and telephone-event to the SDP by itself.
  media.audio_encoder_factory = webrtc::CreateAudioEncoderFactory<webrtc::AudioEncoderOpus>();
  media.audio_decoder_factory = webrtc::CreateAudioDecoderFactory<webrtc::AudioDecoderOpus>();
  media.video_encoder_factory = webrtc::CreateBuiltinVideoEncoderFactory();
  media.video_decoder_factory = webrtc::CreateBuiltinVideoDecoderFactory();
  media.adm = playoutPump_;
  // No audio processing module: calls send their audio untouched (bots want it so), and the
  // playout path does no echo analysis for nothing.
  deps.media_engine = cricket::CreateMediaEngine(std::move(media));

  factory_ = webrtc::CreateModularPeerConnectionFactory(std::move(deps));
  return factory_.get();
}

}  // namespace tgcalls
