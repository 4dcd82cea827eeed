// Argument checks shared by the bindings: wrong types are TypeErrors, never crashes.
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>

#include "crypto/bytes.h"

namespace tgcalls {

// A view of a Uint8Array (or Buffer) argument; valid while the argument is alive.
ByteView bytesArgument(const Napi::CallbackInfo& info, size_t index, const char* name);
// The same check for a value that is not an argument itself (an array element, say).
ByteView bytesValue(Napi::Env env, Napi::Value value, const std::string& name);
bool booleanArgument(const Napi::CallbackInfo& info, size_t index, const char* name);
// A finite number within [min, max], truncated to an integer.
int64_t integerArgument(const Napi::CallbackInfo& info, size_t index, const char* name, int64_t min,
                        int64_t max);
int64_t bigintArgument(const Napi::CallbackInfo& info, size_t index, const char* name);

Napi::Buffer<uint8_t> toBuffer(Napi::Env env, ByteView bytes);

}  // namespace tgcalls
