// A byte buffer for secrets (DH exponents, the shared call key) that never leaves copies of its
// contents behind in freed memory.
#pragma once

#include <openssl/crypto.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "crypto/bytes.h"

namespace tgcalls {

// Allocator that wipes every buffer before handing it back to the heap. Because std::vector
// releases its old buffer through the allocator when it grows, moves or is destroyed, no
// reallocation can leave a stale copy of a secret behind.
template <typename T>
struct WipingAllocator {
  using value_type = T;

  WipingAllocator() noexcept = default;
  template <typename U>
  WipingAllocator(const WipingAllocator<U>&) noexcept {}

  T* allocate(std::size_t count) { return std::allocator<T>().allocate(count); }
  void deallocate(T* pointer, std::size_t count) noexcept {
    OPENSSL_cleanse(pointer, count * sizeof(T));
    std::allocator<T>().deallocate(pointer, count);
  }

  template <typename U>
  bool operator==(const WipingAllocator<U>&) const noexcept {
    return true;
  }
};

// Vector-like container for secret bytes. It cannot be copied implicitly (a copy of a secret
// must be a visible decision: use clone()), only moved.
class SecureBytes {
 public:
  SecureBytes() = default;
  // `size` zero bytes.
  explicit SecureBytes(std::size_t size) : bytes_(size) {}
  // An explicit copy of `bytes` (e.g. a key handed in from outside).
  explicit SecureBytes(ByteView bytes) : bytes_(bytes.begin(), bytes.end()) {}

  SecureBytes(const SecureBytes&) = delete;
  SecureBytes& operator=(const SecureBytes&) = delete;
  SecureBytes(SecureBytes&&) noexcept = default;
  SecureBytes& operator=(SecureBytes&&) noexcept = default;
  ~SecureBytes() = default;  // the allocator wipes the buffer

  SecureBytes clone() const { return SecureBytes(view()); }

  uint8_t* data() noexcept { return bytes_.data(); }
  const uint8_t* data() const noexcept { return bytes_.data(); }
  std::size_t size() const noexcept { return bytes_.size(); }
  bool empty() const noexcept { return bytes_.empty(); }

  uint8_t& operator[](std::size_t index) { return bytes_[index]; }
  const uint8_t& operator[](std::size_t index) const { return bytes_[index]; }

  uint8_t* begin() noexcept { return bytes_.data(); }
  uint8_t* end() noexcept { return bytes_.data() + bytes_.size(); }
  const uint8_t* begin() const noexcept { return bytes_.data(); }
  const uint8_t* end() const noexcept { return bytes_.data() + bytes_.size(); }

  ByteView view() const noexcept { return ByteView(bytes_.data(), bytes_.size()); }

  // Shrinking wipes the dropped tail at once instead of leaving it in spare capacity.
  void resize(std::size_t size) {
    if (size < bytes_.size()) OPENSSL_cleanse(bytes_.data() + size, bytes_.size() - size);
    bytes_.resize(size);
  }
  void clear() noexcept {
    OPENSSL_cleanse(bytes_.data(), bytes_.size());
    bytes_.clear();
  }

 private:
  std::vector<uint8_t, WipingAllocator<uint8_t>> bytes_;
};

}  // namespace tgcalls
