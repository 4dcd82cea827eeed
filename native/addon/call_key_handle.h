// CallKey in JavaScript: an opaque handle to a call key held in native, wiped memory.
// JavaScript sees the fingerprint and emoji, never the key, unless it asks explicitly
// (exportBytes(), for tools and tests).
#pragma once

#include <napi.h>

#include <memory>

#include "crypto/call_key.h"

namespace tgcalls {

class CallKeyHandle : public Napi::ObjectWrap<CallKeyHandle> {
 public:
  static void define(Napi::Env env, Napi::Object exports);
  // A new handle sharing `key`.
  static Napi::Object wrap(Napi::Env env, std::shared_ptr<const CallKey> key);
  // The key behind a handle argument; TypeError for anything else, KEY_RELEASED after release().
  static std::shared_ptr<const CallKey> unwrap(Napi::Env env, Napi::Value value);

  // new CallKey(bytes: Uint8Array): imports a 256-byte key.
  explicit CallKeyHandle(const Napi::CallbackInfo& info);

 private:
  const CallKey& key(Napi::Env env) const;
  Napi::Value fingerprint(const Napi::CallbackInfo& info);
  Napi::Value emojiFingerprint(const Napi::CallbackInfo& info);
  void verifyFingerprint(const Napi::CallbackInfo& info);
  Napi::Value exportBytes(const Napi::CallbackInfo& info);
  void release(const Napi::CallbackInfo& info);
  Napi::Value released(const Napi::CallbackInfo& info);

  std::shared_ptr<const CallKey> key_;
};

}  // namespace tgcalls
