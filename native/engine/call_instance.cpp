#include "engine/call_instance.h"

#include <deque>
#include <map>
#include <optional>
#include <stdexcept>
#include <utility>

#include "api/jsep.h"
#include "api/peer_connection_interface.h"
#include "api/rtp_transceiver_interface.h"
#include "api/stats/rtcstats_objects.h"
#include "api/units/time_delta.h"
#include "engine/audio_clock.h"
#include "engine/call_audio.h"
#include "engine/call_stats_log.h"
#include "engine/call_video.h"
#include "engine/signaling_transport.h"
#include "p2p/base/port.h"
#include "rtc_base/thread.h"
#include "rtc_base/time_utils.h"
#include "webrtc/webrtc_runtime.h"

namespace tgcalls {
namespace {

constexpr int kAudioMaxBitrateBps = 32768;
constexpr int kVideoMaxBitrateBps = 1228800;
constexpr int kStatsIntervalMs = 1000;
constexpr int kBitrateWindowMs = 1000;
// WebRTC declares a path lost only when its ~5 s consent/writability timers expire. Nothing
// received for this long is reported as reconnecting sooner (checked on each statistics tick,
// so between 2 and 3 s), and cleared on the first tick that sees packets again.
constexpr int kSilenceReconnectingMs = 2000;
constexpr double kAudioBarsNormKbps = 16;

std::string serverUrl(const RtcServer& server) {
  const bool ipv6 = server.host.find(':') != std::string::npos;
  const std::string host = ipv6 ? "[" + server.host + "]" : server.host;
  return (server.isTurn ? "turn:" : "stun:") + host + ":" + std::to_string(server.port);
}

// WebRTC observer interfaces forward to std::function, so Impl keeps one flat interface.
class SetDescriptionObserver : public webrtc::SetLocalDescriptionObserverInterface,
                               public webrtc::SetRemoteDescriptionObserverInterface {
 public:
  explicit SetDescriptionObserver(std::function<void(webrtc::RTCError)> done)
      : done_(std::move(done)) {}
  void OnSetLocalDescriptionComplete(webrtc::RTCError error) override { done_(std::move(error)); }
  void OnSetRemoteDescriptionComplete(webrtc::RTCError error) override { done_(std::move(error)); }

 private:
  std::function<void(webrtc::RTCError)> done_;
};

class StatsCallback : public webrtc::RTCStatsCollectorCallback {
 public:
  explicit StatsCallback(
      std::function<void(const rtc::scoped_refptr<const webrtc::RTCStatsReport>&)> done)
      : done_(std::move(done)) {}
  void OnStatsDelivered(const rtc::scoped_refptr<const webrtc::RTCStatsReport>& report) override {
    done_(report);
  }

 private:
  std::function<void(const rtc::scoped_refptr<const webrtc::RTCStatsReport>&)> done_;
};

CandidateDescription describeCandidate(const cricket::Candidate& candidate) {
  return CandidateDescription{candidate.type(), candidate.protocol(),
                              candidate.address().ToString()};
}

template <typename T>
T valueOr(const webrtc::RTCStatsMember<T>& member, T fallback) {
  return member.is_defined() ? *member : fallback;
}

}  // namespace

const char* callStateName(CallState state) {
  switch (state) {
    case CallState::Connecting:
      return "connecting";
    case CallState::Established:
      return "established";
    case CallState::Reconnecting:
      return "reconnecting";
    case CallState::Failed:
      return "failed";
  }
  return "failed";
}

// Lives on the signaling thread: every member is touched only there.
class CallInstance::Impl : public webrtc::PeerConnectionObserver,
                           public webrtc::DataChannelObserver,
                           public std::enable_shared_from_this<Impl> {
 public:
  Impl(WebRtcRuntime& runtime, CallInstanceOptions options, CallInstanceEvents events,
       std::shared_ptr<CallAudio> audio, rtc::scoped_refptr<PushedVideoSource> videoSource,
       std::shared_ptr<RemoteVideoSink> remoteVideo)
      : runtime_(runtime),
        options_(std::move(options)),
        events_(std::move(events)),
        audio_(std::move(audio)),
        videoSource_(std::move(videoSource)),
        remoteVideo_(std::move(remoteVideo)) {}

  void start();
  void receiveSignalingData(Bytes data) {
    if (transport_) transport_->receiveData(std::move(data));
  }
  void setMuted(bool muted);
  void requestStats(std::function<void(CallStats)> done);
  void stop(std::function<void(CallFinalState)> done);

  // PeerConnectionObserver
  void OnSignalingChange(webrtc::PeerConnectionInterface::SignalingState) override {}
  void OnDataChannel(rtc::scoped_refptr<webrtc::DataChannelInterface> channel) override;
  void OnNegotiationNeededEvent(uint32_t eventId) override;
  void OnIceGatheringChange(webrtc::PeerConnectionInterface::IceGatheringState) override {}
  void OnIceCandidate(const webrtc::IceCandidateInterface* candidate) override;
  void OnConnectionChange(webrtc::PeerConnectionInterface::PeerConnectionState state) override;
  void OnTrack(rtc::scoped_refptr<webrtc::RtpTransceiverInterface> transceiver) override;
  void OnIceSelectedCandidatePairChanged(const cricket::CandidatePairChangeEvent& event) override;

  // DataChannelObserver
  void OnStateChange() override;
  void OnMessage(const webrtc::DataBuffer& buffer) override;

 private:
  bool createPeerConnection();
  void addLocalMedia();
  void addLocalAudio();
  void addLocalVideo();
  void sendMessage(const std::string& json) {
    if (transport_) transport_->sendMessage(json);
  }
  void onMessage(std::string json);
  void processNextMessage();
  void applyRemoteDescription(const SignalingMessage& message);
  void addCandidate(const SignalingMessage& message);
  void makeLocalDescription();
  void sendMediaState();
  void reportState(CallState state);
  void fail(const std::string& code, const std::string& message);
  void scheduleTick();
  void onStatsTick(const rtc::scoped_refptr<const webrtc::RTCStatsReport>& report);
  CallStats statsFrom(const rtc::scoped_refptr<const webrtc::RTCStatsReport>& report);
  void logNetworkState();
  template <typename F>
  void post(F&& task, int delayMs = 0);

  WebRtcRuntime& runtime_;
  CallInstanceOptions options_;  // not const: stop() drops its share of the key
  const CallInstanceEvents events_;
  const std::shared_ptr<CallAudio> audio_;
  const rtc::scoped_refptr<PushedVideoSource> videoSource_;
  const std::shared_ptr<RemoteVideoSink> remoteVideo_;

  std::unique_ptr<SignalingTransport> transport_;
  rtc::scoped_refptr<webrtc::PeerConnectionInterface> pc_;
  rtc::scoped_refptr<CallAudioSource> audioSource_;
  rtc::scoped_refptr<webrtc::AudioTrackInterface> audioTrack_;
  rtc::scoped_refptr<webrtc::RtpSenderInterface> audioSender_;
  rtc::scoped_refptr<webrtc::DataChannelInterface> dataChannel_;
  std::unique_ptr<CallAudioSink> audioSink_;
  std::vector<rtc::scoped_refptr<webrtc::AudioTrackInterface>> remoteTracks_;
  rtc::scoped_refptr<webrtc::VideoTrackInterface> videoTrack_;
  rtc::scoped_refptr<webrtc::RtpSenderInterface> videoSender_;
  std::vector<rtc::scoped_refptr<webrtc::VideoTrackInterface>> remoteVideoTracks_;

  // Negotiation (spec §5.3.1, §5.3.3 and its [rec]): messages are handled strictly one at a
  // time, each description operation finishing before the next message is looked at.
  std::deque<SignalingMessage> incoming_;
  bool busy_ = false;  // a description operation is in flight
  bool negotiationBegun_ = false;
  bool remoteDescriptionRequested_ = false;
  bool renegotiateWhenStable_ = false;
  std::vector<SignalingMessage> pendingCandidates_;

  bool muted_ = false;
  bool stopped_ = false;
  bool everEstablished_ = false;
  bool failed_ = false;
  bool peerConnected_ = false;        // the PeerConnection's own state is kConnected
  bool silenceReconnecting_ = false;  // 'reconnecting' was reported because nothing arrived
  std::optional<CallState> reportedState_;
  int64_t lastReceiveMs_ = 0;
  uint64_t lastBytesReceived_ = 0;
  // Byte counters of recent stats reports: bitrates are measured over the last second or more,
  // however often stats are asked for (every second by the tick, any time by getStats()).
  struct ByteCountSample {
    int64_t timestampUs;
    uint64_t sent;
    uint64_t received;
  };
  std::deque<ByteCountSample> byteCountHistory_;
  CallStats lastStats_;
  std::optional<CandidatePairDescription> selectedPair_;
  CallStatsLog statsLog_;
};

template <typename F>
void CallInstance::Impl::post(F&& task, int delayMs) {
  std::weak_ptr<Impl> weak = weak_from_this();
  auto guarded = [weak, task = std::forward<F>(task)]() mutable {
    if (auto self = weak.lock()) {
      if (!self->stopped_) task(*self);
    }
  };
  if (delayMs > 0) {
    runtime_.signalingThread()->PostDelayedTask(std::move(guarded),
                                                webrtc::TimeDelta::Millis(delayMs));
  } else {
    runtime_.signalingThread()->PostTask(std::move(guarded));
  }
}

void CallInstance::Impl::start() {
  if (stopped_ || !options_.key) return;
  std::weak_ptr<Impl> weak = weak_from_this();
  rtc::Thread* signaling = runtime_.signalingThread();
  SignalingTransportCallbacks callbacks;
  callbacks.emitData = events_.signalingData;
  callbacks.messageReceived = [weak, signaling](std::string json) {
    RTC_DCHECK_RUN_ON(signaling);
    if (auto self = weak.lock()) self->onMessage(std::move(json));
  };
  transport_ = createSignalingTransport(options_.version, options_.key, options_.isOutgoing,
                                        {runtime_.signalingThread(), runtime_.networkThread()},
                                        std::move(callbacks));
  if (!createPeerConnection()) {
    fail("WEBRTC_INIT_FAILED", "the PeerConnection could not be created");
    return;
  }
  transport_->start();
  if (options_.isOutgoing) {
    // The caller opens the data channel and its audio before its first offer (spec §5.3.1).
    webrtc::DataChannelInit init;
    auto channel = pc_->CreateDataChannelOrError("data", &init);
    if (channel.ok()) {
      dataChannel_ = channel.MoveValue();
      dataChannel_->RegisterObserver(this);
    }
    addLocalMedia();
    negotiationBegun_ = true;
  }
  lastReceiveMs_ = rtc::TimeMillis();
  scheduleTick();
  post([](Impl& self) {
    if (!self.everEstablished_ && !self.failed_) self.reportState(CallState::Connecting);
  });
  post(
      [](Impl& self) {
        if (!self.everEstablished_) {
          self.fail("CALL_CONNECT_TIMEOUT", "the call did not connect within " +
                                                std::to_string(self.options_.connectTimeoutMs) +
                                                " ms");
        }
      },
      options_.connectTimeoutMs);
}

bool CallInstance::Impl::createPeerConnection() {
  webrtc::PeerConnectionInterface::RTCConfiguration config;
  config.sdp_semantics = webrtc::SdpSemantics::kUnifiedPlan;
  config.type = options_.enableP2P ? webrtc::PeerConnectionInterface::kAll
                                   : webrtc::PeerConnectionInterface::kRelay;
  config.bundle_policy = webrtc::PeerConnectionInterface::kBundlePolicyMaxBundle;
  config.rtcp_mux_policy = webrtc::PeerConnectionInterface::kRtcpMuxPolicyRequire;
  config.enable_ice_renomination = true;
  config.continual_gathering_policy = webrtc::PeerConnectionInterface::GATHER_CONTINUALLY;
  // No TCP candidates (as upstream's 7-9 versions hard-code): Telegram's relays are UDP, and
  // with continual gathering every new call made each live one open TCP ports again, so
  // sockets grew with the square of concurrent calls (10 calls: 2 100 descriptors).
  config.tcp_candidate_policy = webrtc::PeerConnectionInterface::kTcpCandidatePolicyDisabled;
  config.enable_implicit_rollback = true;
  config.audio_jitter_buffer_fast_accelerate = true;
  for (const RtcServer& server : options_.servers) {
    // TCP entries and incomplete addresses are skipped, as upstream does (spec §6.1.2).
    if (server.isTcp || server.host.empty() || server.port <= 0 || server.port > 65535) continue;
    webrtc::PeerConnectionInterface::IceServer ice;
    ice.urls.push_back(serverUrl(server));
    if (server.isTurn) {
      ice.username = server.login;
      ice.password = server.password;
    }
    config.servers.push_back(std::move(ice));
  }
  webrtc::PeerConnectionDependencies dependencies(this);
  auto result = runtime_.peerConnectionFactory()->CreatePeerConnectionOrError(
      config, std::move(dependencies));
  if (!result.ok()) return false;
  pc_ = result.MoveValue();

  audioSource_ = rtc::make_ref_counted<CallAudioSource>(audio_);
  audioTrack_ = runtime_.peerConnectionFactory()->CreateAudioTrack("0", audioSource_.get());
  audioSink_ = std::make_unique<CallAudioSink>(audio_);
  runtime_.audioClock().addSource(audioSource_.get());
  if (options_.video) {
    videoTrack_ = runtime_.peerConnectionFactory()->CreateVideoTrack("1", videoSource_.get());
  }
  return true;
}

// The caller adds its transceivers at start. The callee attaches its tracks to the caller's
// m-lines once the first offer is applied (answering sendrecv), which spares the extra
// offer/answer round upstream's callee needs before it can send (spec §5.3.3 [rec]).
void CallInstance::Impl::addLocalMedia() {
  addLocalAudio();
  addLocalVideo();  // after audio: the caller's m-lines are audio "0", then video (spec §5.3.3)
}

void CallInstance::Impl::addLocalAudio() {
  if (audioSender_) return;
  if (options_.isOutgoing) {
    webrtc::RtpTransceiverInit init;
    init.direction = webrtc::RtpTransceiverDirection::kSendRecv;
    init.stream_ids = {"0"};
    webrtc::RtpEncodingParameters encoding;
    encoding.max_bitrate_bps = kAudioMaxBitrateBps;
    init.send_encodings = {encoding};
    auto transceiver = pc_->AddTransceiver(audioTrack_, init);
    if (transceiver.ok()) audioSender_ = transceiver.value()->sender();
  } else {
    auto sender = pc_->AddTrack(audioTrack_, {"0"});
    if (!sender.ok()) return;
    audioSender_ = sender.MoveValue();
    webrtc::RtpParameters parameters = audioSender_->GetParameters();
    for (auto& encoding : parameters.encodings) encoding.max_bitrate_bps = kAudioMaxBitrateBps;
    audioSender_->SetParameters(parameters);
  }
  audioTrack_->set_enabled(!muted_);
}

void CallInstance::Impl::addLocalVideo() {
  if (!videoTrack_ || videoSender_) return;
  rtc::scoped_refptr<webrtc::RtpTransceiverInterface> transceiver;
  if (options_.isOutgoing) {
    webrtc::RtpTransceiverInit init;
    init.direction = webrtc::RtpTransceiverDirection::kSendRecv;
    init.stream_ids = {"0"};
    webrtc::RtpEncodingParameters encoding;
    encoding.max_bitrate_bps = kVideoMaxBitrateBps;
    init.send_encodings = {encoding};
    auto added = pc_->AddTransceiver(videoTrack_, init);
    if (!added.ok()) return;
    transceiver = added.value();
  } else {
    // Only when the caller offered video: a callee never adds an m-line of its own here.
    bool offered = false;
    for (const auto& existing : pc_->GetTransceivers()) {
      offered |= existing->media_type() == cricket::MEDIA_TYPE_VIDEO;
    }
    if (!offered) return;
    auto sender = pc_->AddTrack(videoTrack_, {"0"});
    if (!sender.ok()) return;
    for (const auto& existing : pc_->GetTransceivers()) {
      if (existing->sender() == sender.value()) transceiver = existing;
    }
    webrtc::RtpParameters parameters = sender.value()->GetParameters();
    for (auto& encoding : parameters.encodings) encoding.max_bitrate_bps = kVideoMaxBitrateBps;
    sender.value()->SetParameters(parameters);
  }
  if (!transceiver) return;
  videoSender_ = transceiver->sender();
  // H265, H264, then every other codec name in capability order, the first profile of each
  // (spec §5.3.2).
  const auto capabilities =
      runtime_.peerConnectionFactory()->GetRtpSenderCapabilities(cricket::MEDIA_TYPE_VIDEO);
  std::vector<webrtc::RtpCodecCapability> preferred;
  auto addNamed = [&](const std::string& name) {
    for (const auto& codec : capabilities.codecs) {
      if (codec.name != name) continue;
      for (const auto& chosen : preferred) {
        if (chosen.name == name) return;
      }
      preferred.push_back(codec);
      return;
    }
  };
  addNamed("H265");
  addNamed("H264");
  for (const auto& codec : capabilities.codecs) addNamed(codec.name);
  transceiver->SetCodecPreferences(preferred);
}

void CallInstance::Impl::onMessage(std::string json) {
  if (stopped_) return;
  std::optional<SignalingMessage> message = parseSignalingMessage(json);
  if (!message) return;  // unknown or malformed: ignored, as upstream does
  if (message->type == SignalingMessage::Type::MediaState) {
    if (events_.remoteMediaState) {
      events_.remoteMediaState(message->mediaState.muted, message->mediaState.videoState);
    }
    return;
  }
  if (message->type == SignalingMessage::Type::Candidate) {
    addCandidate(*message);
    return;
  }
  incoming_.push_back(std::move(*message));
  processNextMessage();
}

void CallInstance::Impl::processNextMessage() {
  while (!busy_ && !incoming_.empty() && !stopped_) {
    SignalingMessage message = std::move(incoming_.front());
    incoming_.pop_front();
    const bool isOffer = message.type == SignalingMessage::Type::Offer;
    const bool stable =
        pc_->signaling_state() == webrtc::PeerConnectionInterface::SignalingState::kStable;
    if (isOffer && options_.isOutgoing && !stable) {
      // Impolite side of perfect negotiation: drop the colliding offer, offer again later.
      renegotiateWhenStable_ = true;
      continue;
    }
    applyRemoteDescription(message);
  }
}

void CallInstance::Impl::applyRemoteDescription(const SignalingMessage& message) {
  const bool isOffer = message.type == SignalingMessage::Type::Offer;
  webrtc::SdpParseError error;
  std::unique_ptr<webrtc::SessionDescriptionInterface> description =
      webrtc::CreateSessionDescription(isOffer ? webrtc::SdpType::kOffer : webrtc::SdpType::kAnswer,
                                       message.sdp, &error);
  if (!description) return;  // unparsable SDP: nothing to apply
  busy_ = true;
  remoteDescriptionRequested_ = true;
  std::weak_ptr<Impl> weak = weak_from_this();
  auto observer = rtc::make_ref_counted<SetDescriptionObserver>([weak, isOffer](webrtc::RTCError) {
    auto self = weak.lock();
    if (!self || self->stopped_) return;
    // Candidates that came before any remote description can be added now.
    std::vector<SignalingMessage> candidates;
    candidates.swap(self->pendingCandidates_);
    for (const auto& candidate : candidates) self->addCandidate(candidate);
    if (isOffer) {
      self->negotiationBegun_ = true;
      self->addLocalMedia();
      self->makeLocalDescription();  // answers, whatever the result of applying was
      return;
    }
    self->busy_ = false;
    if (self->renegotiateWhenStable_) {
      self->renegotiateWhenStable_ = false;
      self->makeLocalDescription();
      return;
    }
    self->processNextMessage();
  });
  pc_->SetRemoteDescription(std::move(description), observer);
}

void CallInstance::Impl::addCandidate(const SignalingMessage& message) {
  if (!remoteDescriptionRequested_ || busy_) {
    // Added once the remote description it belongs to has been applied.
    pendingCandidates_.push_back(message);
    return;
  }
  webrtc::SdpParseError error;
  std::unique_ptr<webrtc::IceCandidateInterface> candidate(
      webrtc::CreateIceCandidate(message.mid, message.mline, message.sdp, &error));
  if (!candidate) return;
  pc_->AddIceCandidate(std::move(candidate), [](webrtc::RTCError) {});
}

// Implicit setLocalDescription: an answer after a remote offer, an offer otherwise. The
// result is sent with its own type.
void CallInstance::Impl::makeLocalDescription() {
  busy_ = true;
  std::weak_ptr<Impl> weak = weak_from_this();
  auto observer = rtc::make_ref_counted<SetDescriptionObserver>([weak](webrtc::RTCError error) {
    auto self = weak.lock();
    if (!self || self->stopped_) return;
    const webrtc::SessionDescriptionInterface* local = self->pc_->local_description();
    if (error.ok() && local != nullptr) {
      std::string sdp;
      local->ToString(&sdp);
      self->sendMessage(
          serializeSessionDescription(local->GetType() == webrtc::SdpType::kOffer, sdp));
    }
    self->busy_ = false;
    std::vector<SignalingMessage> candidates;
    candidates.swap(self->pendingCandidates_);
    for (const auto& candidate : candidates) self->addCandidate(candidate);
    self->processNextMessage();
  });
  pc_->SetLocalDescription(observer);
}

void CallInstance::Impl::OnNegotiationNeededEvent(uint32_t eventId) {
  // Checked later: the event may be stale by the time pending operations complete.
  post([eventId](Impl& self) {
    if (!self.negotiationBegun_ || !self.pc_->ShouldFireNegotiationNeededEvent(eventId)) return;
    if (self.busy_) {
      self.renegotiateWhenStable_ = true;
      return;
    }
    self.makeLocalDescription();
  });
}

void CallInstance::Impl::OnIceCandidate(const webrtc::IceCandidateInterface* candidate) {
  if (stopped_) return;
  std::string sdp;
  if (!candidate->ToString(&sdp)) return;
  sendMessage(serializeCandidate(sdp, candidate->sdp_mid(), candidate->sdp_mline_index()));
}

void CallInstance::Impl::OnDataChannel(rtc::scoped_refptr<webrtc::DataChannelInterface> channel) {
  if (stopped_ || dataChannel_) return;
  dataChannel_ = channel;
  dataChannel_->RegisterObserver(this);
  if (dataChannel_->state() == webrtc::DataChannelInterface::kOpen) sendMediaState();
}

void CallInstance::Impl::OnStateChange() {
  // DataChannelObserver callbacks come on the signaling thread.
  if (!stopped_ && dataChannel_ && dataChannel_->state() == webrtc::DataChannelInterface::kOpen) {
    sendMediaState();
  }
}

void CallInstance::Impl::OnMessage(const webrtc::DataBuffer& buffer) {
  if (buffer.binary) return;  // only text messages are processed (spec §5.3.3)
  std::string json(buffer.data.cdata<char>(), buffer.data.size());
  post([json = std::move(json)](Impl& self) mutable { self.onMessage(std::move(json)); });
}

void CallInstance::Impl::sendMediaState() {
  if (!dataChannel_ || dataChannel_->state() != webrtc::DataChannelInterface::kOpen) return;
  dataChannel_->Send(
      webrtc::DataBuffer(serializeMediaState(muted_, false, videoSender_ != nullptr)));
}

void CallInstance::Impl::setMuted(bool muted) {
  muted_ = muted;
  if (audioTrack_) audioTrack_->set_enabled(!muted);
  sendMediaState();
}

void CallInstance::Impl::OnTrack(rtc::scoped_refptr<webrtc::RtpTransceiverInterface> transceiver) {
  if (stopped_) return;
  auto track = transceiver->receiver()->track();
  if (!track) return;
  if (track->kind() == webrtc::MediaStreamTrackInterface::kVideoKind) {
    auto videoTrack = rtc::scoped_refptr<webrtc::VideoTrackInterface>(
        static_cast<webrtc::VideoTrackInterface*>(track.get()));
    for (const auto& known : remoteVideoTracks_) {
      if (known == videoTrack) return;
    }
    videoTrack->AddOrUpdateSink(remoteVideo_.get(), rtc::VideoSinkWants());
    remoteVideoTracks_.push_back(videoTrack);
    return;
  }
  if (track->kind() != webrtc::MediaStreamTrackInterface::kAudioKind) return;
  auto audioTrack = rtc::scoped_refptr<webrtc::AudioTrackInterface>(
      static_cast<webrtc::AudioTrackInterface*>(track.get()));
  for (const auto& known : remoteTracks_) {
    if (known == audioTrack) return;
  }
  audioTrack->AddSink(audioSink_.get());
  remoteTracks_.push_back(audioTrack);
}

void CallInstance::Impl::OnConnectionChange(
    webrtc::PeerConnectionInterface::PeerConnectionState state) {
  using State = webrtc::PeerConnectionInterface::PeerConnectionState;
  if (stopped_ || failed_) return;
  if (state == State::kConnected) {
    everEstablished_ = true;
    peerConnected_ = true;
    silenceReconnecting_ = false;
    lastReceiveMs_ = rtc::TimeMillis();
    reportState(CallState::Established);
  } else if (state == State::kFailed) {
    peerConnected_ = false;
    // Which half failed tells a path problem (ICE) from a peer or key problem (DTLS).
    const bool iceFailed = pc_ && pc_->standardized_ice_connection_state() ==
                                      webrtc::PeerConnectionInterface::kIceConnectionFailed;
    fail("CALL_CONNECTION_FAILED", iceFailed ? "ICE connectivity checks to the peer failed"
                                             : "the DTLS handshake with the peer failed");
  } else {
    peerConnected_ = false;
    if (everEstablished_) reportState(CallState::Reconnecting);
  }
}

void CallInstance::Impl::reportState(CallState state) {
  if (reportedState_ == state) return;
  reportedState_ = state;
  logNetworkState();
  if (events_.stateChanged) events_.stateChanged(state);
}

void CallInstance::Impl::OnIceSelectedCandidatePairChanged(
    const cricket::CandidatePairChangeEvent& event) {
  // PeerConnection delivers this on the signaling thread.
  if (stopped_) return;
  selectedPair_ = CandidatePairDescription{describeCandidate(event.selected_candidate_pair.local),
                                           describeCandidate(event.selected_candidate_pair.remote)};
  logNetworkState();
}

void CallInstance::Impl::logNetworkState() {
  statsLog_.recordNetwork(rtc::TimeMillis(), reportedState_ == CallState::Established, failed_,
                          selectedPair_);
}

void CallInstance::Impl::fail(const std::string& code, const std::string& message) {
  if (failed_ || stopped_) return;
  failed_ = true;
  // The error before the state (as docs/engine.md says): a listener that ends the call on
  // 'failed' would otherwise never see which failure it was.
  if (events_.failed) events_.failed(code, message);
  reportState(CallState::Failed);
}

void CallInstance::Impl::scheduleTick() {
  post(
      [](Impl& self) {
        self.requestStats([](CallStats) {});
        self.scheduleTick();
      },
      kStatsIntervalMs);
}

void CallInstance::Impl::requestStats(std::function<void(CallStats)> done) {
  if (!pc_) {
    done(lastStats_);
    return;
  }
  std::weak_ptr<Impl> weak = weak_from_this();
  rtc::Thread* signaling = runtime_.signalingThread();
  auto callback = rtc::make_ref_counted<StatsCallback>(
      [weak, signaling,
       done = std::move(done)](const rtc::scoped_refptr<const webrtc::RTCStatsReport>& report) {
        // Delivered on the signaling thread.
        RTC_DCHECK_RUN_ON(signaling);
        auto self = weak.lock();
        if (!self) return;
        if (!self->stopped_) self->onStatsTick(report);
        done(self->lastStats_);
      });
  pc_->GetStats(callback.get());
}

void CallInstance::Impl::onStatsTick(
    const rtc::scoped_refptr<const webrtc::RTCStatsReport>& report) {
  const int64_t now = rtc::TimeMillis();
  CallStats stats = statsFrom(report);
  if (stats.bytesReceived > lastBytesReceived_) lastReceiveMs_ = now;
  lastBytesReceived_ = stats.bytesReceived;
  lastStats_ = stats;
  const double kbps =
      stats.availableOutgoingKbps > 0 ? stats.availableOutgoingKbps : stats.sendBitrateKbps;
  const int bars = static_cast<int>(4 * std::clamp(kbps / kAudioBarsNormKbps, 0.0, 1.0));
  // The send bandwidth estimate in 1024 bit/s units, truncated (spec §3.8).
  statsLog_.recordBitrate(static_cast<int>(stats.availableOutgoingKbps));
  if (events_.signalBars) events_.signalBars(everEstablished_ ? bars : 0);
  if (everEstablished_ && !failed_) {
    const bool silent = now - lastReceiveMs_ >= kSilenceReconnectingMs;
    if (silent && reportedState_ == CallState::Established) {
      silenceReconnecting_ = true;
      reportState(CallState::Reconnecting);
    } else if (!silent && silenceReconnecting_ && peerConnected_) {
      silenceReconnecting_ = false;
      reportState(CallState::Established);
    }
  }
  if (everEstablished_ && !failed_ && now - lastReceiveMs_ > options_.packetTimeoutMs) {
    fail("CALL_PACKET_TIMEOUT", "nothing was received from the peer for " +
                                    std::to_string(options_.packetTimeoutMs) + " ms");
  }
}

CallStats CallInstance::Impl::statsFrom(
    const rtc::scoped_refptr<const webrtc::RTCStatsReport>& report) {
  CallStats stats;
  std::string selectedPair;
  for (const auto* transport : report->GetStatsOfType<webrtc::RTCTransportStats>()) {
    if (transport->selected_candidate_pair_id.is_defined()) {
      selectedPair = *transport->selected_candidate_pair_id;
    }
  }
  if (const auto* pair = selectedPair.empty()
                             ? nullptr
                             : report->GetAs<webrtc::RTCIceCandidatePairStats>(selectedPair)) {
    stats.bytesSent = valueOr<uint64_t>(pair->bytes_sent, 0);
    stats.bytesReceived = valueOr<uint64_t>(pair->bytes_received, 0);
    stats.rttMs =
        pair->current_round_trip_time.is_defined() ? *pair->current_round_trip_time * 1000 : -1;
    stats.availableOutgoingKbps = valueOr<double>(pair->available_outgoing_bitrate, 0) / 1024;
    if (const auto* local = report->GetAs<webrtc::RTCLocalIceCandidateStats>(
            valueOr<std::string>(pair->local_candidate_id, ""))) {
      stats.localCandidateType = valueOr<std::string>(local->candidate_type, "");
    }
    if (const auto* remote = report->GetAs<webrtc::RTCRemoteIceCandidateStats>(
            valueOr<std::string>(pair->remote_candidate_id, ""))) {
      stats.remoteCandidateType = valueOr<std::string>(remote->candidate_type, "");
    }
  }
  for (const auto* inbound : report->GetStatsOfType<webrtc::RTCInboundRTPStreamStats>()) {
    if (valueOr<std::string>(inbound->kind, "") != "audio") continue;
    const int64_t lost = std::max<int64_t>(0, valueOr<int32_t>(inbound->packets_lost, 0));
    const uint64_t received = valueOr<uint32_t>(inbound->packets_received, 0);
    stats.packetsLost += static_cast<uint64_t>(lost);
    if (received + lost > 0) stats.packetLoss = static_cast<double>(lost) / (received + lost);
    stats.jitterMs = valueOr<double>(inbound->jitter, 0) * 1000;
    if (const auto* codec =
            report->GetAs<webrtc::RTCCodecStats>(valueOr<std::string>(inbound->codec_id, ""))) {
      stats.codec = valueOr<std::string>(codec->mime_type, "");
    }
  }
  const int64_t nowUs = report->timestamp_us();
  if (!byteCountHistory_.empty() && nowUs > byteCountHistory_.front().timestampUs) {
    const ByteCountSample& base = byteCountHistory_.front();
    const double elapsedSeconds = (nowUs - base.timestampUs) / 1e6;
    if (stats.bytesSent >= base.sent) {
      stats.sendBitrateKbps = (stats.bytesSent - base.sent) * 8 / 1000.0 / elapsedSeconds;
    }
    if (stats.bytesReceived >= base.received) {
      stats.receiveBitrateKbps =
          (stats.bytesReceived - base.received) * 8 / 1000.0 / elapsedSeconds;
    }
  }
  byteCountHistory_.push_back(ByteCountSample{nowUs, stats.bytesSent, stats.bytesReceived});
  // Keep as the base the newest sample that is at least a window old.
  while (byteCountHistory_.size() > 1 &&
         nowUs - byteCountHistory_[1].timestampUs >= kBitrateWindowMs * 1000) {
    byteCountHistory_.pop_front();
  }
  return stats;
}

void CallInstance::Impl::stop(std::function<void(CallFinalState)> done) {
  CallFinalState finalState;
  if (!stopped_) {
    stopped_ = true;
    runtime_.audioClock().remove(audioSource_.get());
    for (auto& track : remoteTracks_) track->RemoveSink(audioSink_.get());
    remoteTracks_.clear();
    for (auto& track : remoteVideoTracks_) track->RemoveSink(remoteVideo_.get());
    remoteVideoTracks_.clear();
    if (transport_) transport_->stop();
    if (dataChannel_) {
      dataChannel_->UnregisterObserver();
      dataChannel_->Close();
      dataChannel_ = nullptr;
    }
    if (pc_) {
      pc_->Close();
      pc_ = nullptr;
    }
    audioSender_ = nullptr;
    audioTrack_ = nullptr;
    videoSender_ = nullptr;
    videoTrack_ = nullptr;
    audioSource_ = nullptr;
    transport_.reset();
    // The key is wiped once its last share goes: the transport's went above, this is the
    // engine's, so a call that ended holds no key material (the JavaScript CallKey may).
    options_.key.reset();
    audio_->closeFiles();
  }
  finalState.debugJson = statsLog_.toJson();
  finalState.bytesSent = lastStats_.bytesSent;
  finalState.bytesReceived = lastStats_.bytesReceived;
  if (done) done(std::move(finalState));
}

CallInstance::CallInstance(WebRtcRuntime& runtime, CallInstanceOptions options,
                           CallInstanceEvents events, std::shared_ptr<CallAudio> audio)
    : runtime_(runtime) {
  if (options.version != "11.0.0" && options.version != "10.0.0") {
    throw std::invalid_argument("unsupported protocol version " + options.version);
  }
  videoSource_ = rtc::make_ref_counted<PushedVideoSource>();
  remoteVideo_ = std::make_shared<RemoteVideoSink>();
  impl_ = std::make_shared<Impl>(runtime, std::move(options), std::move(events), std::move(audio),
                                 videoSource_, remoteVideo_);
  runtime_.addCall(this);
}

CallInstance::~CallInstance() {
  runtime_.removeCall(this);
  stopAndWait();
}

void CallInstance::start() {
  runtime_.signalingThread()->PostTask([impl = impl_] { impl->start(); });
}

void CallInstance::receiveSignalingData(Bytes data) {
  runtime_.signalingThread()->PostTask([impl = impl_, data = std::move(data)]() mutable {
    impl->receiveSignalingData(std::move(data));
  });
}

void CallInstance::setMuted(bool muted) {
  runtime_.signalingThread()->PostTask([impl = impl_, muted] { impl->setMuted(muted); });
}

bool CallInstance::pushVideoFrame(int width, int height, const uint8_t* data, size_t size) {
  return videoSource_->pushI420(width, height, data, size, rtc::TimeMicros());
}

void CallInstance::requestStats(std::function<void(CallStats)> done) {
  runtime_.signalingThread()->PostTask(
      [impl = impl_, done = std::move(done)]() mutable { impl->requestStats(std::move(done)); });
}

void CallInstance::stop(std::function<void(CallFinalState)> done) {
  runtime_.signalingThread()->PostTask(
      [impl = impl_, done = std::move(done)]() mutable { impl->stop(std::move(done)); });
}

void CallInstance::stopAndWait() {
  if (!impl_) return;
  // The Impl is released on the signaling thread too: its WebRTC members must die there.
  runtime_.signalingThread()->BlockingCall([this] {
    impl_->stop(nullptr);
    impl_.reset();
  });
}

}  // namespace tgcalls
