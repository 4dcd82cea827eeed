// A DTLS certificate as WebRTC makes one for every call.
#pragma once

#include <string>

namespace tgcalls {

// Generates a fresh ECDSA P-256 certificate with WebRTC's generator and returns its SHA-256
// fingerprint as upper-case hex pairs separated by colons. Empty on failure. Runs on the
// calling thread; callers run it on a WebRTC worker thread.
std::string generateDtlsCertificateFingerprint();

}  // namespace tgcalls
