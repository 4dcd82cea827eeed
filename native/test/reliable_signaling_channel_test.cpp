#include "crypto/reliable_signaling_channel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "crypto/call_key.h"
#include "crypto/crypto_error.h"
#include "crypto/packet_cipher.h"
#include "crypto/reliable_container.h"
#include "test_support.h"

namespace tgcalls {
namespace {

using test::fromHex;
using test::toHex;
using test::toString;
using SendResult = ReliableSignalingChannel::SendResult;
using Limits = ReliableSignalingChannel::Limits;

// The packets one side of the 10.0.0 transcript emitted, in from_index order.
std::vector<const nlohmann::json*> packetsFrom(const std::string& role) {
  std::vector<const nlohmann::json*> packets;
  for (const auto& packet : test::transcript("10.0.0")["packets"]) {
    if (packet["from"] == role) packets.push_back(&packet);
  }
  std::sort(packets.begin(), packets.end(), [](const nlohmann::json* a, const nlohmann::json* b) {
    return (*a)["from_index"].get<int>() < (*b)["from_index"].get<int>();
  });
  return packets;
}

// JSON texts of the entries of one packet that a receiver delivers (first copies), in order.
std::vector<std::string> deliveredTexts(const nlohmann::json* packet) {
  std::vector<std::string> texts;
  for (const auto& entry : (*packet)["parsed"]["entries"]) {
    if (entry["kind"] == "raw_message" && entry["delivered"].get<bool>()) {
      texts.push_back(entry["json_text"].get<std::string>());
    }
  }
  return texts;
}

// JSON texts of the messages one side sent (entries that are not re-sent copies), in order.
std::vector<std::string> newMessageTexts(const std::string& role) {
  std::vector<std::string> texts;
  for (const auto* packet : packetsFrom(role)) {
    for (const auto& entry : (*packet)["parsed"]["entries"]) {
      if (entry["kind"] == "raw_message" && !entry["resent_copy"].get<bool>()) {
        texts.push_back(entry["json_text"].get<std::string>());
      }
    }
  }
  return texts;
}

Bytes packetBytes(const nlohmann::json* packet) {
  return fromHex((*packet)["hex"].get<std::string>());
}

int64_t packetTime(const nlohmann::json* packet) {
  return static_cast<int64_t>((*packet)["t_ms"].get<double>());
}

std::vector<std::string> asStrings(const std::vector<Bytes>& messages) {
  std::vector<std::string> out;
  for (const Bytes& m : messages) out.push_back(toString(m));
  return out;
}

TEST(ReliableSignalingChannel, Transcript10EachPacketDeliversExactlyItsMarkedMessages) {
  auto key = test::transcriptKey("10.0.0");
  for (const std::string sender : {"caller", "callee"}) {
    ReliableSignalingChannel receiver(key, /*isOutgoing=*/sender == "callee");
    std::size_t deliveredCount = 0;
    uint64_t accepted = 0;
    for (const auto* packet : packetsFrom(sender)) {
      const std::vector<std::string> delivered =
          asStrings(receiver.receive(packetBytes(packet), 0));
      EXPECT_EQ(delivered, deliveredTexts(packet))
          << sender << " packet " << (*packet)["from_index"].get<int>();
      deliveredCount += delivered.size();
      EXPECT_EQ(receiver.acceptedPacketCount(), ++accepted) << sender;
    }
    // Each message once: as many deliveries as messages the sender wrote.
    EXPECT_EQ(deliveredCount, newMessageTexts(sender).size()) << sender;
    // Every distinct ack-requiring message is waiting to be acknowledged, once.
    EXPECT_EQ(receiver.pendingAckCount(), newMessageTexts(sender).size()) << sender;

    for (const auto* packet : packetsFrom(sender)) {
      EXPECT_TRUE(receiver.receive(packetBytes(packet), 0).empty()) << sender;
    }
    EXPECT_EQ(receiver.acceptedPacketCount(), accepted) << "a replay was accepted";
  }
}

// Drives a caller and a callee through the 10.0.0 transcript: the same sends, the same packets
// received before each emission. Every packet either side builds must equal upstream's bytes.
TEST(ReliableSignalingChannel, Transcript10IsReproducedByteForByte) {
  auto key = test::transcriptKey("10.0.0");
  const auto callerPackets = packetsFrom("caller");
  const auto calleePackets = packetsFrom("callee");
  const auto callerMessages = newMessageTexts("caller");
  const auto calleeMessages = newMessageTexts("callee");
  ASSERT_EQ(callerPackets.size(), 9u);
  ASSERT_EQ(calleePackets.size(), 9u);
  ASSERT_EQ(callerMessages.size(), 5u);
  ASSERT_EQ(calleeMessages.size(), 6u);

  auto expectEmits = [](ReliableSignalingChannel& channel, const nlohmann::json* expected,
                        const std::string& label) {
    std::vector<Bytes> out = channel.takeOutgoing(packetTime(expected));
    ASSERT_EQ(out.size(), 1u) << label;
    EXPECT_EQ(toHex(out[0]), (*expected)["hex"].get<std::string>()) << label;
  };
  auto send = [](ReliableSignalingChannel& channel, const std::string& text,
                 const nlohmann::json* expected) {
    ASSERT_EQ(channel.send(asBytes(text), packetTime(expected)), SendResult::Ok);
  };
  auto receiveRange = [](ReliableSignalingChannel& channel,
                         const std::vector<const nlohmann::json*>& packets, int from, int to,
                         int64_t now) {
    for (int i = from; i <= to; ++i) channel.receive(packetBytes(packets[i]), now);
  };

  ReliableSignalingChannel caller(key, true);
  for (int i = 0; i < 4; ++i) {
    send(caller, callerMessages[i], callerPackets[i]);
    expectEmits(caller, callerPackets[i], "caller #" + std::to_string(i));
  }
  receiveRange(caller, calleePackets, 0, 4, packetTime(callerPackets[4]));
  expectEmits(caller, callerPackets[4], "caller #4");
  for (int i = 5; i <= 7; ++i) {
    receiveRange(caller, calleePackets, i, i, packetTime(callerPackets[i]));
    expectEmits(caller, callerPackets[i], "caller #" + std::to_string(i));
  }
  send(caller, callerMessages[4], callerPackets[8]);
  expectEmits(caller, callerPackets[8], "caller #8");

  ReliableSignalingChannel callee(key, false);
  receiveRange(callee, callerPackets, 0, 2, packetTime(calleePackets[0]));
  expectEmits(callee, calleePackets[0], "callee #0");
  receiveRange(callee, callerPackets, 3, 3, packetTime(calleePackets[1]));
  expectEmits(callee, calleePackets[1], "callee #1");
  for (int i = 2; i <= 7; ++i) {
    send(callee, calleeMessages[i - 2], calleePackets[i]);
    expectEmits(callee, calleePackets[i], "callee #" + std::to_string(i));
  }
  receiveRange(callee, callerPackets, 4, 8, packetTime(calleePackets[8]));
  expectEmits(callee, calleePackets[8], "callee #8");

  // The last ack reaches the caller: nothing is outstanding on either side.
  caller.receive(packetBytes(calleePackets[8]), 50);
  EXPECT_EQ(caller.unackedCount(), 0u);
  EXPECT_EQ(callee.unackedCount(), 0u);
}

// --- Behaviour beyond the transcript -----------------------------------------------------------

std::shared_ptr<const CallKey> key() { return test::sequentialKey(); }

ParsedContainer parseOwnPacket(const Bytes& packet, bool senderIsOutgoing) {
  std::optional<Bytes> plaintext =
      decryptPacket(*key(), senderKeyOffset(senderIsOutgoing, Channel::Signaling), packet);
  EXPECT_TRUE(plaintext);
  static std::vector<Bytes> keepAlive;  // entries point into the plaintext
  keepAlive.push_back(*plaintext);
  std::optional<ParsedContainer> parsed = parseReliableContainer(keepAlive.back());
  EXPECT_TRUE(parsed);
  return parsed.value_or(ParsedContainer{});
}

TEST(ReliableSignalingChannel, FirstMessageIsResentByTheTimerIfNeverAcknowledged) {
  ReliableSignalingChannel caller(key(), true);
  ASSERT_EQ(caller.send(asBytes("{\"a\":1}"), 1000), SendResult::Ok);
  ASSERT_EQ(caller.takeOutgoing(1000).size(), 1u);
  ASSERT_EQ(caller.nextDeadlineMs(), 6000);
  EXPECT_TRUE(caller.takeOutgoing(5999).empty());
  std::vector<Bytes> resent = caller.takeOutgoing(6000);
  ASSERT_EQ(resent.size(), 1u);
  ParsedContainer parsed = parseOwnPacket(resent[0], true);
  ASSERT_EQ(parsed.entries.size(), 2u);
  EXPECT_EQ(parsed.entries[0].kind, EntryKind::Empty);
  EXPECT_EQ(parsed.firstSeq, 2u);  // service packets take a fresh counter
  EXPECT_EQ(parsed.entries[1].seq, 0x40000001u);
  EXPECT_EQ(toString(parsed.entries[1].body), "{\"a\":1}");
  // And again every 5 s while it stays unacknowledged.
  EXPECT_EQ(caller.nextDeadlineMs(), 11000);
  EXPECT_EQ(caller.takeOutgoing(11000).size(), 1u);
}

TEST(ReliableSignalingChannel, ResentCopiesAreAckedByTheAckTimerNotImmediately) {
  ReliableSignalingChannel caller(key(), true);
  ReliableSignalingChannel callee(key(), false);
  caller.send(asBytes("{}"), 0);
  const Bytes first = caller.takeOutgoing(0).at(0);
  EXPECT_EQ(asStrings(callee.receive(first, 10)), std::vector<std::string>{"{}"});
  std::vector<Bytes> ack = callee.takeOutgoing(10);  // new message: acknowledged at once
  ASSERT_EQ(ack.size(), 1u);
  // The ack is lost; the caller re-sends.
  const Bytes resend = caller.takeOutgoing(5000).at(0);
  EXPECT_TRUE(callee.receive(resend, 5010).empty());
  EXPECT_TRUE(callee.takeOutgoing(5010).empty());
  EXPECT_EQ(callee.nextDeadlineMs(), 10010);
  std::vector<Bytes> reack = callee.takeOutgoing(10010);
  ASSERT_EQ(reack.size(), 1u);
  caller.receive(reack[0], 10020);
  EXPECT_EQ(caller.unackedCount(), 0u);
}

TEST(ReliableSignalingChannel, PendingAcksRideOnTheNextNewMessage) {
  ReliableSignalingChannel caller(key(), true);
  ReliableSignalingChannel callee(key(), false);
  caller.send(asBytes("{\"q\":1}"), 0);
  callee.receive(caller.takeOutgoing(0).at(0), 1);
  // Before the requested service packet goes out, the callee sends a message of its own: the
  // ack travels with it, and no separate service packet is needed.
  callee.send(asBytes("{\"r\":1}"), 1);
  std::vector<Bytes> out = callee.takeOutgoing(1);
  ASSERT_EQ(out.size(), 1u);
  ParsedContainer parsed = parseOwnPacket(out[0], false);
  ASSERT_EQ(parsed.entries.size(), 2u);
  EXPECT_EQ(parsed.entries[0].kind, EntryKind::RawMessage);
  EXPECT_EQ(parsed.entries[1].kind, EntryKind::Ack);
  EXPECT_EQ(parsed.entries[1].seq, 0x40000001u);
}

TEST(ReliableSignalingChannel, SendRejectsMessagesThatCannotFitAPacket) {
  ReliableSignalingChannel caller(key(), true);
  // 16 msg_key + 5 service header + 9 entry header + message <= 16384.
  const std::string largest(16384 - 16 - 5 - 9, 'x');
  EXPECT_EQ(caller.send(asBytes(largest), 0), SendResult::Ok);
  EXPECT_EQ(caller.send(asBytes(largest + "x"), 0), SendResult::TooLarge);
  std::vector<Bytes> out = caller.takeOutgoing(0);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_LE(out[0].size(), 16384u);
  // Its re-send fits too.
  std::vector<Bytes> resent = caller.takeOutgoing(5000);
  ASSERT_EQ(resent.size(), 1u);
  EXPECT_EQ(resent[0].size(), 16384u);
}

TEST(ReliableSignalingChannel, SendFailsBeyondTheUnackedLimit) {
  Limits limits = Limits::signaling();
  limits.maxUnackedEntries = 3;
  ReliableSignalingChannel caller(key(), true, limits);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(caller.send(asBytes("{}"), 0), SendResult::Ok);
  EXPECT_EQ(caller.send(asBytes("{}"), 0), SendResult::TooManyUnacked);
  EXPECT_EQ(caller.unackedCount(), 3u);
}

TEST(ReliableSignalingChannel, SendingStopsWhenTheCounterIsExhausted) {
  Limits limits = Limits::signaling();
  limits.maxCounter = 3;
  ReliableSignalingChannel caller(key(), true, limits);
  EXPECT_EQ(caller.send(asBytes("{}"), 0), SendResult::Ok);  // counter 1
  EXPECT_EQ(caller.send(asBytes("{}"), 0), SendResult::Ok);  // counter 2, service packet 3
  EXPECT_EQ(caller.send(asBytes("{}"), 0), SendResult::CounterExhausted);
  EXPECT_EQ(caller.takeOutgoing(0).size(), 2u);
  EXPECT_TRUE(caller.takeOutgoing(100000).empty());  // not even service packets any more
}

TEST(ReliableSignalingChannel, MalformedAuthenticPacketChangesNothing) {
  ReliableSignalingChannel callee(key(), false);
  // A valid message followed by 2 stray bytes: upstream would register (and later ack) the
  // message without delivering it. We drop the packet before touching any state.
  const Bytes bad = encryptPacket(*key(), 128,
                                  fromHex("400000017f000000027b7d"
                                          "abab"));
  EXPECT_TRUE(callee.receive(bad, 0).empty());
  EXPECT_EQ(callee.acceptedPacketCount(), 0u);
  EXPECT_EQ(callee.pendingAckCount(), 0u);
  const Bytes good = encryptPacket(*key(), 128, fromHex("400000017f000000027b7d"));
  EXPECT_EQ(asStrings(callee.receive(good, 0)), std::vector<std::string>{"{}"});
}

TEST(ReliableSignalingChannel, PacketsSixtyFourOrMoreBehindTheNewestAreDropped) {
  ReliableSignalingChannel callee(key(), false);
  // Messages without requires-ack, first in their packets: only the packet counter protects them.
  auto packet = [](uint8_t counter, const char* json) {
    Bytes plaintext = {0, 0, 0, counter, kRawMessageEntryType, 0, 0, 0, 2};
    plaintext.insert(plaintext.end(), json, json + 2);
    return encryptPacket(*key(), 128, plaintext);
  };
  EXPECT_EQ(asStrings(callee.receive(packet(100, "[]"), 0)), std::vector<std::string>{"[]"});
  EXPECT_TRUE(callee.receive(packet(100, "{}"), 0).empty());  // replayed counter
  EXPECT_TRUE(callee.receive(packet(36, "{}"), 0).empty());   // 36 + 64 <= 100
  EXPECT_EQ(asStrings(callee.receive(packet(37, "{}"), 0)), std::vector<std::string>{"{}"});
  EXPECT_EQ(callee.acceptedPacketCount(), 2u);
  EXPECT_EQ(callee.pendingAckCount(), 0u);  // nothing asked for an ack
}

TEST(ReliableSignalingChannel, IgnoresPacketsEncryptedForTheOtherDirectionOrChannel) {
  ReliableSignalingChannel caller(key(), true);
  caller.send(asBytes("{}"), 0);
  const Bytes own = caller.takeOutgoing(0).at(0);
  EXPECT_TRUE(caller.receive(own, 0).empty());  // our own packet, x = 128, we expect 136
  const Bytes transport = encryptPacket(*key(), 8, fromHex("400000017f000000027b7d"));
  EXPECT_TRUE(caller.receive(transport, 0).empty());
  EXPECT_EQ(caller.acceptedPacketCount(), 0u);
}

TEST(ReliableSignalingChannel, RejectsNullKeyAndUnusableLimits) {
  EXPECT_THROW(ReliableSignalingChannel(nullptr, true), CryptoError);
  Limits limits = Limits::signaling();
  limits.maxOutgoingPacketSize = 20;
  EXPECT_THROW(ReliableSignalingChannel(key(), true, limits), CryptoError);
  limits = Limits::signaling();
  limits.maxCounter = 0x40000000;
  EXPECT_THROW(ReliableSignalingChannel(key(), true, limits), CryptoError);
}

// --- Lossy network ---------------------------------------------------------------------------

// SplitMix64, written out so that a seed gives the same run with every standard library (the
// std distributions are implementation-defined).
class SeededRandom {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed) {}

  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [low, high]; the modulo bias (range / 2^64) is far below anything a test sees.
  int64_t uniform(int64_t low, int64_t high) {
    return low + static_cast<int64_t>(next() % static_cast<uint64_t>(high - low + 1));
  }
  // True with probability p: the top 53 bits as a fraction in [0, 1).
  bool chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }

 private:
  uint64_t state_;
};

// Two channels connected by a network that drops, duplicates and reorders packets.
class LossyNetworkSimulation {
 public:
  LossyNetworkSimulation(Limits limits, std::size_t maxMessageSize, uint64_t seed)
      : random_(seed), maxMessageSize_(maxMessageSize) {
    sides_.emplace_back(key(), true, limits);
    sides_.emplace_back(key(), false, limits);
  }

  void run(int messagesPerSide) {
    // Message i of each side is sent at a random time in the first few minutes.
    for (int side = 0; side < 2; ++side) {
      int64_t t = 0;
      for (int i = 0; i < messagesPerSide; ++i) {
        t += uniform(0, 2000);
        std::string text = (side == 0 ? "A" : "B") + std::to_string(i) + ":";
        text.append(static_cast<std::size_t>(uniform(0, maxMessageSize_ - text.size())),
                    static_cast<char>('a' + i % 26));
        sendPlan_[side].emplace(t, text);
      }
    }
    int64_t now = 0;
    for (int step = 0; step < 1000000; ++step) {
      std::optional<int64_t> next = nextEvent();
      if (!next) break;
      now = std::max(now, *next);
      ASSERT_LT(now, 24LL * 3600 * 1000) << "did not settle within a simulated day";
      for (int side = 0; side < 2; ++side) {
        while (!sendPlan_[side].empty() && sendPlan_[side].begin()->first <= now) {
          const std::string& text = sendPlan_[side].begin()->second;
          ASSERT_EQ(sides_[side].send(asBytes(text), now), SendResult::Ok);
          sent_[side].push_back(text);
          sendPlan_[side].erase(sendPlan_[side].begin());
        }
      }
      while (!inFlight_.empty() && inFlight_.begin()->first.first <= now) {
        auto [to, bytes] = inFlight_.begin()->second;
        inFlight_.erase(inFlight_.begin());
        for (const Bytes& m : sides_[to].receive(bytes, now)) delivered_[to].push_back(toString(m));
      }
      for (int side = 0; side < 2; ++side) {
        std::optional<int64_t> deadline = sides_[side].nextDeadlineMs();
        if (deadline && *deadline <= now) {
          for (Bytes& packet : sides_[side].takeOutgoing(now)) transmit(1 - side, packet, now);
        }
      }
    }
    EXPECT_TRUE(inFlight_.empty());
    EXPECT_EQ(sides_[0].unackedCount(), 0u);
    EXPECT_EQ(sides_[1].unackedCount(), 0u);
    // Every message exactly once, in order (reported by position: the texts are long).
    expectSameSequence(sent_[0], delivered_[1], "caller -> callee");
    expectSameSequence(sent_[1], delivered_[0], "callee -> caller");
    EXPECT_EQ(sent_[0].size(), static_cast<std::size_t>(messagesPerSide));
    // 30 % each of loss, duplication and held-back (reordered) copies, give or take.
    EXPECT_NEAR(static_cast<double>(dropped_) / transmitted_, 0.3, 0.05);
    EXPECT_NEAR(static_cast<double>(duplicated_) / (transmitted_ - dropped_), 0.3, 0.05);
    EXPECT_NEAR(static_cast<double>(delayed_) / (transmitted_ - dropped_ + duplicated_), 0.3, 0.05);
    std::cout << "  simulated " << now / 1000 << " s, " << transmitted_ << " packets, " << dropped_
              << " dropped, " << duplicated_ << " duplicated, " << delayed_ << " held back\n";
  }

 private:
  static void expectSameSequence(const std::vector<std::string>& sent,
                                 const std::vector<std::string>& delivered,
                                 const std::string& direction) {
    EXPECT_EQ(delivered.size(), sent.size()) << direction;
    for (std::size_t i = 0; i < std::min(sent.size(), delivered.size()); ++i) {
      if (delivered[i] != sent[i]) {
        ADD_FAILURE() << direction << ": delivery #" << i << " is "
                      << delivered[i].substr(0, delivered[i].find(':')) << ", expected "
                      << sent[i].substr(0, sent[i].find(':'));
        return;
      }
    }
  }

  int64_t uniform(int64_t low, int64_t high) { return random_.uniform(low, high); }
  bool chance(double p) { return random_.chance(p); }

  void transmit(int to, const Bytes& packet, int64_t now) {
    ++transmitted_;
    if (chance(0.3)) {
      ++dropped_;
      return;
    }
    const int copies = chance(0.3) ? 2 : 1;
    duplicated_ += copies - 1;
    for (int i = 0; i < copies; ++i) {
      // Most packets take 10-50 ms; 30% are held back up to 3 s, overtaken by later ones.
      const bool holdBack = chance(0.3);
      delayed_ += holdBack ? 1 : 0;
      const int64_t delay = holdBack ? uniform(50, 3000) : uniform(10, 50);
      inFlight_.emplace(std::make_pair(now + delay, order_++), std::make_pair(to, packet));
    }
  }

  std::optional<int64_t> nextEvent() const {
    std::optional<int64_t> next;
    auto consider = [&next](int64_t t) {
      if (!next || t < *next) next = t;
    };
    for (int side = 0; side < 2; ++side) {
      if (!sendPlan_[side].empty()) consider(sendPlan_[side].begin()->first);
      if (auto deadline = sides_[side].nextDeadlineMs()) consider(*deadline);
    }
    if (!inFlight_.empty()) consider(inFlight_.begin()->first.first);
    return next;
  }

  SeededRandom random_;
  std::size_t maxMessageSize_;
  std::vector<ReliableSignalingChannel> sides_;
  std::multimap<int64_t, std::string> sendPlan_[2];
  std::map<std::pair<int64_t, uint64_t>, std::pair<int, Bytes>> inFlight_;
  uint64_t order_ = 0;
  std::vector<std::string> sent_[2];
  std::vector<std::string> delivered_[2];
  int transmitted_ = 0;
  int dropped_ = 0;
  int duplicated_ = 0;
  int delayed_ = 0;
};

TEST(ReliableSignalingChannel, DeliversEverythingOnceAndInOrderOverALossyReorderingNetwork) {
  LossyNetworkSimulation(Limits::signaling(), 3000, 1234).run(300);
}

TEST(ReliableSignalingChannel, TransportLimitsAlsoDeliverOverALossyNetwork) {
  LossyNetworkSimulation(Limits::transport(), 1400, 4321).run(200);
}

}  // namespace
}  // namespace tgcalls
