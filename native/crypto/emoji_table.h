// The emoji used for visual key verification (spec §2.6, Appendix A).
#pragma once

#include <cstddef>
#include <string_view>

namespace tgcalls {

inline constexpr std::size_t kEmojiTableSize = 333;

// Entry `index` (0 <= index < 333) of the shared Telegram emoji table, as UTF-8. The order is
// normative: both call participants must map the same hash to the same picture. Flags (301-310)
// are two regional indicators; keycaps (311-320) are a digit followed by U+20E3 without a
// variation selector. Throws std::out_of_range for other indices.
std::string_view emojiAt(std::size_t index);

}  // namespace tgcalls
