// Thin RAII helpers around OpenSSL BIGNUM, internal to the DH code.
#pragma once

#include <openssl/bn.h>

#include <cstddef>
#include <memory>

#include "crypto/bytes.h"
#include "crypto/secure_bytes.h"

namespace tgcalls {

// Every BIGNUM is released with BN_clear_free: some of them hold exponents or shared secrets,
// and wiping the public ones too costs nothing worth the risk of mixing them up.
struct BignumDeleter {
  void operator()(BIGNUM* bn) const { BN_clear_free(bn); }
};
using BignumPtr = std::unique_ptr<BIGNUM, BignumDeleter>;

struct BnCtxDeleter {
  void operator()(BN_CTX* ctx) const { BN_CTX_free(ctx); }
};
using BnCtxPtr = std::unique_ptr<BN_CTX, BnCtxDeleter>;

BignumPtr newBignum();
// A BIGNUM marked BN_FLG_CONSTTIME, for secret exponents, allocated from the secure heap when
// OpenSSL has one configured.
BignumPtr newSecretBignum();
BnCtxPtr newBnCtx();

// Big-endian unsigned bytes → BIGNUM.
BignumPtr bignumFromBytes(ByteView bytes);
// Like bignumFromBytes, for secret values (see newSecretBignum).
BignumPtr secretBignumFromBytes(ByteView bytes);

// BIGNUM → exactly `size` big-endian bytes, left-padded with zeros. Throws if it does not fit.
Bytes bignumToPaddedBytes(const BIGNUM* bn, std::size_t size);
SecureBytes bignumToPaddedSecureBytes(const BIGNUM* bn, std::size_t size);

}  // namespace tgcalls
