#include "crypto/secure_bytes.h"

#include <gtest/gtest.h>

#include <type_traits>
#include <utility>

namespace tgcalls {
namespace {

static_assert(!std::is_copy_constructible_v<SecureBytes>, "secrets must not be copied implicitly");
static_assert(!std::is_copy_assignable_v<SecureBytes>, "secrets must not be copied implicitly");
static_assert(std::is_nothrow_move_constructible_v<SecureBytes>);
static_assert(std::is_convertible_v<const SecureBytes&, ByteView>);

TEST(SecureBytes, SizedConstructorZeroFills) {
  SecureBytes bytes(32);
  ASSERT_EQ(bytes.size(), 32u);
  for (uint8_t b : bytes) EXPECT_EQ(b, 0);
}

TEST(SecureBytes, CloneIsAnIndependentEqualCopy) {
  const Bytes source = {1, 2, 3, 4};
  SecureBytes original(ByteView{source});
  SecureBytes copy = original.clone();
  copy[0] = 9;
  EXPECT_EQ(original[0], 1);
  EXPECT_EQ(copy[0], 9);
  EXPECT_EQ(copy.size(), original.size());
}

TEST(SecureBytes, MoveTransfersContentsAndEmptiesSource) {
  const Bytes source = {5, 6, 7};
  SecureBytes original(ByteView{source});
  SecureBytes moved(std::move(original));
  EXPECT_EQ(moved.size(), 3u);
  EXPECT_EQ(moved[2], 7);
  EXPECT_TRUE(original.empty());  // NOLINT(bugprone-use-after-move): documented state
}

TEST(SecureBytes, ResizeAndClearKeepSizesRight) {
  SecureBytes bytes(8);
  bytes[7] = 1;
  bytes.resize(4);
  EXPECT_EQ(bytes.size(), 4u);
  bytes.resize(6);
  EXPECT_EQ(bytes[5], 0);  // the dropped tail was wiped, not resurrected
  bytes.clear();
  EXPECT_TRUE(bytes.empty());
}

TEST(SecureBytes, ViewCoversTheContents) {
  const Bytes source = {1, 2, 3};
  SecureBytes bytes(ByteView{source});
  ByteView view = bytes;
  ASSERT_EQ(view.size(), 3u);
  EXPECT_EQ(view.data(), bytes.data());
}

}  // namespace
}  // namespace tgcalls
