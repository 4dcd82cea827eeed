// SHA-1 / SHA-256 over concatenated inputs, and constant-time comparison.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>

#include "crypto/bytes.h"

namespace tgcalls {

using Sha256Digest = std::array<uint8_t, 32>;
using Sha1Digest = std::array<uint8_t, 20>;

// SHA-256 of parts[0] ‖ parts[1] ‖ … (the protocol hashes key slices next to message bytes;
// hashing the parts in sequence avoids building a temporary that would hold key material).
Sha256Digest sha256(std::initializer_list<ByteView> parts);
Sha1Digest sha1(ByteView data);

// True when both views have the same size and contents. The time taken depends only on the
// sizes, never on where the contents differ.
bool constantTimeEquals(ByteView a, ByteView b);

}  // namespace tgcalls
