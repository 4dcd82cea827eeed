#include "crypto/hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <memory>

#include "crypto/crypto_error.h"

namespace tgcalls {
namespace {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// Digests the concatenation of `parts` into `out`, whose size must equal the digest size.
void digest(const EVP_MD* md, std::initializer_list<ByteView> parts, uint8_t* out) {
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1) {
    throw CryptoError(CryptoError::kInternal, "digest initialisation failed");
  }
  for (ByteView part : parts) {
    if (!part.empty() && EVP_DigestUpdate(ctx.get(), part.data(), part.size()) != 1) {
      throw CryptoError(CryptoError::kInternal, "digest update failed");
    }
  }
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx.get(), out, &length) != 1) {
    throw CryptoError(CryptoError::kInternal, "digest finalisation failed");
  }
}

}  // namespace

Sha256Digest sha256(std::initializer_list<ByteView> parts) {
  Sha256Digest result;
  digest(EVP_sha256(), parts, result.data());
  return result;
}

Sha1Digest sha1(ByteView data) {
  Sha1Digest result;
  digest(EVP_sha1(), {data}, result.data());
  return result;
}

bool constantTimeEquals(ByteView a, ByteView b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace tgcalls
