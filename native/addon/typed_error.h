// Errors with a stable `code`, made with the JavaScript error class the package registers at
// load time (lib/errors.ts), so errors thrown natively are real TgCallsError instances.
#pragma once

#include <napi.h>

#include <string>

namespace tgcalls {

Napi::Error makeTypedError(Napi::Env env, const std::string& code, const std::string& message);
[[noreturn]] void throwTypedError(Napi::Env env, const std::string& code,
                                  const std::string& message);
[[noreturn]] void throwTypeError(Napi::Env env, const std::string& message);
[[noreturn]] void throwRangeError(Napi::Env env, const std::string& message);

}  // namespace tgcalls
