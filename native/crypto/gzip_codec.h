// Compression of 11.0.0 signaling payloads (spec §4.8).
#pragma once

#include <cstddef>
#include <optional>

#include "crypto/bytes.h"

namespace tgcalls {

// Largest decompressed payload accepted (2 MiB).
inline constexpr std::size_t kMaxInflatedSize = 2 * 1024 * 1024;

// One gzip member exactly as upstream builds it: zlib deflate, level 9, window bits 31 (gzip
// wrapper, header 1F 8B 08 00 00000000 02 03), memory level 8, default strategy. With zlib
// 1.2.13 the bytes equal upstream's. Throws CryptoError INTERNAL_ERROR only if zlib fails.
Bytes gzipCompress(ByteView data);

// A received payload: if it starts with 1F 8B (gzip) or 78 9C (zlib, default level) it is
// inflated (first gzip member only) and nullopt is returned when it is corrupt, truncated or
// would inflate to more than 2 MiB; any other payload is returned unchanged (JSON never starts
// with those bytes). Never throws on bad input.
std::optional<Bytes> maybeInflate(ByteView payload);

}  // namespace tgcalls
