// versions(), setLogger() and generateCertificateFingerprint(): the addon's process-level API.
#pragma once

#include <napi.h>

namespace tgcalls {

void registerRuntimeBindings(Napi::Env env, Napi::Object exports);

}  // namespace tgcalls
