#include "crypto/emoji_table.h"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>

namespace tgcalls {
namespace {

TEST(EmojiTable, SpotChecksFromAppendixA) {
  EXPECT_EQ(emojiAt(0), "\xF0\x9F\x98\x89");                    // U+1F609
  EXPECT_EQ(emojiAt(150), "\xE2\x98\x8E");                      // U+260E
  EXPECT_EQ(emojiAt(257), "\xF0\x9F\x8D\x85");                  // U+1F345
  EXPECT_EQ(emojiAt(307), "\xF0\x9F\x87\xAA\xF0\x9F\x87\xB8");  // U+1F1EA U+1F1F8
  EXPECT_EQ(emojiAt(320), "0\xE2\x83\xA3");                     // U+0030 U+20E3
  EXPECT_EQ(emojiAt(332), "\xF0\x9F\x94\xB7");                  // U+1F537
}

TEST(EmojiTable, FlagsAreTwoRegionalIndicators) {
  for (std::size_t i = 301; i <= 310; ++i) {
    std::string_view e = emojiAt(i);
    ASSERT_EQ(e.size(), 8u) << i;
    EXPECT_EQ(e.substr(0, 3), "\xF0\x9F\x87") << i;
    EXPECT_EQ(e.substr(4, 3), "\xF0\x9F\x87") << i;
  }
}

TEST(EmojiTable, KeycapsAreDigitThenCombiningKeycapWithoutVariationSelector) {
  const std::string digits = "1234567890";
  for (std::size_t i = 311; i <= 320; ++i) {
    std::string_view e = emojiAt(i);
    ASSERT_EQ(e.size(), 4u) << i;
    EXPECT_EQ(e[0], digits[i - 311]) << i;
    EXPECT_EQ(e.substr(1), "\xE2\x83\xA3") << i;
  }
}

TEST(EmojiTable, HasExactly333DistinctEntries) {
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < kEmojiTableSize; ++i) {
    EXPECT_FALSE(emojiAt(i).empty());
    seen.insert(emojiAt(i));
  }
  EXPECT_EQ(seen.size(), 333u);
  EXPECT_THROW(emojiAt(333), std::out_of_range);
}

}  // namespace
}  // namespace tgcalls
