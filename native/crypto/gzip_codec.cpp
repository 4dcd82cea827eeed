#include "crypto/gzip_codec.h"

#include <zlib.h>

#include <algorithm>
#include <limits>

#include "crypto/crypto_error.h"

namespace tgcalls {
namespace {

constexpr int kGzipWindowBits = 15 + 16;        // 15-bit window, gzip wrapper
constexpr int kAutoDetectWindowBits = 15 + 32;  // 15-bit window, gzip or zlib wrapper
constexpr int kMemLevel = 8;
// zlib takes uInt lengths; larger inputs are fed in pieces.
constexpr std::size_t kMaxPiece = std::numeric_limits<uInt>::max();

bool looksCompressed(ByteView payload) {
  return payload.size() >= 2 &&
         ((payload[0] == 0x1F && payload[1] == 0x8B) || (payload[0] == 0x78 && payload[1] == 0x9C));
}

}  // namespace

Bytes gzipCompress(ByteView data) {
  z_stream stream{};
  if (deflateInit2(&stream, 9, Z_DEFLATED, kGzipWindowBits, kMemLevel, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    throw CryptoError(CryptoError::kInternal, "zlib deflateInit2 failed");
  }
  Bytes out;
  std::size_t consumed = 0;
  int status = Z_OK;
  do {
    const std::size_t piece = std::min(kMaxPiece, data.size() - consumed);
    // zlib's interface is not const-correct; deflate only reads next_in.
    stream.next_in = const_cast<Bytef*>(data.data() + consumed);
    stream.avail_in = static_cast<uInt>(piece);
    const bool last = consumed + piece == data.size();
    do {
      const std::size_t before = out.size();
      out.resize(before + 64 * 1024);
      stream.next_out = out.data() + before;
      stream.avail_out = 64 * 1024;
      status = deflate(&stream, last ? Z_FINISH : Z_NO_FLUSH);
      out.resize(out.size() - stream.avail_out);
      if (status == Z_STREAM_ERROR) {
        deflateEnd(&stream);
        throw CryptoError(CryptoError::kInternal, "zlib deflate failed");
      }
    } while (stream.avail_out == 0 || (last && status != Z_STREAM_END));
    consumed += piece - stream.avail_in;
  } while (status != Z_STREAM_END);
  deflateEnd(&stream);
  return out;
}

std::optional<Bytes> maybeInflate(ByteView payload) {
  if (!looksCompressed(payload)) return Bytes(payload.begin(), payload.end());
  if (payload.size() > kMaxPiece) return std::nullopt;

  z_stream stream{};
  if (inflateInit2(&stream, kAutoDetectWindowBits) != Z_OK) return std::nullopt;
  stream.next_in = const_cast<Bytef*>(payload.data());
  stream.avail_in = static_cast<uInt>(payload.size());

  // Output grows in steps and never beyond the limit + 1 byte, however large the compressed
  // stream claims to be: the extra byte is how we notice that the limit was exceeded.
  Bytes out;
  constexpr std::size_t kStep = 64 * 1024;
  int status = Z_OK;
  while (true) {
    const std::size_t before = out.size();
    const std::size_t room = std::min(kStep, kMaxInflatedSize + 1 - before);
    out.resize(before + room);
    stream.next_out = out.data() + before;
    stream.avail_out = static_cast<uInt>(room);
    status = inflate(&stream, Z_NO_FLUSH);
    out.resize(out.size() - stream.avail_out);
    if (status == Z_STREAM_END) break;  // end of the first member; anything after it is ignored
    // Z_BUF_ERROR with output room left means the input ran out: truncated.
    if (status != Z_OK || out.size() > kMaxInflatedSize || stream.avail_out != 0) {
      inflateEnd(&stream);
      return std::nullopt;
    }
  }
  inflateEnd(&stream);
  if (out.size() > kMaxInflatedSize) return std::nullopt;
  return out;
}

}  // namespace tgcalls
