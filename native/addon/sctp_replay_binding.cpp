#include "addon/sctp_replay_binding.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "addon/addon_environment.h"
#include "addon/arguments.h"
#include "addon/call_key_handle.h"
#include "addon/typed_error.h"
#include "engine/sctp_signaling_transport.h"
#include "webrtc/webrtc_runtime.h"

namespace tgcalls {
namespace {

// One replay. `emitted` is filled on the network thread, `messages` on the signaling thread;
// the JavaScript thread reads both only after the transport has stopped. The transport lives
// and dies on the signaling thread, as in a call.
struct Replay {
  std::mutex mutex;
  std::vector<Bytes> emitted;
  std::vector<std::string> messages;
  std::unique_ptr<SctpSignalingTransport> transport;
};

// Answers dcsctp's first draws with the given values, in order, and leaves the rest to the
// secure generator. A value outside the range asked for is not used (and the recorded packets
// will then not be accepted, which the test sees).
SctpRandomOverride scriptedDraws(std::vector<uint32_t> values) {
  auto queue = std::make_shared<std::deque<uint32_t>>(values.begin(), values.end());
  return [queue](uint32_t low, uint32_t high) -> std::optional<uint32_t> {
    if (queue->empty()) return std::nullopt;
    const uint32_t value = queue->front();
    queue->pop_front();
    if (value < low || value >= high) return std::nullopt;
    return value;
  };
}

std::vector<Bytes> packetsArgument(const Napi::CallbackInfo& info, size_t index) {
  if (!info[index].IsArray()) throwTypeError(info.Env(), "packets must be an array");
  Napi::Array array = info[index].As<Napi::Array>();
  std::vector<Bytes> packets;
  for (uint32_t i = 0; i < array.Length(); ++i) {
    const ByteView packet =
        bytesValue(info.Env(), array.Get(i), "packets[" + std::to_string(i) + "]");
    packets.emplace_back(packet.begin(), packet.end());
  }
  return packets;
}

std::vector<uint32_t> drawsArgument(const Napi::CallbackInfo& info, size_t index) {
  if (!info[index].IsArray()) throwTypeError(info.Env(), "draws must be an array");
  Napi::Array array = info[index].As<Napi::Array>();
  std::vector<uint32_t> draws;
  for (uint32_t i = 0; i < array.Length(); ++i) {
    Napi::Value value = array.Get(i);
    if (!value.IsNumber()) throwTypeError(info.Env(), "draws must be numbers");
    const double number = value.As<Napi::Number>().DoubleValue();
    if (!(number >= 0 && number <= UINT32_MAX) || number != static_cast<uint32_t>(number)) {
      throwRangeError(info.Env(), "draws must be 32-bit unsigned integers");
    }
    draws.push_back(static_cast<uint32_t>(number));
  }
  return draws;
}

Napi::Object resultObject(Napi::Env env, const Replay& replay) {
  Napi::Array emitted = Napi::Array::New(env, replay.emitted.size());
  for (uint32_t i = 0; i < replay.emitted.size(); ++i)
    emitted.Set(i, toBuffer(env, replay.emitted[i]));
  Napi::Array messages = Napi::Array::New(env, replay.messages.size());
  for (uint32_t i = 0; i < replay.messages.size(); ++i)
    messages.Set(i, Napi::String::New(env, replay.messages[i]));
  Napi::Object result = Napi::Object::New(env);
  result.Set("emitted", emitted);
  result.Set("messages", messages);
  return result;
}

// On the signaling thread, where a call runs its transport: starts one, gives it every packet
// in order as receiveSignalingData would, then stops it and calls `done`.
void runReplay(std::shared_ptr<Replay> replay, std::shared_ptr<const CallKey> key, bool isOutgoing,
               SctpRandomOverride draws, std::vector<Bytes> packets, SignalingThreads threads,
               std::function<void()> done) {
  // Weak: the transport, and with it these callbacks, belongs to the replay.
  std::weak_ptr<Replay> collector = replay;
  SignalingTransportCallbacks callbacks;
  callbacks.emitData = [collector](Bytes unit) {
    if (auto replay = collector.lock()) {
      std::lock_guard<std::mutex> lock(replay->mutex);
      replay->emitted.push_back(std::move(unit));
    }
  };
  callbacks.messageReceived = [collector](std::string json) {
    if (auto replay = collector.lock()) replay->messages.push_back(std::move(json));
  };
  replay->transport = std::make_unique<SctpSignalingTransport>(
      std::move(key), isOutgoing, threads, std::move(callbacks), std::move(draws));
  replay->transport->start();
  for (Bytes& packet : packets) replay->transport->receiveData(std::move(packet));
  // The transport handles each packet in a task on the network thread, which posts each
  // message it completes to the signaling thread. A task that passes through both queues
  // after the last packet therefore runs after every delivery.
  threads.network->PostTask([replay, threads, done = std::move(done)] {
    threads.signaling->PostTask([replay, done] {
      replay->transport.reset();  // stops it first; on a live association that sends ABORT
      done();
    });
  });
}

// replaySctpSignaling(key, isOutgoing, draws, packets): Promise<{ emitted, messages }>.
// Replays `packets` into an 11.0.0 transport made exactly as a call makes it, on the shared
// WebRTC threads, except that dcsctp's first random draws are `draws`. `emitted` are the units
// it sent, `messages` the JSON texts it delivered, in order.
Napi::Value replaySctpSignaling(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::shared_ptr<const CallKey> key = CallKeyHandle::unwrap(env, info[0]);
  const bool isOutgoing = booleanArgument(info, 1, "isOutgoing");
  SctpRandomOverride draws = scriptedDraws(drawsArgument(info, 2));
  std::vector<Bytes> packets = packetsArgument(info, 3);

  AddonEnvironment& environment = AddonEnvironment::from(env);
  Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
  const uint64_t id = environment.addPending(deferred);
  std::shared_ptr<JsDispatcher> dispatcher = environment.dispatcher();
  const SignalingThreads threads{environment.runtime().signalingThread(),
                                 environment.runtime().networkThread()};
  auto replay = std::make_shared<Replay>();
  auto done = [replay, dispatcher, id] {
    dispatcher->post([replay, id](Napi::Env env) {
      auto deferred = AddonEnvironment::from(env).takePending(id);
      if (!deferred) return;
      std::lock_guard<std::mutex> lock(replay->mutex);
      deferred->Resolve(resultObject(env, *replay));
    });
  };
  threads.signaling->PostTask(
      [=, key = std::move(key), draws = std::move(draws), packets = std::move(packets)]() mutable {
        runReplay(replay, std::move(key), isOutgoing, std::move(draws), std::move(packets), threads,
                  done);
      });
  return deferred.Promise();
}

}  // namespace

void registerSctpReplayBinding(Napi::Env env, Napi::Object exports) {
  exports.Set("replaySctpSignaling",
              Napi::Function::New<replaySctpSignaling>(env, "replaySctpSignaling"));
}

}  // namespace tgcalls
