#include "test_support.h"

#include <fstream>
#include <map>
#include <stdexcept>

namespace tgcalls::test {

Bytes fromHex(std::string_view hex) {
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    throw std::invalid_argument("bad hex digit");
  };
  Bytes out;
  std::string clean;
  for (char c : hex) {
    if (c != ' ' && c != '\n') clean.push_back(c);
  }
  if (clean.size() % 2 != 0) throw std::invalid_argument("odd hex length");
  for (std::size_t i = 0; i < clean.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(digit(clean[i]) * 16 + digit(clean[i + 1])));
  }
  return out;
}

std::string toHex(ByteView bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

std::string toString(ByteView bytes) { return std::string(bytes.begin(), bytes.end()); }

Bytes sequentialKeyBytes() {
  Bytes key(256);
  for (int i = 0; i < 256; ++i) key[i] = static_cast<uint8_t>(i);
  return key;
}

std::shared_ptr<const CallKey> sequentialKey() {
  return std::make_shared<const CallKey>(CallKey::fromBytes(sequentialKeyBytes()));
}

const nlohmann::json& transcript(const std::string& version) {
  static std::map<std::string, nlohmann::json> cache;
  auto it = cache.find(version);
  if (it == cache.end()) {
    std::ifstream file(std::string(TGCALLS_VECTORS_DIR) + "/transcript-" + version + ".json");
    if (!file) throw std::runtime_error("cannot open transcript " + version);
    it = cache.emplace(version, nlohmann::json::parse(file)).first;
  }
  return it->second;
}

std::shared_ptr<const CallKey> transcriptKey(const std::string& version) {
  return std::make_shared<const CallKey>(
      CallKey::fromBytes(fromHex(transcript(version)["key_hex"].get<std::string>())));
}

}  // namespace tgcalls::test
