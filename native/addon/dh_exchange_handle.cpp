#include "addon/dh_exchange_handle.h"

#include "addon/addon_environment.h"
#include "addon/arguments.h"
#include "addon/call_key_handle.h"
#include "addon/crypto_errors.h"

namespace tgcalls {

void DhExchangeHandle::define(Napi::Env env, Napi::Object exports) {
  Napi::Function constructor =
      DefineClass(env, "DhExchange",
                  {
                      StaticMethod<&DhExchangeHandle::fromSecret>("fromSecret"),
                      InstanceAccessor<&DhExchangeHandle::publicValue>("publicValue"),
                      InstanceAccessor<&DhExchangeHandle::publicValueHash>("publicValueHash"),
                      InstanceMethod<&DhExchangeHandle::computeKey>("computeKey"),
                      InstanceMethod<&DhExchangeHandle::release>("release"),
                  });
  AddonEnvironment::from(env).constructors["DhExchange"] = Napi::Persistent(constructor);
  exports.Set("DhExchange", constructor);
}

DhExchangeHandle::DhExchangeHandle(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<DhExchangeHandle>(info) {
  Napi::Env env = info.Env();
  if (info[0].IsExternal()) {
    exchange_.emplace(std::move(*info[0].As<Napi::External<DhKeyExchange>>().Data()));
    return;
  }
  ByteView p = bytesArgument(info, 0, "p");
  const int g = static_cast<int>(integerArgument(info, 1, "g", INT32_MIN, INT32_MAX));
  ByteView serverRandom = info[2].IsUndefined() ? ByteView() : bytesArgument(info, 2, "random");
  exchange_.emplace(
      withCryptoErrors(env, [&] { return DhKeyExchange::generate(p, g, serverRandom); }));
}

Napi::Value DhExchangeHandle::fromSecret(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ByteView p = bytesArgument(info, 0, "p");
  const int g = static_cast<int>(integerArgument(info, 1, "g", INT32_MIN, INT32_MAX));
  ByteView secret = bytesArgument(info, 2, "secret");
  DhKeyExchange exchange =
      withCryptoErrors(env, [&] { return DhKeyExchange::fromSecret(p, g, secret); });
  return AddonEnvironment::from(env).constructors["DhExchange"].New(
      {Napi::External<DhKeyExchange>::New(env, &exchange)});
}

const DhKeyExchange& DhExchangeHandle::exchange(Napi::Env env) const {
  if (!exchange_) throwTypedError(env, "KEY_RELEASED", "the DH exchange was released");
  return *exchange_;
}

Napi::Value DhExchangeHandle::publicValue(const Napi::CallbackInfo& info) {
  return toBuffer(info.Env(), exchange(info.Env()).publicValue());
}

Napi::Value DhExchangeHandle::publicValueHash(const Napi::CallbackInfo& info) {
  return toBuffer(info.Env(), exchange(info.Env()).publicValueHash());
}

Napi::Value DhExchangeHandle::computeKey(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ByteView peer = bytesArgument(info, 0, "peerPublicValue");
  SecureBytes key = withCryptoErrors(env, [&] { return exchange(env).computeSharedKey(peer); });
  return CallKeyHandle::wrap(env, std::make_shared<const CallKey>(std::move(key)));
}

// Wipes the exponent now instead of at garbage collection.
void DhExchangeHandle::release(const Napi::CallbackInfo&) { exchange_.reset(); }

}  // namespace tgcalls
