// The stats log a 10.0.0 / 11.0.0 call returns as its debug JSON at stop (spec §3.8):
// {"bitrate": [{"b": …}], "network": [{"c", "failed", "network", "t"}], "v": 3}, keys sorted
// and separated as json11 writes them. Pure C++: the call feeds it what WebRTC reports.
//
// Network records hold the selected candidate pair's type, protocol and address ("ip:port"),
// as the spec's record does: the log goes only to phone.saveCallDebug, i.e. to Telegram's
// servers, which relay the call or hand out both sides' addresses anyway; it never holds key
// material or TURN credentials.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tgcalls {

struct CandidateDescription {
  std::string type;      // WebRTC's internal names: local, stun, prflx, relay
  std::string protocol;  // udp, tcp
  std::string address;   // ip:port
  bool operator==(const CandidateDescription&) const = default;
};

struct CandidatePairDescription {
  CandidateDescription local;
  CandidateDescription remote;
  bool operator==(const CandidatePairDescription&) const = default;
};

class CallStatsLog {
 public:
  // The network state now; a record is added only when it differs from the last one.
  void recordNetwork(int64_t nowMs, bool connected, bool failed,
                     const std::optional<CandidatePairDescription>& pair);
  // One per second: the send bandwidth estimate in units of 1024 bit/s.
  void recordBitrate(int kbps);
  std::string toJson() const;

 private:
  struct NetworkRecord {
    int64_t timeMs;
    bool connected;
    bool failed;
    std::optional<CandidatePairDescription> pair;
  };
  std::vector<NetworkRecord> network_;
  std::vector<int> bitrate_;
};

}  // namespace tgcalls
