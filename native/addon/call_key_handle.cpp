#include "addon/call_key_handle.h"

#include "addon/addon_environment.h"
#include "addon/arguments.h"
#include "addon/crypto_errors.h"

namespace tgcalls {
namespace {
using SharedKey = std::shared_ptr<const CallKey>;
}  // namespace

void CallKeyHandle::define(Napi::Env env, Napi::Object exports) {
  Napi::Function constructor =
      DefineClass(env, "CallKey",
                  {
                      InstanceMethod<&CallKeyHandle::fingerprint>("fingerprint"),
                      InstanceMethod<&CallKeyHandle::emojiFingerprint>("emojiFingerprint"),
                      InstanceMethod<&CallKeyHandle::verifyFingerprint>("verifyFingerprint"),
                      InstanceMethod<&CallKeyHandle::exportBytes>("exportBytes"),
                      InstanceMethod<&CallKeyHandle::release>("release"),
                      InstanceAccessor<&CallKeyHandle::released>("released"),
                  });
  AddonEnvironment::from(env).constructors["CallKey"] = Napi::Persistent(constructor);
  exports.Set("CallKey", constructor);
}

Napi::Object CallKeyHandle::wrap(Napi::Env env, SharedKey key) {
  // The constructor adopts a key passed as an External; JavaScript cannot make one.
  return AddonEnvironment::from(env).constructors["CallKey"].New(
      {Napi::External<SharedKey>::New(env, &key)});
}

SharedKey CallKeyHandle::unwrap(Napi::Env env, Napi::Value value) {
  Napi::FunctionReference& constructor = AddonEnvironment::from(env).constructors["CallKey"];
  if (!value.IsObject() || !value.As<Napi::Object>().InstanceOf(constructor.Value())) {
    throwTypeError(env, "key must be a CallKey");
  }
  CallKeyHandle* handle = Unwrap(value.As<Napi::Object>());
  if (!handle->key_) throwTypedError(env, "KEY_RELEASED", "the call key was released");
  return handle->key_;
}

CallKeyHandle::CallKeyHandle(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<CallKeyHandle>(info) {
  Napi::Env env = info.Env();
  if (info[0].IsExternal()) {
    key_ = *info[0].As<Napi::External<SharedKey>>().Data();
    return;
  }
  ByteView bytes = bytesArgument(info, 0, "key");
  key_ = withCryptoErrors(
      env, [&] { return std::make_shared<const CallKey>(CallKey::fromBytes(bytes)); });
}

const CallKey& CallKeyHandle::key(Napi::Env env) const {
  if (!key_) throwTypedError(env, "KEY_RELEASED", "the call key was released");
  return *key_;
}

Napi::Value CallKeyHandle::fingerprint(const Napi::CallbackInfo& info) {
  return Napi::BigInt::New(info.Env(), key(info.Env()).fingerprint());
}

Napi::Value CallKeyHandle::emojiFingerprint(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ByteView gA = bytesArgument(info, 0, "gA");
  auto emoji = withCryptoErrors(env, [&] { return key(env).emojiFingerprint(gA); });
  Napi::Array result = Napi::Array::New(env, emoji.size());
  for (uint32_t i = 0; i < emoji.size(); ++i) result.Set(i, emoji[i]);
  return result;
}

void CallKeyHandle::verifyFingerprint(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t expected = bigintArgument(info, 0, "fingerprint");
  withCryptoErrors(env, [&] { key(env).verifyFingerprint(expected); });
}

Napi::Value CallKeyHandle::exportBytes(const Napi::CallbackInfo& info) {
  return toBuffer(info.Env(), key(info.Env()).bytes());
}

// Drops this handle's share of the key; the memory is wiped once the engine holds none either.
void CallKeyHandle::release(const Napi::CallbackInfo&) { key_.reset(); }

Napi::Value CallKeyHandle::released(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), !key_);
}

}  // namespace tgcalls
