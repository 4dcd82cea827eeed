#include "addon/arguments.h"

#include <cmath>

#include "addon/typed_error.h"

namespace tgcalls {

ByteView bytesValue(Napi::Env env, Napi::Value value, const std::string& name) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throwTypeError(env, name + " must be a Uint8Array");
  }
  Napi::Uint8Array array = value.As<Napi::Uint8Array>();
  return ByteView(array.Data(), array.ByteLength());
}

ByteView bytesArgument(const Napi::CallbackInfo& info, size_t index, const char* name) {
  return bytesValue(info.Env(), info[index], name);
}

bool booleanArgument(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (!info[index].IsBoolean())
    throwTypeError(info.Env(), std::string(name) + " must be a boolean");
  return info[index].As<Napi::Boolean>().Value();
}

int64_t integerArgument(const Napi::CallbackInfo& info, size_t index, const char* name, int64_t min,
                        int64_t max) {
  if (!info[index].IsNumber()) throwTypeError(info.Env(), std::string(name) + " must be a number");
  const double value = info[index].As<Napi::Number>().DoubleValue();
  if (!std::isfinite(value) || value < static_cast<double>(min) ||
      value > static_cast<double>(max)) {
    throwRangeError(info.Env(), std::string(name) + " is out of range");
  }
  return static_cast<int64_t>(value);
}

int64_t bigintArgument(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (!info[index].IsBigInt()) throwTypeError(info.Env(), std::string(name) + " must be a bigint");
  bool lossless = false;
  const int64_t value = info[index].As<Napi::BigInt>().Int64Value(&lossless);
  if (!lossless)
    throwRangeError(info.Env(), std::string(name) + " must fit in a signed 64-bit integer");
  return value;
}

Napi::Buffer<uint8_t> toBuffer(Napi::Env env, ByteView bytes) {
  return Napi::Buffer<uint8_t>::Copy(env, bytes.data(), bytes.size());
}

}  // namespace tgcalls
