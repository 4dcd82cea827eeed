// The native unit tests' access to DhKeyExchange internals that the addon must not reach.
#pragma once

#include <algorithm>
#include <stdexcept>

#include "crypto/dh_key_exchange.h"

namespace tgcalls {

struct DhKeyExchangeTestPeer {
  // DhKeyExchange::generate() with `localRandom` (256 bytes) in place of the bytes it draws from
  // OpenSSL's generator; a single draw, so an out-of-range result throws DH_OUT_OF_RANGE.
  static DhKeyExchange generateWithLocalRandom(ByteView p, int g, ByteView serverRandom,
                                               ByteView localRandom) {
    return DhKeyExchange::generateWith(
        p, g, serverRandom,
        [localRandom](SecureBytes& out) {
          if (localRandom.size() != out.size()) {
            throw std::invalid_argument("local random must be 256 bytes");
          }
          std::copy(localRandom.begin(), localRandom.end(), out.begin());
        },
        1);
  }
};

}  // namespace tgcalls
