#include "crypto/packet_cipher.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <memory>

#include "crypto/call_key.h"
#include "crypto/crypto_error.h"
#include "crypto/hash.h"

namespace tgcalls {
namespace {

void checkKeyAndOffset(ByteView key, int x) {
  if (key.size() != kCallKeySize) {
    throw CryptoError(CryptoError::kInvalidArgument, "call key must be 256 bytes");
  }
  if (x != 0 && x != 8 && x != 128 && x != 136) {
    throw CryptoError(CryptoError::kInvalidArgument, "key offset x must be 0, 8, 128 or 136");
  }
}

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};

// AES-256-CTR with the whole IV as the initial 128-bit big-endian counter block (OpenSSL's CTR
// mode). Encryption and decryption are the same operation; `out` must hold input.size() bytes.
void aes256CtrApply(const AesKeyIv& keyIv, ByteView input, uint8_t* out) {
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter> ctx(EVP_CIPHER_CTX_new());
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_ctr(), nullptr, keyIv.key.data(),
                                 keyIv.iv.data()) != 1) {
    throw CryptoError(CryptoError::kInternal, "AES-256-CTR initialisation failed");
  }
  // EVP takes int lengths; feed large inputs in pieces (CTR keeps its state between calls).
  constexpr std::size_t kChunk = 1 << 20;
  std::size_t done = 0;
  while (done < input.size()) {
    const std::size_t piece = std::min(kChunk, input.size() - done);
    int written = 0;
    if (EVP_EncryptUpdate(ctx.get(), out + done, &written, input.data() + done,
                          static_cast<int>(piece)) != 1 ||
        written != static_cast<int>(piece)) {
      throw CryptoError(CryptoError::kInternal, "AES-256-CTR failed");
    }
    done += piece;
  }
}

ByteView slice(ByteView bytes, std::size_t from, std::size_t to) {
  return bytes.subspan(from, to - from);
}

}  // namespace

AesKeyIv::~AesKeyIv() {
  OPENSSL_cleanse(key.data(), key.size());
  OPENSSL_cleanse(iv.data(), iv.size());
}

int senderKeyOffset(bool isOutgoing, Channel channel) {
  return (isOutgoing ? 0 : 8) + (channel == Channel::Signaling ? 128 : 0);
}

int receiverKeyOffset(bool isOutgoing, Channel channel) {
  return senderKeyOffset(!isOutgoing, channel);
}

std::array<uint8_t, kMsgKeySize> computeMsgKey(ByteView key, int x, ByteView plaintext) {
  checkKeyAndOffset(key, x);
  const std::size_t offset = static_cast<std::size_t>(x);
  Sha256Digest hash = sha256({slice(key, 88 + offset, 120 + offset), plaintext});
  std::array<uint8_t, kMsgKeySize> msgKey;
  std::copy(hash.begin() + 8, hash.begin() + 24, msgKey.begin());
  return msgKey;
}

AesKeyIv deriveAesKeyIv(ByteView key, int x, ByteView msgKey) {
  checkKeyAndOffset(key, x);
  if (msgKey.size() != kMsgKeySize) {
    throw CryptoError(CryptoError::kInvalidArgument, "msg_key must be 16 bytes");
  }
  const std::size_t offset = static_cast<std::size_t>(x);
  Sha256Digest a = sha256({msgKey, slice(key, offset, offset + 36)});
  Sha256Digest b = sha256({slice(key, 40 + offset, 76 + offset), msgKey});
  AesKeyIv result;
  // aes_key = A[0..8) ‖ B[8..24) ‖ A[24..32); aes_iv = B[0..4) ‖ A[8..16) ‖ B[24..28).
  std::copy(a.begin(), a.begin() + 8, result.key.begin());
  std::copy(b.begin() + 8, b.begin() + 24, result.key.begin() + 8);
  std::copy(a.begin() + 24, a.begin() + 32, result.key.begin() + 24);
  std::copy(b.begin(), b.begin() + 4, result.iv.begin());
  std::copy(a.begin() + 8, a.begin() + 16, result.iv.begin() + 4);
  std::copy(b.begin() + 24, b.begin() + 28, result.iv.begin() + 12);
  OPENSSL_cleanse(a.data(), a.size());
  OPENSSL_cleanse(b.data(), b.size());
  return result;
}

Bytes encryptPacket(ByteView key, int x, ByteView plaintext) {
  std::array<uint8_t, kMsgKeySize> msgKey = computeMsgKey(key, x, plaintext);
  AesKeyIv keyIv = deriveAesKeyIv(key, x, msgKey);
  Bytes packet(kMsgKeySize + plaintext.size());
  std::copy(msgKey.begin(), msgKey.end(), packet.begin());
  aes256CtrApply(keyIv, plaintext, packet.data() + kMsgKeySize);
  return packet;
}

Bytes encryptPacket(const CallKey& key, int x, ByteView plaintext) {
  return encryptPacket(key.bytes(), x, plaintext);
}

std::optional<Bytes> decryptPacket(ByteView key, int x, ByteView packet) {
  checkKeyAndOffset(key, x);
  if (packet.size() < kMinEncryptedPacketSize || packet.size() > kMaxEncryptedPacketSize) {
    return std::nullopt;
  }
  ByteView msgKey = packet.first(kMsgKeySize);
  AesKeyIv keyIv = deriveAesKeyIv(key, x, msgKey);
  ByteView ciphertext = packet.subspan(kMsgKeySize);
  Bytes plaintext(ciphertext.size());
  aes256CtrApply(keyIv, ciphertext, plaintext.data());
  std::array<uint8_t, kMsgKeySize> expected = computeMsgKey(key, x, plaintext);
  if (!constantTimeEquals(expected, msgKey)) return std::nullopt;
  return plaintext;
}

std::optional<Bytes> decryptPacket(const CallKey& key, int x, ByteView packet) {
  return decryptPacket(key.bytes(), x, packet);
}

}  // namespace tgcalls
