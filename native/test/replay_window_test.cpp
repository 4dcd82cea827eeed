#include "crypto/replay_window.h"

#include <gtest/gtest.h>

namespace tgcalls {
namespace {

TEST(ReplayWindow, AcceptsEachCounterOnce) {
  ReplayWindow window;
  EXPECT_TRUE(window.registerCounter(1));
  EXPECT_FALSE(window.registerCounter(1));
  EXPECT_TRUE(window.registerCounter(3));
  EXPECT_TRUE(window.registerCounter(2));  // late but inside the window
  EXPECT_FALSE(window.registerCounter(2));
  EXPECT_FALSE(window.registerCounter(3));
}

TEST(ReplayWindow, RejectsCountersSixtyFourOrMoreBelowTheLargest) {
  ReplayWindow window;
  EXPECT_TRUE(window.registerCounter(100));
  EXPECT_FALSE(window.wouldAccept(36));  // 36 + 64 <= 100
  EXPECT_FALSE(window.registerCounter(36));
  EXPECT_FALSE(window.registerCounter(0));
  EXPECT_TRUE(window.wouldAccept(37));
  EXPECT_TRUE(window.registerCounter(37));
  EXPECT_FALSE(window.registerCounter(37));
}

TEST(ReplayWindow, ForgottenCountersStayRejected) {
  ReplayWindow window;
  for (uint32_t c = 1; c <= 200; ++c) ASSERT_TRUE(window.registerCounter(c));
  for (uint32_t c = 1; c <= 200; ++c) EXPECT_FALSE(window.registerCounter(c)) << c;
}

TEST(ReplayWindow, HandlesCountersNearTheTopOfTheRange) {
  ReplayWindow window;
  EXPECT_TRUE(window.registerCounter(0xFFFFFFF0u));
  EXPECT_TRUE(window.registerCounter(0xFFFFFFFFu));
  EXPECT_FALSE(window.registerCounter(0xFFFFFFFFu));
  EXPECT_TRUE(window.registerCounter(0xFFFFFFC0u));   // 0xFFFFFFC0 + 64 > 0xFFFFFFFF
  EXPECT_FALSE(window.registerCounter(0xFFFFFFBFu));  // exactly 64 below
}

TEST(AckRegister, DeliversEachCounterOnceAndForgetsBelowTheFirstEntry) {
  AckRegister acks;
  EXPECT_TRUE(acks.registerCounter(1, true));
  EXPECT_TRUE(acks.registerCounter(2, false));
  EXPECT_FALSE(acks.registerCounter(1, true));  // a re-sent copy
  EXPECT_FALSE(acks.registerCounter(2, false));
  EXPECT_TRUE(acks.registerCounter(4, false));
  EXPECT_FALSE(acks.registerCounter(2, true));  // oldest unacked is now 2: 1 is forgotten
  EXPECT_EQ(acks.rememberedCount(), 2u);        // {2, 4}
}

TEST(AckRegister, StaleCopiesBelowTheHighestFirstEntryAreNotDeliveredAgain) {
  // Upstream forgets 1 and 2 once a packet starts at 3, and would deliver a reordered stale
  // copy of 1 again (spec §4.6 [quirk]). We remember the floor.
  AckRegister acks;
  EXPECT_TRUE(acks.registerCounter(1, true));
  EXPECT_TRUE(acks.registerCounter(2, false));
  EXPECT_TRUE(acks.registerCounter(3, true));
  EXPECT_FALSE(acks.registerCounter(1, true));
  EXPECT_FALSE(acks.registerCounter(2, false));
  EXPECT_TRUE(acks.registerCounter(5, false));
}

TEST(AckRegister, MemoryIsBounded) {
  AckRegister acks;
  EXPECT_TRUE(acks.registerCounter(1, true));
  for (uint32_t c = 2; c < AckRegister::kMaxRemembered + 100; ++c) {
    acks.registerCounter(c, false);
  }
  EXPECT_LE(acks.rememberedCount(), AckRegister::kMaxRemembered);
  EXPECT_FALSE(acks.registerCounter(1, false));
}

}  // namespace
}  // namespace tgcalls
