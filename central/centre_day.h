#pragma once
// The centre's civil day. Deadlines count working days of the calendar in China, so "today" is
// the date in China Standard Time (UTC+8, no daylight saving), whatever zone the server runs in.
#include <cstdint>
#include <string>

#include "hcp/date.h"

namespace hcp::central {

inline Date CentreDay(int64_t unix_ms) {
  constexpr int64_t kOffsetMs = 8LL * 3600 * 1000;
  const int64_t ms = unix_ms + kOffsetMs;
  return Date::FromDayNumber(static_cast<long>(ms >= 0 ? ms / 86400000 : (ms - 86399999) / 86400000));
}

}  // namespace hcp::central
