#include "addon/crypto_bindings.h"

#include <optional>
#include <string>

#include "addon/arguments.h"
#include "addon/call_key_handle.h"
#include "addon/crypto_errors.h"
#include "addon/dh_exchange_handle.h"
#include "addon/signaling_channel_handles.h"
#include "crypto/dh_params.h"
#include "crypto/gzip_codec.h"
#include "crypto/packet_cipher.h"
#include "crypto/reliable_container.h"

namespace tgcalls {
namespace {

int generatorArgument(const Napi::CallbackInfo& info, size_t index) {
  return static_cast<int>(integerArgument(info, index, "g", INT32_MIN, INT32_MAX));
}

void validateDhConfigSync(const Napi::CallbackInfo& info) {
  ByteView p = bytesArgument(info, 0, "p");
  const int g = generatorArgument(info, 1);
  withCryptoErrors(info.Env(), [&] { validateDhConfig(p, g); });
}

// The primality tests of a prime seen for the first time take a noticeable fraction of a
// second, so the façade validates on a worker thread. Short CPU work: libuv's pool is right.
class DhConfigValidation : public Napi::AsyncWorker {
 public:
  DhConfigValidation(Napi::Env env, ByteView p, int g)
      : Napi::AsyncWorker(env),
        deferred_(Napi::Promise::Deferred::New(env)),
        p_(toBytes(p)),
        g_(g) {}

  Napi::Promise promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    try {
      validateDhConfig(p_, g_);
    } catch (const CryptoError& error) {
      failure_.emplace(error.code(), error.what());
    }
  }
  void OnOK() override {
    if (failure_) {
      deferred_.Reject(makeTypedError(Env(), failure_->first, failure_->second).Value());
    } else {
      deferred_.Resolve(Env().Undefined());
    }
  }

 private:
  Napi::Promise::Deferred deferred_;
  Bytes p_;
  int g_;
  std::optional<std::pair<std::string, std::string>> failure_;
};

Napi::Value validateDhConfigAsync(const Napi::CallbackInfo& info) {
  ByteView p = bytesArgument(info, 0, "p");
  const int g = generatorArgument(info, 1);
  auto* validation = new DhConfigValidation(info.Env(), p, g);
  Napi::Promise promise = validation->promise();
  validation->Queue();
  return promise;
}

void checkPublicValue(const Napi::CallbackInfo& info) {
  ByteView p = bytesArgument(info, 0, "p");
  ByteView gx = bytesArgument(info, 1, "publicValue");
  withCryptoErrors(info.Env(), [&] { checkPeerPublicValue(p, gx); });
}

void verifyPublicValueHashBinding(const Napi::CallbackInfo& info) {
  ByteView gA = bytesArgument(info, 0, "gA");
  ByteView hash = bytesArgument(info, 1, "gAHash");
  withCryptoErrors(info.Env(), [&] { verifyPublicValueHash(gA, hash); });
}

Napi::Value computeKeyFingerprint(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ByteView key = bytesArgument(info, 0, "key");
  return Napi::BigInt::New(
      env, withCryptoErrors(env, [&] { return CallKey::fromBytes(key).fingerprint(); }));
}

Napi::Value computeEmojiFingerprint(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ByteView key = bytesArgument(info, 0, "key");
  ByteView gA = bytesArgument(info, 1, "gA");
  auto emoji = withCryptoErrors(env, [&] { return CallKey::fromBytes(key).emojiFingerprint(gA); });
  Napi::Array result = Napi::Array::New(env, emoji.size());
  for (uint32_t i = 0; i < emoji.size(); ++i) result.Set(i, emoji[i]);
  return result;
}

Napi::Value encryptSignalingPacket(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ByteView key = bytesArgument(info, 0, "key");
  const bool isOutgoing = booleanArgument(info, 1, "isOutgoing");
  ByteView plaintext = bytesArgument(info, 2, "plaintext");
  const int x = senderKeyOffset(isOutgoing, Channel::Signaling);
  return toBuffer(env, withCryptoErrors(env, [&] { return encryptPacket(key, x, plaintext); }));
}

Napi::Value decryptSignalingPacket(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ByteView key = bytesArgument(info, 0, "key");
  const bool isOutgoing = booleanArgument(info, 1, "isOutgoing");
  ByteView packet = bytesArgument(info, 2, "packet");
  const int x = receiverKeyOffset(isOutgoing, Channel::Signaling);
  std::optional<Bytes> plaintext =
      withCryptoErrors(env, [&] { return decryptPacket(key, x, packet); });
  if (!plaintext) return env.Null();
  return toBuffer(env, *plaintext);
}

const char* entryKindName(EntryKind kind) {
  switch (kind) {
    case EntryKind::Empty:
      return "empty";
    case EntryKind::Ack:
      return "ack";
    case EntryKind::RawMessage:
      return "rawMessage";
    case EntryKind::Binary:
      return "binary";
  }
  return "unknown";
}

Napi::Value parseReliableContainerBinding(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::optional<ParsedContainer> parsed = parseReliableContainer(bytesArgument(info, 0, "body"));
  if (!parsed) return env.Null();
  Napi::Array entries = Napi::Array::New(env, parsed->entries.size());
  for (uint32_t i = 0; i < parsed->entries.size(); ++i) {
    const ContainerEntry& entry = parsed->entries[i];
    Napi::Object object = Napi::Object::New(env);
    object.Set("offset", static_cast<double>(entry.offset));
    object.Set("size", static_cast<double>(entry.size));
    object.Set("seq", static_cast<double>(entry.seq));
    object.Set("type", static_cast<double>(entry.type));
    object.Set("kind", entryKindName(entry.kind));
    object.Set("body", toBuffer(env, entry.body));
    entries.Set(i, object);
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("firstSeq", static_cast<double>(parsed->firstSeq));
  result.Set("entries", entries);
  return result;
}

Napi::Value gzipCompressBinding(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ByteView data = bytesArgument(info, 0, "data");
  return toBuffer(env, withCryptoErrors(env, [&] { return gzipCompress(data); }));
}

Napi::Value maybeInflateBinding(const Napi::CallbackInfo& info) {
  std::optional<Bytes> payload = maybeInflate(bytesArgument(info, 0, "payload"));
  if (!payload) return info.Env().Null();
  return toBuffer(info.Env(), *payload);
}

Napi::Value telegramDhPrimeBinding(const Napi::CallbackInfo& info) {
  return toBuffer(info.Env(), telegramDhPrime());
}

}  // namespace

void registerCryptoBindings(Napi::Env env, Napi::Object exports) {
  CallKeyHandle::define(env, exports);
  DhExchangeHandle::define(env, exports);
  ReliableSignalingChannelHandle::define(env, exports);
  RawSignalingChannelHandle::define(env, exports);
  exports.Set("validateDhConfig", Napi::Function::New<validateDhConfigSync>(env));
  exports.Set("validateDhConfigAsync", Napi::Function::New<validateDhConfigAsync>(env));
  exports.Set("checkPublicValue", Napi::Function::New<checkPublicValue>(env));
  exports.Set("verifyPublicValueHash", Napi::Function::New<verifyPublicValueHashBinding>(env));
  exports.Set("computeKeyFingerprint", Napi::Function::New<computeKeyFingerprint>(env));
  exports.Set("computeEmojiFingerprint", Napi::Function::New<computeEmojiFingerprint>(env));
  exports.Set("encryptSignalingPacket", Napi::Function::New<encryptSignalingPacket>(env));
  exports.Set("decryptSignalingPacket", Napi::Function::New<decryptSignalingPacket>(env));
  exports.Set("parseReliableContainer", Napi::Function::New<parseReliableContainerBinding>(env));
  exports.Set("gzipCompress", Napi::Function::New<gzipCompressBinding>(env));
  exports.Set("maybeInflate", Napi::Function::New<maybeInflateBinding>(env));
  exports.Set("telegramDhPrime", Napi::Function::New<telegramDhPrimeBinding>(env));
}

}  // namespace tgcalls
