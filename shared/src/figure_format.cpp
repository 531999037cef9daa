#include "hcp/figure_format.h"

#include <cstdint>
#include <cstdlib>

namespace hcp {

std::optional<long> Permille(const Rate& r) {
  if (r.denominator <= 0) return std::nullopt;
  // round(1000·n/d) half up = floor((2000·n + d) / 2d), for n, d ≥ 0.
  // In 64 bits: `long` is 32 bits in WASM, and 2000·n overflows it past a million ratings.
  const int64_t n = r.numerator, d = r.denominator;
  return static_cast<long>((2000 * n + d) / (2 * d));
}

std::string InsufficientSample(Lang lang) { return lang == Lang::Zh ? "样本不足" : "insufficient sample"; }

std::string FormatPermille(long permille) {
  const long a = std::labs(permille);
  std::string out = permille < 0 ? "-" : "";
  out += std::to_string(a / 10);
  out += '.';
  out += std::to_string(a % 10);
  return out;
}

std::string FormatPermilleChange(long delta) {
  std::string out = delta > 0 ? "+" : "";  // appended, not operator+: GCC 12 warns falsely (-Wrestrict)
  out += FormatPermille(delta);
  return out;
}

std::string FormatRate(const Rate& r, long min_sample, Lang lang) {
  if (min_sample > 0 && r.Suppressed(min_sample)) return InsufficientSample(lang);
  const auto p = Permille(r);
  return p ? FormatPermille(*p) + "%" : "—";
}

std::string FormatHalves(long halves) {
  return std::to_string(halves / 2) + (halves % 2 ? ".5" : "");
}

}  // namespace hcp
