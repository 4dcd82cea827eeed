#include "addon/typed_error.h"

#include "addon/addon_environment.h"

namespace tgcalls {

Napi::Error makeTypedError(Napi::Env env, const std::string& code, const std::string& message) {
  AddonEnvironment& environment = AddonEnvironment::from(env);
  if (!environment.errorClass.IsEmpty()) {
    Napi::Object error =
        environment.errorClass.New({Napi::String::New(env, code), Napi::String::New(env, message)});
    return Napi::Error(env, error);
  }
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, code));
  return error;
}

void throwTypedError(Napi::Env env, const std::string& code, const std::string& message) {
  throw makeTypedError(env, code, message);
}

void throwTypeError(Napi::Env env, const std::string& message) {
  Napi::TypeError error = Napi::TypeError::New(env, message);
  error.Set("code", Napi::String::New(env, "ERR_INVALID_ARG_TYPE"));
  throw error;
}

void throwRangeError(Napi::Env env, const std::string& message) {
  Napi::RangeError error = Napi::RangeError::New(env, message);
  error.Set("code", Napi::String::New(env, "ERR_OUT_OF_RANGE"));
  throw error;
}

}  // namespace tgcalls
