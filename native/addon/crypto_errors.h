// Runs core crypto code and turns its CryptoError into a TgCallsError with the same code.
#pragma once

#include <napi.h>

#include <utility>

#include "addon/typed_error.h"
#include "crypto/crypto_error.h"

namespace tgcalls {

template <typename Body>
auto withCryptoErrors(Napi::Env env, Body&& body) -> decltype(body()) {
  try {
    return std::forward<Body>(body)();
  } catch (const CryptoError& error) {
    throwTypedError(env, error.code(), error.what());
  }
}

}  // namespace tgcalls
