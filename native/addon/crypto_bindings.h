// The stateless crypto functions of node-tgcalls/crypto, and registration of the crypto
// handle classes (CallKey, DhExchange, signaling channels).
#pragma once

#include <napi.h>

namespace tgcalls {

void registerCryptoBindings(Napi::Env env, Napi::Object exports);

}  // namespace tgcalls
