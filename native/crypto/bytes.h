// Byte containers shared by the call-cryptography core.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace tgcalls {

// Owned bytes. Not for secrets: those go into SecureBytes (secure_bytes.h), which wipes itself.
using Bytes = std::vector<uint8_t>;

// A non-owning, read-only view of bytes. Bytes, SecureBytes and std::array convert to it
// implicitly, so every function that only reads its input takes a ByteView.
using ByteView = std::span<const uint8_t>;

// Views the characters of a string as bytes (JSON text is UTF-8, so this is its wire form).
inline ByteView asBytes(std::string_view text) {
  return ByteView(reinterpret_cast<const uint8_t*>(text.data()), text.size());
}

inline Bytes toBytes(ByteView view) { return Bytes(view.begin(), view.end()); }

}  // namespace tgcalls
