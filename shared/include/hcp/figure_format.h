#pragma once
// How a published figure is rounded and shown, defined once so the public page, the 通报 in every
// format and the exports print the same digits. Rounding is done on whole numbers (no floating
// point), half up, so native and WASM builds cannot differ in the last digit.
#include <optional>
#include <string>

#include "hcp/error.h"
#include "hcp/statistics.h"

namespace hcp {

inline constexpr long kDefaultMinSample = 10;

// The rate in tenths of a per cent (925 = 92.5 %), rounded half up; none for 0/0.
std::optional<long> Permille(const Rate& r);
// "92.5%", or "样本不足" / "insufficient sample" when the denominator is below `min_sample`,
// or "—" when there is nothing to divide by and suppression does not apply (min_sample 0).
std::string FormatRate(const Rate& r, long min_sample, Lang lang = Lang::Zh);
std::string InsufficientSample(Lang lang = Lang::Zh);
// A permille value as "92.5"; a change as "+1.5" / "-2.0" / "0.0" (percentage points).
std::string FormatPermille(long permille);
std::string FormatPermilleChange(long delta);
// A median kept as twice its value, so a half is exact: 7 → "3.5".
std::string FormatHalves(long halves);

}  // namespace hcp
