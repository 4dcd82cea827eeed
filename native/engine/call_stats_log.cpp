#include "engine/call_stats_log.h"

#include <algorithm>

#include "engine/signaling_message.h"

namespace tgcalls {
namespace {

// A call that flaps for hours must not grow without bound: an hour of one-second bitrate
// records, and far more network changes than a sane call makes.
constexpr size_t kMaxBitrateRecords = 3600;
constexpr size_t kMaxNetworkRecords = 1000;
// Records closer than this to the next one are superseded by it (spec §3.8): one change
// reported by several callbacks in a row appears once.
constexpr int64_t kCoalesceMs = 5;

std::string candidateJson(const CandidateDescription& candidate) {
  return "{\"address\": " + jsonString(candidate.address) +
         ", \"protocol\": " + jsonString(candidate.protocol) +
         ", \"type\": " + jsonString(candidate.type) + "}";
}

}  // namespace

void CallStatsLog::recordNetwork(int64_t nowMs, bool connected, bool failed,
                                 const std::optional<CandidatePairDescription>& pair) {
  if (!network_.empty()) {
    const NetworkRecord& last = network_.back();
    if (last.connected == connected && last.failed == failed && last.pair == pair) return;
  }
  if (network_.size() >= kMaxNetworkRecords) return;
  network_.push_back(NetworkRecord{nowMs, connected, failed, pair});
}

void CallStatsLog::recordBitrate(int kbps) {
  if (bitrate_.size() < kMaxBitrateRecords) bitrate_.push_back(kbps);
}

std::string CallStatsLog::toJson() const {
  std::string json = "{\"bitrate\": [";
  for (size_t i = 0; i < bitrate_.size(); ++i) {
    json += (i ? ", " : "") + std::string("{\"b\": ") + std::to_string(bitrate_[i]) + "}";
  }
  json += "], \"network\": [";
  // From the newest back: a record less than kCoalesceMs before the next record kept is
  // superseded by it (the last record always stays).
  std::vector<const NetworkRecord*> kept;
  for (size_t i = network_.size(); i-- > 0;) {
    if (kept.empty() || kept.back()->timeMs - network_[i].timeMs >= kCoalesceMs) {
      kept.push_back(&network_[i]);
    }
  }
  std::reverse(kept.begin(), kept.end());
  // "t" counts from the first record written, as a string (spec §3.8).
  const int64_t baseMs = kept.empty() ? 0 : kept.front()->timeMs;
  for (size_t i = 0; i < kept.size(); ++i) {
    const NetworkRecord& record = *kept[i];
    json += (i ? ", {" : "{");
    json += std::string("\"c\": ") + (record.connected ? "1" : "0");
    if (record.failed) json += ", \"failed\": 1";
    if (record.pair) {
      json += ", \"network\": {\"local\": " + candidateJson(record.pair->local) +
              ", \"remote\": " + candidateJson(record.pair->remote) + "}";
    }
    json += ", \"t\": \"" + std::to_string(record.timeMs - baseMs) + "\"}";
  }
  json += "], \"v\": 3}";
  return json;
}

}  // namespace tgcalls
