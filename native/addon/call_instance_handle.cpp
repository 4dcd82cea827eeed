#include "addon/call_instance_handle.h"

#include <stdexcept>
#include <string>
#include <utility>

#include "addon/addon_environment.h"
#include "addon/arguments.h"
#include "addon/call_key_handle.h"
#include "addon/typed_error.h"
#include "engine/call_audio.h"
#include "engine/call_video.h"
#include "media/audio_file.h"

namespace tgcalls {
namespace {

std::string stringProperty(Napi::Env env, Napi::Object object, const char* name,
                           const std::string& fallback) {
  Napi::Value value = object.Get(name);
  if (value.IsUndefined()) return fallback;
  if (!value.IsString()) throwTypeError(env, std::string(name) + " must be a string");
  return value.As<Napi::String>().Utf8Value();
}

// A file path under its format-neutral name or its older WAV-only alias (both take WAV and Ogg
// Opus now); giving both is a mistake worth reporting rather than silently picking one.
std::string fileProperty(Napi::Env env, Napi::Object object, const char* name, const char* alias) {
  const std::string value = stringProperty(env, object, name, "");
  const std::string aliased = stringProperty(env, object, alias, "");
  if (!value.empty() && !aliased.empty()) {
    throwTypeError(env, std::string("give ") + name + " or " + alias + ", not both");
  }
  return value.empty() ? aliased : value;
}

bool boolProperty(Napi::Env env, Napi::Object object, const char* name, bool fallback) {
  Napi::Value value = object.Get(name);
  if (value.IsUndefined()) return fallback;
  if (!value.IsBoolean()) throwTypeError(env, std::string(name) + " must be a boolean");
  return value.As<Napi::Boolean>().Value();
}

int64_t integerProperty(Napi::Env env, Napi::Object object, const char* name, int64_t fallback,
                        int64_t min, int64_t max) {
  Napi::Value value = object.Get(name);
  if (value.IsUndefined()) return fallback;
  if (!value.IsNumber()) throwTypeError(env, std::string(name) + " must be a number");
  const double number = value.As<Napi::Number>().DoubleValue();
  if (!(number >= static_cast<double>(min) && number <= static_cast<double>(max))) {
    throwRangeError(env, std::string(name) + " is out of range");
  }
  return static_cast<int64_t>(number);
}

const char* videoStateName(RemoteVideoState state) {
  switch (state) {
    case RemoteVideoState::Inactive:
      return "inactive";
    case RemoteVideoState::Paused:
      return "paused";
    case RemoteVideoState::Active:
      return "active";
  }
  return "inactive";
}

std::vector<RtcServer> parseServers(Napi::Env env, Napi::Value value) {
  std::vector<RtcServer> servers;
  if (value.IsUndefined()) return servers;
  if (!value.IsArray()) throwTypeError(env, "rtcServers must be an array");
  Napi::Array array = value.As<Napi::Array>();
  for (uint32_t i = 0; i < array.Length(); ++i) {
    Napi::Value item = array.Get(i);
    if (!item.IsObject()) throwTypeError(env, "each rtcServer must be an object");
    Napi::Object object = item.As<Napi::Object>();
    RtcServer server;
    server.host = stringProperty(env, object, "host", "");
    server.port = static_cast<int>(integerProperty(env, object, "port", 0, 0, 65535));
    server.login = stringProperty(env, object, "login", "");
    server.password = stringProperty(env, object, "password", "");
    server.isTurn = boolProperty(env, object, "isTurn", false);
    server.isTcp = boolProperty(env, object, "isTcp", false);
    servers.push_back(std::move(server));
  }
  return servers;
}

Napi::Object statsObject(Napi::Env env, const CallStats& stats) {
  Napi::Object object = Napi::Object::New(env);
  object.Set("sendBitrateKbps", stats.sendBitrateKbps);
  object.Set("receiveBitrateKbps", stats.receiveBitrateKbps);
  object.Set("availableOutgoingKbps", stats.availableOutgoingKbps);
  object.Set("rttMs", stats.rttMs);
  object.Set("packetLoss", stats.packetLoss);
  object.Set("packetsLost", static_cast<double>(stats.packetsLost));
  object.Set("jitterMs", stats.jitterMs);
  object.Set("bytesSent", static_cast<double>(stats.bytesSent));
  object.Set("bytesReceived", static_cast<double>(stats.bytesReceived));
  object.Set("localCandidateType", stats.localCandidateType);
  object.Set("remoteCandidateType", stats.remoteCandidateType);
  object.Set("codec", stats.codec);
  return object;
}

}  // namespace

void CallInstanceHandle::define(Napi::Env env, Napi::Object exports) {
  exports.Set(
      "NativeCall",
      DefineClass(
          env, "NativeCall",
          {
              InstanceMethod<&CallInstanceHandle::start>("start"),
              InstanceMethod<&CallInstanceHandle::receiveSignalingData>("receiveSignalingData"),
              InstanceMethod<&CallInstanceHandle::setMuted>("setMuted"),
              InstanceMethod<&CallInstanceHandle::pushAudio>("pushAudio"),
              InstanceMethod<&CallInstanceHandle::getStats>("getStats"),
              InstanceMethod<&CallInstanceHandle::stop>("stop"),
              InstanceMethod<&CallInstanceHandle::audioCounters>("audioCounters"),
              InstanceMethod<&CallInstanceHandle::pushVideoFrame>("pushVideoFrame"),
              InstanceMethod<&CallInstanceHandle::useFileInput>("useFileInput"),
              InstanceMethod<&CallInstanceHandle::usePushedInput>("usePushedInput"),
              InstanceMethod<&CallInstanceHandle::setInputPaused>("setInputPaused"),
              InstanceMethod<&CallInstanceHandle::setInputGain>("setInputGain"),
              InstanceMethod<&CallInstanceHandle::videoCounters>("videoCounters"),
          }));
}

CallInstanceHandle::CallInstanceHandle(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<CallInstanceHandle>(info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject()) throwTypeError(env, "options must be an object");
  if (!info[1].IsFunction()) throwTypeError(env, "onEvent must be a function");
  Napi::Object options = info[0].As<Napi::Object>();

  CallInstanceOptions callOptions;
  callOptions.version = stringProperty(env, options, "version", "");
  if (callOptions.version != "11.0.0" && callOptions.version != "10.0.0") {
    throwTypedError(env, "UNSUPPORTED_PROTOCOL_VERSION",
                    "protocol version must be 11.0.0 or 10.0.0, got '" + callOptions.version + "'");
  }
  callOptions.key = CallKeyHandle::unwrap(env, options.Get("key"));
  if (!options.Get("isOutgoing").IsBoolean()) throwTypeError(env, "isOutgoing must be a boolean");
  callOptions.isOutgoing = options.Get("isOutgoing").As<Napi::Boolean>().Value();
  callOptions.servers = parseServers(env, options.Get("rtcServers"));
  callOptions.enableP2P = boolProperty(env, options, "enableP2P", true);
  callOptions.connectTimeoutMs =
      static_cast<int>(integerProperty(env, options, "connectTimeoutMs", 30000, 100, 3600000));
  callOptions.packetTimeoutMs =
      static_cast<int>(integerProperty(env, options, "packetTimeoutMs", 10000, 100, 3600000));
  callOptions.video = boolProperty(env, options, "video", false);
  const bool deliverVideo = boolProperty(env, options, "deliverVideoFrames", false);

  CallAudioOptions audioOptions;
  Napi::Value audioValue = options.Get("audio");
  bool deliverIncoming = false;
  if (!audioValue.IsUndefined()) {
    if (!audioValue.IsObject()) throwTypeError(env, "audio must be an object");
    Napi::Object audio = audioValue.As<Napi::Object>();
    audioOptions.inputPath = fileProperty(env, audio, "inputFile", "inputWav");
    audioOptions.loopInput = boolProperty(env, audio, "loopInput", false);
    audioOptions.outputPath = fileProperty(env, audio, "outputFile", "outputWav");
    audioOptions.conversationPath = fileProperty(env, audio, "conversationFile", "conversationWav");
    audioOptions.inputQueueSamples =
        static_cast<size_t>(integerProperty(env, audio, "inputQueueMs", 1000, 20, 60000) * 48);
    deliverIncoming = boolProperty(env, audio, "deliverIncoming", false);
  }
  audioOptions.echoCancellation = boolProperty(env, options, "enableEchoCancellation", false);
  audioOptions.noiseSuppression = boolProperty(env, options, "enableNoiseSuppression", false);
  audioOptions.gainControl = boolProperty(env, options, "enableGainControl", false);
  try {
    audio_ = std::make_shared<CallAudio>(audioOptions);
  } catch (const MediaFileError& error) {
    throwTypedError(env, error.code(), error.what());
  }

  AddonEnvironment& environment = AddonEnvironment::from(env);
  // The callback is kept on the wrapper object (JavaScript to JavaScript) and referenced weakly
  // from here: a strong native reference to a closure over the engine made a cycle the garbage
  // collector cannot see through, so no call (its key, files, buffers) was ever freed. A
  // running call pins its wrapper instead, from start() to the end of stop().
  Napi::Function onEvent = info[1].As<Napi::Function>();
  info.This().As<Napi::Object>().DefineProperty(
      Napi::PropertyDescriptor::Value("onEvent", onEvent, napi_default));
  onEvent_ = Napi::Weak(onEvent);
  id_ = environment.registerCall(this);

  std::weak_ptr<JsDispatcher> dispatcher = environment.dispatcher();
  const uint64_t id = id_;
  if (deliverIncoming) {
    // postLossy() refuses the frame when JavaScript is too far behind: the call counts it
    // (receivedFramesDropped), since the dispatcher's own count mixes every call and event.
    audio_->setIncomingListener([dispatcher, id](const int16_t* samples, size_t count) {
      auto target = dispatcher.lock();
      if (!target) return false;
      std::vector<int16_t> copy(samples, samples + count);
      return target->postLossy([id, copy = std::move(copy)](Napi::Env env) {
        CallInstanceHandle* handle = AddonEnvironment::from(env).findCall(id);
        if (handle == nullptr) return;
        Napi::Int16Array array = Napi::Int16Array::New(env, copy.size());
        std::copy(copy.begin(), copy.end(), array.Data());
        handle->emit(env, "audio", array);
      });
    });
  }
  audio_->setDrainedListener([dispatcher, id] {
    auto target = dispatcher.lock();
    if (!target) return;
    target->post([id](Napi::Env env) {
      CallInstanceHandle* handle = AddonEnvironment::from(env).findCall(id);
      if (handle != nullptr && !handle->stopped_)
        handle->emit(env, "inputDrained", env.Undefined());
    });
  });
  audio_->setLevelListener([dispatcher, id](float outgoing, float incoming) {
    auto target = dispatcher.lock();
    if (!target) return;
    target->postLossy([id, outgoing, incoming](Napi::Env env) {
      CallInstanceHandle* handle = AddonEnvironment::from(env).findCall(id);
      if (handle == nullptr) return;
      Napi::Object levels = Napi::Object::New(env);
      levels.Set("outgoing", outgoing);
      levels.Set("incoming", incoming);
      handle->emit(env, "audioLevels", levels);
    });
  });
  instance_ = std::make_unique<CallInstance>(environment.runtime(), std::move(callOptions),
                                             makeEvents(), audio_);
  if (deliverVideo) {
    instance_->remoteVideo().setListener(
        [dispatcher, id](const VideoFrameInfo& frame, std::vector<uint8_t> data) {
          auto target = dispatcher.lock();
          if (!target) return;
          target->postLossy([id, frame, data = std::move(data)](Napi::Env env) {
            CallInstanceHandle* handle = AddonEnvironment::from(env).findCall(id);
            if (handle == nullptr) return;
            Napi::Object object = Napi::Object::New(env);
            object.Set("width", frame.width);
            object.Set("height", frame.height);
            object.Set("rotation", frame.rotation);
            object.Set("timestampUs", static_cast<double>(frame.timestampUs));
            object.Set("data", toBuffer(env, data));
            handle->emit(env, "videoFrame", object);
          });
        });
  }
}

CallInstanceHandle::~CallInstanceHandle() {
  stopForTeardown();
  if (id_ != 0) {
    if (AddonEnvironment* environment = AddonEnvironment::find(Env())) {
      environment->unregisterCall(id_);
    }
  }
}

void CallInstanceHandle::stopForTeardown() {
  // Blocks until the call has released every WebRTC object, on WebRTC's threads.
  if (instance_) instance_.reset();
  stopped_ = true;
}

// Events come from WebRTC threads: each is posted to this environment's JavaScript thread and
// finds this handle by id there, so an event for a collected handle is simply dropped.
CallInstanceEvents CallInstanceHandle::makeEvents() {
  std::weak_ptr<JsDispatcher> dispatcher = AddonEnvironment::from(Env()).dispatcher();
  const uint64_t id = id_;
  auto post = [dispatcher, id](bool lossy, auto makeValue, const char* name) {
    auto target = dispatcher.lock();
    if (!target) return;
    JsDispatcher::Task task = [id, makeValue = std::move(makeValue), name](Napi::Env env) {
      CallInstanceHandle* handle = AddonEnvironment::from(env).findCall(id);
      if (handle == nullptr || handle->stopped_) return;
      handle->emit(env, name, makeValue(env));
    };
    if (lossy) {
      target->postLossy(std::move(task));
    } else {
      target->post(std::move(task));
    }
  };
  CallInstanceEvents events;
  events.signalingData = [post](Bytes data) {
    post(
        false,
        [data = std::move(data)](Napi::Env env) -> Napi::Value { return toBuffer(env, data); },
        "signalingData");
  };
  events.stateChanged = [post](CallState state) {
    post(
        false,
        [state](Napi::Env env) -> Napi::Value {
          return Napi::String::New(env, callStateName(state));
        },
        "state");
  };
  events.signalBars = [post](int bars) {
    post(
        true, [bars](Napi::Env env) -> Napi::Value { return Napi::Number::New(env, bars); },
        "signalBars");
  };
  events.remoteMediaState = [post](bool muted, RemoteVideoState video) {
    post(
        false,
        [muted, video](Napi::Env env) -> Napi::Value {
          Napi::Object state = Napi::Object::New(env);
          state.Set("audio", muted ? "muted" : "active");
          state.Set("video", videoStateName(video));
          return state;
        },
        "remoteMediaState");
  };
  events.failed = [post](std::string code, std::string message) {
    post(
        false,
        [code = std::move(code), message = std::move(message)](Napi::Env env) -> Napi::Value {
          return makeTypedError(env, code, message).Value();
        },
        "failed");
  };
  return events;
}

void CallInstanceHandle::emit(Napi::Env env, const char* name, Napi::Value value) {
  if (onEvent_.IsEmpty()) return;
  Napi::Function callback = onEvent_.Value();
  if (callback.IsEmpty()) return;  // the wrapper is being collected
  callback.Call({Napi::String::New(env, name), value});
}

void CallInstanceHandle::start(const Napi::CallbackInfo& info) {
  if (started_ || stopped_ || !instance_) {
    throwTypedError(info.Env(), "CALL_INVALID_STATE",
                    started_ ? "the call was already started" : "the call was stopped");
  }
  started_ = true;
  holdingLoop_ = true;
  Ref();  // pinned while it runs: see the constructor
  AddonEnvironment::from(info.Env()).dispatcher()->holdLoop(info.Env());
  instance_->start();
}

void CallInstanceHandle::receiveSignalingData(const Napi::CallbackInfo& info) {
  ByteView data = bytesArgument(info, 0, "data");
  if (stopped_ || !instance_) return;  // data for an ended call is dropped, never thrown
  instance_->receiveSignalingData(Bytes(data.begin(), data.end()));
}

void CallInstanceHandle::setMuted(const Napi::CallbackInfo& info) {
  const bool muted = booleanArgument(info, 0, "muted");
  if (!stopped_ && instance_) instance_->setMuted(muted);
}

Napi::Value CallInstanceHandle::pushAudio(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_int16_array) {
    throwTypeError(env, "samples must be an Int16Array of 48 kHz mono PCM");
  }
  Napi::Int16Array samples = info[0].As<Napi::Int16Array>();
  if (stopped_) return Napi::Boolean::New(env, false);
  return Napi::Boolean::New(env, audio_->pushAudio(samples.Data(), samples.ElementLength()));
}

Napi::Value CallInstanceHandle::getStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  AddonEnvironment& environment = AddonEnvironment::from(env);
  Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
  if (stopped_ || !instance_) {
    deferred.Resolve(statsObject(env, CallStats{}));
    return deferred.Promise();
  }
  const uint64_t pending = environment.addPending(deferred);
  std::weak_ptr<JsDispatcher> dispatcher = environment.dispatcher();
  instance_->requestStats([dispatcher, pending](CallStats stats) {
    if (auto target = dispatcher.lock()) {
      target->post([pending, stats](Napi::Env env) {
        if (auto deferred = AddonEnvironment::from(env).takePending(pending)) {
          deferred->Resolve(statsObject(env, stats));
        }
      });
    }
  });
  return deferred.Promise();
}

Napi::Value CallInstanceHandle::stop(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  AddonEnvironment& environment = AddonEnvironment::from(env);
  Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
  stopped_ = true;
  if (!instance_) {
    deferred.Reject(
        makeTypedError(env, "CALL_INVALID_STATE", "the call was already torn down").Value());
    return deferred.Promise();
  }
  const uint64_t pending = environment.addPending(deferred);
  std::weak_ptr<JsDispatcher> dispatcher = environment.dispatcher();
  const uint64_t id = id_;
  instance_->stop([dispatcher, pending, id](CallFinalState state) {
    auto target = dispatcher.lock();
    if (!target) return;
    target->post([pending, id, state = std::move(state)](Napi::Env env) {
      AddonEnvironment& environment = AddonEnvironment::from(env);
      if (CallInstanceHandle* handle = environment.findCall(id)) handle->releaseLoop(env);
      auto deferred = environment.takePending(pending);
      if (!deferred) return;
      Napi::Object result = Napi::Object::New(env);
      result.Set("debugJson", state.debugJson);
      Napi::Object traffic = Napi::Object::New(env);
      traffic.Set("bytesSent", static_cast<double>(state.bytesSent));
      traffic.Set("bytesReceived", static_cast<double>(state.bytesReceived));
      result.Set("trafficStats", traffic);
      result.Set("isRatingSuggested", state.isRatingSuggested);
      deferred->Resolve(result);
    });
  });
  return deferred.Promise();
}

void CallInstanceHandle::releaseLoop(Napi::Env env) {
  if (!holdingLoop_) return;
  holdingLoop_ = false;
  Unref();
  AddonEnvironment::from(env).dispatcher()->releaseLoop(env);
}

Napi::Value CallInstanceHandle::audioCounters(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const CallAudioCounters counters = audio_->counters();
  Napi::Object object = Napi::Object::New(env);
  object.Set("framesSent", static_cast<double>(counters.framesSent));
  object.Set("framesReceived", static_cast<double>(counters.framesReceived));
  object.Set("inputUnderruns", static_cast<double>(counters.inputUnderruns));
  object.Set("receivedSilentFrames", static_cast<double>(counters.receivedSilentFrames));
  object.Set("receivedFramesDropped", static_cast<double>(counters.receivedFramesDropped));
  object.Set("queuedInputSamples", static_cast<double>(audio_->queuedInputSamples()));
  return object;
}

Napi::Value CallInstanceHandle::pushVideoFrame(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int width = static_cast<int>(integerArgument(info, 0, "width", 1, 4096));
  const int height = static_cast<int>(integerArgument(info, 1, "height", 1, 4096));
  ByteView data = bytesArgument(info, 2, "i420");
  if (stopped_ || !instance_) return Napi::Boolean::New(env, false);
  return Napi::Boolean::New(env,
                            instance_->pushVideoFrame(width, height, data.data(), data.size()));
}

void CallInstanceHandle::useFileInput(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) throwTypeError(env, "path must be a string");
  const bool loop = booleanArgument(info, 1, "loop");
  try {
    audio_->useFileInput(info[0].As<Napi::String>().Utf8Value(), loop);
  } catch (const MediaFileError& error) {
    throwTypedError(env, error.code(), error.what());
  }
}

void CallInstanceHandle::usePushedInput(const Napi::CallbackInfo&) { audio_->usePushedInput(); }

void CallInstanceHandle::setInputPaused(const Napi::CallbackInfo& info) {
  audio_->setPaused(booleanArgument(info, 0, "paused"));
}

void CallInstanceHandle::setInputGain(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber()) throwTypeError(env, "gain must be a number");
  const double gain = info[0].As<Napi::Number>().DoubleValue();
  if (!(gain >= 0 && gain <= 16)) throwRangeError(env, "gain must be between 0 and 16");
  audio_->setGain(static_cast<float>(gain));
}

Napi::Value CallInstanceHandle::videoCounters(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object object = Napi::Object::New(env);
  if (!instance_) return object;
  const VideoFrameInfo last = instance_->remoteVideo().lastFrame();
  object.Set("framesReceived", static_cast<double>(instance_->remoteVideo().framesReceived()));
  object.Set("width", last.width);
  object.Set("height", last.height);
  object.Set("rotation", last.rotation);
  return object;
}

}  // namespace tgcalls
