// replaySctpSignaling(): a test-only entry point that feeds recorded 11.0.0 signaling units into
// the engine's real receive path (SctpSignalingTransport: dcsctp, decryption, raw framing,
// gzip) and reports what came out. Calls never use it; it exists because that path needs
// WebRTC, which only the addon links.
#pragma once

#include <napi.h>

namespace tgcalls {

void registerSctpReplayBinding(Napi::Env env, Napi::Object exports);

}  // namespace tgcalls
