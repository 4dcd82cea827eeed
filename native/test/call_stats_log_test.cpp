#include "engine/call_stats_log.h"

#include <gtest/gtest.h>

#include <string>

namespace tgcalls {
namespace {

CandidatePairDescription hostPair() {
  return {{"local", "udp", "192.0.2.2:40000"}, {"prflx", "udp", "192.0.2.3:40001"}};
}

TEST(CallStatsLog, EmptyLogIsVersionThreeWithEmptyLists) {
  EXPECT_EQ(CallStatsLog().toJson(), "{\"bitrate\": [], \"network\": [], \"v\": 3}");
}

TEST(CallStatsLog, NetworkRecordsCarryThePairAndTimeFromTheFirstRecord) {
  CallStatsLog log;
  log.recordNetwork(1000, false, false, std::nullopt);
  log.recordNetwork(1250, true, false, hostPair());
  log.recordBitrate(31);
  log.recordBitrate(32);
  EXPECT_EQ(log.toJson(),
            "{\"bitrate\": [{\"b\": 31}, {\"b\": 32}], \"network\": [{\"c\": 0, \"t\": \"0\"}, "
            "{\"c\": 1, \"network\": {\"local\": {\"address\": \"192.0.2.2:40000\", "
            "\"protocol\": \"udp\", \"type\": \"local\"}, \"remote\": {\"address\": "
            "\"192.0.2.3:40001\", \"protocol\": \"udp\", \"type\": \"prflx\"}}, \"t\": "
            "\"250\"}], \"v\": 3}");
}

TEST(CallStatsLog, UnchangedStateAddsNoRecord) {
  CallStatsLog log;
  log.recordNetwork(0, true, false, hostPair());
  log.recordNetwork(100, true, false, hostPair());
  log.recordNetwork(200, true, false, hostPair());
  const std::string json = log.toJson();
  EXPECT_EQ(json.find("\"c\": 1"), json.rfind("\"c\": 1"));  // exactly one record
}

TEST(CallStatsLog, RecordsWithinFiveMillisecondsOfTheNextAreSuperseded) {
  CallStatsLog log;
  log.recordNetwork(0, false, false, std::nullopt);
  log.recordNetwork(100, true, false, std::nullopt);  // superseded: 4 ms before the next
  log.recordNetwork(104, true, false, hostPair());
  log.recordNetwork(109, false, true, hostPair());  // 5 ms later: both stay
  EXPECT_EQ(log.toJson().find("\"t\": \"100\""), std::string::npos);
  const std::string json = log.toJson();
  EXPECT_NE(json.find("\"t\": \"104\""), std::string::npos);
  EXPECT_NE(json.find("{\"c\": 0, \"failed\": 1, \"network\""), std::string::npos);
  EXPECT_NE(json.find("\"t\": \"109\""), std::string::npos);
}

TEST(CallStatsLog, AddressesAreEscapedAsJsonStrings) {
  CallStatsLog log;
  CandidatePairDescription pair = hostPair();
  pair.remote.address = "redacted\"\\ip.invalid:9";
  log.recordNetwork(0, true, false, pair);
  EXPECT_NE(log.toJson().find("\"redacted\\\"\\\\ip.invalid:9\""), std::string::npos);
}

TEST(CallStatsLog, AFlappingCallDoesNotGrowWithoutBound) {
  CallStatsLog log;
  for (int second = 0; second < 10000; ++second) log.recordBitrate(32);
  for (int change = 0; change < 5000; ++change)
    log.recordNetwork(change * 10, change % 2, false, {});
  const std::string json = log.toJson();
  size_t bitrateRecords = 0;
  for (size_t at = json.find("{\"b\""); at != std::string::npos; at = json.find("{\"b\"", at + 1)) {
    ++bitrateRecords;
  }
  size_t networkRecords = 0;
  for (size_t at = json.find("{\"c\""); at != std::string::npos; at = json.find("{\"c\"", at + 1)) {
    ++networkRecords;
  }
  EXPECT_EQ(bitrateRecords, 3600u);
  EXPECT_EQ(networkRecords, 1000u);
}

}  // namespace
}  // namespace tgcalls
