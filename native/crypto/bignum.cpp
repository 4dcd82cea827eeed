#include "crypto/bignum.h"

#include <limits>

#include "crypto/crypto_error.h"

namespace tgcalls {
namespace {

[[noreturn]] void throwAllocationFailure() {
  throw CryptoError(CryptoError::kInternal, "OpenSSL BIGNUM allocation failed");
}

void fillFromBytes(BIGNUM* bn, ByteView bytes) {
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
      BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), bn) == nullptr) {
    throwAllocationFailure();
  }
}

void writePadded(const BIGNUM* bn, uint8_t* out, std::size_t size) {
  if (size > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
      BN_bn2binpad(bn, out, static_cast<int>(size)) != static_cast<int>(size)) {
    throw CryptoError(CryptoError::kInternal, "big number does not fit its fixed-size encoding");
  }
}

}  // namespace

BignumPtr newBignum() {
  BignumPtr bn(BN_new());
  if (!bn) throwAllocationFailure();
  return bn;
}

BignumPtr newSecretBignum() {
  BignumPtr bn(BN_secure_new());
  if (!bn) throwAllocationFailure();
  BN_set_flags(bn.get(), BN_FLG_CONSTTIME);
  return bn;
}

BnCtxPtr newBnCtx() {
  BnCtxPtr ctx(BN_CTX_secure_new());
  if (!ctx) throwAllocationFailure();
  return ctx;
}

BignumPtr bignumFromBytes(ByteView bytes) {
  BignumPtr bn = newBignum();
  fillFromBytes(bn.get(), bytes);
  return bn;
}

BignumPtr secretBignumFromBytes(ByteView bytes) {
  BignumPtr bn = newSecretBignum();
  fillFromBytes(bn.get(), bytes);
  BN_set_flags(bn.get(), BN_FLG_CONSTTIME);  // keep the flag whatever BN_bin2bn did to it
  return bn;
}

Bytes bignumToPaddedBytes(const BIGNUM* bn, std::size_t size) {
  Bytes out(size);
  writePadded(bn, out.data(), size);
  return out;
}

SecureBytes bignumToPaddedSecureBytes(const BIGNUM* bn, std::size_t size) {
  SecureBytes out(size);
  writePadded(bn, out.data(), size);
  return out;
}

}  // namespace tgcalls
