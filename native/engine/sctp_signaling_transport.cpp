#include "engine/sctp_signaling_transport.h"

#include <algorithm>
#include <deque>
#include <utility>

#include "crypto/gzip_codec.h"
#include "net/dcsctp/public/dcsctp_message.h"
#include "net/dcsctp/public/dcsctp_options.h"
#include "net/dcsctp/public/dcsctp_socket.h"
#include "net/dcsctp/public/dcsctp_socket_factory.h"
#include "net/dcsctp/timer/task_queue_timeout.h"
#include "rtc_base/helpers.h"
#include "rtc_base/logging.h"
#include "rtc_base/thread.h"
#include "rtc_base/time_utils.h"

namespace tgcalls {
namespace {

// The wire parameters of upstream's DcSctpTransport::Start(5000, 5000, 262144) as built in
// Debian's tg_owt 20230105 (spec §4.9); everything not set here keeps dcsctp's default, as
// there.
constexpr int kSctpPort = 5000;
constexpr size_t kMaxMessageSize = 262144;
constexpr dcsctp::StreamID kStream(0);
constexpr dcsctp::PPID kBinaryPpid(53);

// The one timing choice that differs from upstream: how long retransmission timers back off.
// Each signaling exchange (INIT/INIT-ACK, COOKIE-ECHO/ACK, DATA/SACK) fails with probability
// 1 - (1 - loss)^2, 51 % at 30 % loss, and a call needs about five of them in a row. In this
// dcsctp the INIT and COOKIE-ECHO timers ignore max_timer_backoff_duration and double without
// limit (INIT at 0, 1, 3, 7, 15, 31 s), and upstream caps T3-rtx at 3 s: a run of four or five
// lost exchanges outlasts the 30 s connect timeout for 1-2 % of calls at that loss rate. With
// every timer capped at 1 s (the INIT and COOKIE timers' base, about the first RTO) a lost
// exchange costs at most 1 s more, and missing even a 20 s timeout takes a run of more than a
// dozen failures of one exchange (< 0.1 % of calls). One retransmission a second still leaves
// room for round trips through Telegram's servers, and while the peer is unreachable it costs
// one ~100-byte unit per second per side. Only the timing changes: the same packets.
constexpr dcsctp::DurationMs kMaxTimerBackoff(1000);

// Caps a timeout's durations, i.e. the backoff of the timer that owns it: dcsctp computes each
// duration from the timer's base and expiry count and does not mind an early expiry.
class CappedTimeout final : public dcsctp::Timeout {
 public:
  CappedTimeout(std::unique_ptr<dcsctp::Timeout> timeout, dcsctp::DurationMs cap)
      : timeout_(std::move(timeout)), cap_(cap) {}

  void Start(dcsctp::DurationMs duration, dcsctp::TimeoutID id) override {
    timeout_->Start(std::min(duration, cap_), id);
  }
  void Stop() override { timeout_->Stop(); }
  void Restart(dcsctp::DurationMs duration, dcsctp::TimeoutID id) override {
    timeout_->Restart(std::min(duration, cap_), id);
  }

 private:
  std::unique_ptr<dcsctp::Timeout> timeout_;
  dcsctp::DurationMs cap_;
};

dcsctp::DcSctpOptions associationOptions() {
  dcsctp::DcSctpOptions options;
  options.local_port = kSctpPort;
  options.remote_port = kSctpPort;
  options.max_message_size = kMaxMessageSize;
  // Honoured by T3-rtx (DATA); the INIT and COOKIE timers get CappedTimeout instead.
  options.max_timer_backoff_duration = kMaxTimerBackoff;
  // Never give up on our own: as upstream, the association waits as long as the call does,
  // and the call's connect timeout is what ends a call that cannot connect.
  options.max_retransmissions = absl::nullopt;
  options.max_init_retransmits = absl::nullopt;
  return options;
}

// The PPIDs upstream's DcSctpTransport hands to its sink (WebRTC's data channel PPIDs); it
// drops any other. 56 and 57 mean "empty message", whose payload it discards: nothing is left
// to decrypt, so those are dropped here too.
bool carriesPayload(dcsctp::PPID ppid) { return ppid.value() >= 50 && ppid.value() <= 54; }

}  // namespace

// Everything here runs on the network thread: dcsctp is single-threaded, and its timeouts are
// delayed tasks on that thread.
class SctpSignalingTransport::Association final : public dcsctp::DcSctpSocketCallbacks {
 public:
  Association(std::shared_ptr<const CallKey> key, bool isOutgoing, rtc::Thread* network,
              std::function<void(Bytes)> emit, std::function<void(std::string)> received,
              SctpRandomOverride randomOverride)
      : channel_(std::move(key), isOutgoing),
        emit_(std::move(emit)),
        received_(std::move(received)),
        randomOverride_(std::move(randomOverride)),
        timeouts_(
            *network, [] { return dcsctp::TimeMs(rtc::TimeMillis()); },
            [this](dcsctp::TimeoutID id) {
              if (socket_) socket_->HandleTimeout(id);
            }) {
    // The timers dcsctp creates with the socket are the association's setup and teardown ones
    // (T1-init, T1-cookie, T2-shutdown), those that back off without a cap. The ones it
    // creates once connected (T3-rtx, delayed SACK, heartbeat, stream reset) keep the
    // durations dcsctp asks for: a capped heartbeat interval would change the wire.
    creatingSocket_ = true;
    socket_ = dcsctp::DcSctpSocketFactory().Create("tgcalls-signaling", *this, nullptr,
                                                   associationOptions());
    creatingSocket_ = false;
  }

  ~Association() override {
    // Close() sends the ABORT ("Close called") peers see from upstream when its transport is
    // destroyed. Nothing may reach the call from the callbacks it triggers.
    closing_ = true;
    socket_->Close();
    socket_.reset();
  }

  // Both sides send INIT at once; there is no client or server role (spec §4.9).
  void start() { socket_->Connect(); }

  void send(const std::string& json) {
    // Messages wait, in order and without limit, until the association is up (spec §4.9).
    queue_.push_back(channel_.seal(gzipCompress(asBytes(json))));
    flushQueue();
  }

  // dcsctp checks the common header, CRC32c and verification tag, and drops any packet it
  // cannot parse (reporting OnError), so whatever the peer or the API delivers is safe here.
  void receive(const Bytes& packet) { socket_->ReceivePacket(packet); }

  // dcsctp::DcSctpSocketCallbacks
  dcsctp::SendPacketStatus SendPacketWithStatus(rtc::ArrayView<const uint8_t> data) override {
    // The API is a message service, always "writable".
    emit_(Bytes(data.begin(), data.end()));
    return dcsctp::SendPacketStatus::kSuccess;
  }
  std::unique_ptr<dcsctp::Timeout> CreateTimeout(
      webrtc::TaskQueueBase::DelayPrecision precision) override {
    std::unique_ptr<dcsctp::Timeout> timeout = timeouts_.CreateTimeout(precision);
    if (!creatingSocket_) return timeout;
    return std::make_unique<CappedTimeout>(std::move(timeout), kMaxTimerBackoff);
  }
  dcsctp::TimeMs TimeMillis() override { return dcsctp::TimeMs(rtc::TimeMillis()); }
  uint32_t GetRandomInt(uint32_t low, uint32_t high) override {
    if (randomOverride_) {
      if (std::optional<uint32_t> value = randomOverride_(low, high)) return *value;
    }
    // Verification tags and initial TSNs: unpredictable ones make blind injection of packets
    // by a third party harder. rtc::CreateRandomId draws from WebRTC's secure generator.
    return high > low ? low + rtc::CreateRandomId() % (high - low) : low;
  }

  void OnMessageReceived(dcsctp::DcSctpMessage message) override {
    // As upstream: any stream, any data channel PPID; the payload must decrypt.
    if (!carriesPayload(message.ppid())) return;
    std::optional<Bytes> payload =
        channel_.open(ByteView(message.payload().data(), message.payload().size()));
    if (!payload) return;
    std::optional<Bytes> json = maybeInflate(*payload);
    if (!json) return;
    received_(std::string(json->begin(), json->end()));
  }
  void OnError(dcsctp::ErrorKind error, absl::string_view message) override {
    // Unparsable or unexpected packets; dcsctp has already dropped them.
    RTC_LOG(LS_INFO) << "11.0.0 signaling: SCTP error " << dcsctp::ToString(error) << ": "
                     << message;
  }
  void OnAborted(dcsctp::ErrorKind error, absl::string_view message) override {
    if (closing_) return;
    // The peer sends ABORT when its instance is destroyed, i.e. when it hangs up; the call
    // then ends through Telegram's discard, not through an error of ours. So, as upstream, the
    // association is not restarted and the call goes on: media no longer needs signaling, and
    // a call that is not yet connected ends at its connect timeout. Messages sent from now
    // on are dropped.
    aborted_ = true;
    queue_.clear();
    RTC_LOG(LS_WARNING) << "11.0.0 signaling: SCTP association aborted (" << dcsctp::ToString(error)
                        << ": " << message << "); later signaling messages are dropped";
  }
  void OnConnected() override {
    connected_ = true;
    flushQueue();
  }
  void OnClosed() override {}
  void OnConnectionRestarted() override {
    // The peer restarted the association (a new INIT from a peer we were connected to).
    // Messages dcsctp had not delivered may be lost, as with upstream.
    RTC_LOG(LS_WARNING) << "11.0.0 signaling: SCTP association restarted by the peer";
  }
  void OnStreamsResetFailed(rtc::ArrayView<const dcsctp::StreamID>, absl::string_view) override {}
  void OnStreamsResetPerformed(rtc::ArrayView<const dcsctp::StreamID>) override {}
  void OnIncomingStreamsReset(rtc::ArrayView<const dcsctp::StreamID> streams) override {
    // Upstream's transport takes a reset of the peer's stream 0 as the closing of that data
    // channel: it answers with a reset of its own outgoing stream 0 and sends nothing more on
    // it. Same here, so the wire looks the same. No other stream is open.
    for (dcsctp::StreamID stream : streams) {
      if (stream != kStream || streamClosed_) continue;
      streamClosed_ = true;
      queue_.clear();
      socket_->ResetStreams(rtc::ArrayView<const dcsctp::StreamID>(&kStream, 1));
    }
  }

 private:
  void flushQueue() {
    if (aborted_ || streamClosed_) queue_.clear();
    if (!connected_) return;
    while (!queue_.empty()) {
      dcsctp::SendOptions options;  // ordered, reliable: no lifetime, no retransmission limit
      dcsctp::SendStatus status = socket_->Send(
          dcsctp::DcSctpMessage(kStream, kBinaryPpid, std::move(queue_.front())), options);
      queue_.pop_front();
      // Only a message over 256 KiB (never a JSON signaling message) or a full 2 MB send
      // buffer fails; as with upstream's SendData, such a message is not retried.
      if (status != dcsctp::SendStatus::kSuccess)
        RTC_LOG(LS_WARNING) << "11.0.0 signaling: message not sent: " << dcsctp::ToString(status);
    }
  }

  RawSignalingChannel channel_;
  std::function<void(Bytes)> emit_;
  std::function<void(std::string)> received_;
  SctpRandomOverride randomOverride_;
  // Declared before the socket: its timeouts must outlive it.
  dcsctp::TaskQueueTimeoutFactory timeouts_;
  std::unique_ptr<dcsctp::DcSctpSocketInterface> socket_;
  std::deque<Bytes> queue_;
  bool connected_ = false;
  bool aborted_ = false;
  bool streamClosed_ = false;
  bool closing_ = false;
  bool creatingSocket_ = false;
};

SctpSignalingTransport::SctpSignalingTransport(std::shared_ptr<const CallKey> key, bool isOutgoing,
                                               SignalingThreads threads,
                                               SignalingTransportCallbacks callbacks,
                                               SctpRandomOverride randomOverride)
    : threads_(threads), callbacks_(std::move(callbacks)) {
  auto flag = safety_.flag();
  rtc::Thread* signaling = threads_.signaling;
  auto deliver = [this, flag, signaling](std::string json) {
    signaling->PostTask(webrtc::SafeTask(flag, [this, json = std::move(json)] {
      if (!stopped_) callbacks_.messageReceived(json);
    }));
  };
  association_ = threads_.network->BlockingCall([&] {
    return std::make_unique<Association>(std::move(key), isOutgoing, threads_.network,
                                         callbacks_.emitData, deliver, std::move(randomOverride));
  });
}

SctpSignalingTransport::~SctpSignalingTransport() { stop(); }

void SctpSignalingTransport::start() {
  threads_.network->PostTask([association = association_.get()] { association->start(); });
}

void SctpSignalingTransport::sendMessage(const std::string& json) {
  if (stopped_) return;
  threads_.network->PostTask([association = association_.get(), json] { association->send(json); });
}

void SctpSignalingTransport::receiveData(Bytes data) {
  if (stopped_) return;
  threads_.network->PostTask(
      [association = association_.get(), data = std::move(data)] { association->receive(data); });
}

void SctpSignalingTransport::stop() {
  if (stopped_) return;
  stopped_ = true;
  // Tasks already posted to the network thread run before this one, so none of them can
  // use the association after it is gone.
  threads_.network->BlockingCall([this] { association_.reset(); });
}

}  // namespace tgcalls
