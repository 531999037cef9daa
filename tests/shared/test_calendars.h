#pragma once
// The compiled-in calendar, for tests: the same data `hcp` ships with.
#include <gtest/gtest.h>

#include "hcp/calendar.h"

namespace hcp::testing {

inline const WorkingCalendar& ShippedCalendar() {
  static const WorkingCalendar cal = [] {
    auto c = WorkingCalendar::Embedded();
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.errors()[0].message_en);
    return c.ok() ? c.value() : WorkingCalendar();
  }();
  return cal;
}

inline Date D(const char* text) {
  auto d = Date::Parse(text);
  EXPECT_TRUE(d.ok()) << text;
  return d.ok() ? *d : Date();
}

}  // namespace hcp::testing
