#include "engine/sctp_signaling_transport.h"

#include <utility>

#include "api/transport/data_channel_transport_interface.h"
#include "crypto/gzip_codec.h"
#include "media/sctp/sctp_transport_factory.h"
#include "p2p/base/packet_transport_internal.h"
#include "rtc_base/copy_on_write_buffer.h"
#include "rtc_base/thread.h"
#include "rtc_base/time_utils.h"

namespace tgcalls {
namespace {

constexpr int kSctpPort = 5000;
constexpr int kMaxMessageSize = 262144;
constexpr int kStream = 0;

// The "wire" below SCTP: sending emits an API unit, API units are fed in as received packets.
// Always writable, as upstream's: the API is a message service, not a socket.
class ApiPacketTransport final : public rtc::PacketTransportInternal {
 public:
  explicit ApiPacketTransport(std::function<void(Bytes)> emit) : emit_(std::move(emit)) {}

  const std::string& transport_name() const override { return name_; }
  bool writable() const override { return true; }
  bool receiving() const override { return true; }
  int SendPacket(const char* data, size_t length, const rtc::PacketOptions&, int) override {
    emit_(Bytes(data, data + length));
    return static_cast<int>(length);
  }
  int SetOption(rtc::Socket::Option, int) override { return 0; }
  int GetError() override { return 0; }

  void deliver(const Bytes& packet) {
    SignalReadPacket(this, reinterpret_cast<const char*>(packet.data()), packet.size(),
                     rtc::TimeMicros(), 0);
  }

 private:
  std::string name_ = "tgcalls-signaling";
  std::function<void(Bytes)> emit_;
};

}  // namespace

// Everything here runs on the network thread.
class SctpSignalingTransport::Association final : public webrtc::DataChannelSink {
 public:
  Association(std::shared_ptr<const CallKey> key, bool isOutgoing, rtc::Thread* network,
              std::function<void(Bytes)> emit, std::function<void(std::string)> received)
      : channel_(std::move(key), isOutgoing),
        packetTransport_(std::move(emit)),
        received_(std::move(received)) {
    cricket::SctpTransportFactory factory(network);
    sctp_ = factory.CreateSctpTransport(&packetTransport_);
    sctp_->SetDataChannelSink(this);
    sctp_->SetOnConnectedCallback([this] {
      connected_ = true;
      flushQueue();
    });
  }

  ~Association() override {
    // Destroying the transport sends an ABORT, as upstream's does when its instance dies.
    sctp_.reset();
  }

  void start() {
    sctp_->OpenStream(kStream);
    sctp_->Start(kSctpPort, kSctpPort, kMaxMessageSize);
  }

  void send(const std::string& json) {
    // Messages wait, in order and without limit, until the association is up (spec §4.9).
    queue_.push_back(channel_.seal(gzipCompress(asBytes(json))));
    flushQueue();
  }

  void receive(const Bytes& packet) { packetTransport_.deliver(packet); }

  void OnDataReceived(int, webrtc::DataMessageType, const rtc::CopyOnWriteBuffer& buffer) override {
    std::optional<Bytes> payload = channel_.open(ByteView(buffer.cdata(), buffer.size()));
    if (!payload) return;
    std::optional<Bytes> json = maybeInflate(*payload);
    if (!json) return;
    received_(std::string(json->begin(), json->end()));
  }
  void OnChannelClosing(int) override {}
  void OnChannelClosed(int) override {}
  void OnReadyToSend() override { flushQueue(); }

 private:
  void flushQueue() {
    if (!connected_) return;
    webrtc::SendDataParams params;
    params.type = webrtc::DataMessageType::kBinary;  // PPID 53
    params.ordered = true;
    while (!queue_.empty()) {
      cricket::SendDataResult result = cricket::SDR_SUCCESS;
      rtc::CopyOnWriteBuffer payload(queue_.front().data(), queue_.front().size());
      if (!sctp_->SendData(kStream, params, payload, &result)) break;  // retried on ready
      queue_.pop_front();
    }
  }

  RawSignalingChannel channel_;
  ApiPacketTransport packetTransport_;
  std::function<void(std::string)> received_;
  std::unique_ptr<cricket::SctpTransportInternal> sctp_;
  std::deque<Bytes> queue_;
  bool connected_ = false;
};

SctpSignalingTransport::SctpSignalingTransport(std::shared_ptr<const CallKey> key, bool isOutgoing,
                                               SignalingThreads threads,
                                               SignalingTransportCallbacks callbacks)
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
                                         callbacks_.emitData, deliver);
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
