// Validation of the Diffie-Hellman group (p, g) from messages.getDhConfig (spec §2.1).
#pragma once

#include <cstdint>

#include "crypto/bytes.h"

namespace tgcalls {

// Size of the DH prime and of every public value and shared key, in bytes (2048 bits).
inline constexpr std::size_t kDhPrimeSize = 256;

// The 2048-bit prime Telegram's servers return in practice (spec Appendix B.1), big-endian.
const Bytes& telegramDhPrime();

// Checks that (p, g) is a group a call may use; throws CryptoError otherwise:
//   DH_BAD_PRIME      p is not exactly 256 bytes with the top bit set, or p or (p-1)/2 is
//                     not prime;
//   DH_BAD_GENERATOR  g is outside 2..7 or fails its residue condition (g=2: p mod 8 = 7;
//                     g=3: p mod 3 = 2; g=4: none; g=5: p mod 5 in {1,4};
//                     g=6: p mod 24 in {19,23}; g=7: p mod 7 in {3,5,6}).
// The primality tests are expensive (hundreds of milliseconds), so a pair that passed once is
// remembered for the life of the process, and the well-known Telegram prime skips them. The
// size and generator conditions are checked on every call, including for that prime.
void validateDhConfig(ByteView p, int g);

// The same checks without the cache or the known-prime shortcut: always runs the primality
// tests. For tests and for callers that want a fresh verification.
void validateDhConfigUncached(ByteView p, int g);

// Whether (p, g) has already passed validateDhConfig in this process (for tests/diagnostics).
bool isDhConfigCached(ByteView p, int g);

// How many Miller-Rabin primality tests (one per number: p, then (p-1)/2) this process has run,
// so tests can see that a cached or well-known pair skips them.
uint64_t primalityTestsRun();

}  // namespace tgcalls
