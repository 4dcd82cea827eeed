// Helpers shared by the native unit tests: hex conversion, the spec's synthetic key, and the
// upstream transcripts in test/vectors.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "crypto/bytes.h"
#include "crypto/call_key.h"

namespace tgcalls::test {

Bytes fromHex(std::string_view hex);
std::string toHex(ByteView bytes);
std::string toString(ByteView bytes);

// key[i] = i, the key of test vectors TV-2.1 and TV-4.x.
Bytes sequentialKeyBytes();
std::shared_ptr<const CallKey> sequentialKey();

// test/vectors/transcript-<version>.json, parsed (loaded once per process).
const nlohmann::json& transcript(const std::string& version);
std::shared_ptr<const CallKey> transcriptKey(const std::string& version);

}  // namespace tgcalls::test
