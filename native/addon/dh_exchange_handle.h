// DhExchange in JavaScript: one side's Diffie-Hellman state. The secret exponent stays in
// native memory (wiped on release or collection); JavaScript sees the public value and hash.
#pragma once

#include <napi.h>

#include <optional>

#include "crypto/dh_key_exchange.h"

namespace tgcalls {

class DhExchangeHandle : public Napi::ObjectWrap<DhExchangeHandle> {
 public:
  static void define(Napi::Env env, Napi::Object exports);

  // new DhExchange(p, g, serverRandom?): validates (p, g) (cached) and draws a fresh exponent.
  // DhExchange.fromSecret(p, g, secret): a fixed exponent, for test vectors.
  explicit DhExchangeHandle(const Napi::CallbackInfo& info);

 private:
  static Napi::Value fromSecret(const Napi::CallbackInfo& info);
  const DhKeyExchange& exchange(Napi::Env env) const;
  Napi::Value publicValue(const Napi::CallbackInfo& info);
  Napi::Value publicValueHash(const Napi::CallbackInfo& info);
  Napi::Value computeKey(const Napi::CallbackInfo& info);
  void release(const Napi::CallbackInfo& info);

  std::optional<DhKeyExchange> exchange_;
};

}  // namespace tgcalls
