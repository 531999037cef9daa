#include "hcp/statistics.h"

namespace hcp {

std::optional<double> Rate::Value() const {
  if (denominator == 0) return std::nullopt;
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

void Tally::Add(const RatingFacts& r) {
  if (r.excluded) {
    ++excluded_;
    return;
  }
  ++by_level_[Index(r.level)];
  if (r.is_system_default) ++defaults_by_level_[Index(r.level)];
}

void Tally::Add(const RatingFacts& r, long count) {
  if (r.excluded) {
    excluded_ += count;
    return;
  }
  by_level_[Index(r.level)] += count;
  if (r.is_system_default) defaults_by_level_[Index(r.level)] += count;
}

void Tally::Merge(const Tally& other) {
  for (size_t i = 0; i < by_level_.size(); ++i) {
    by_level_[i] += other.by_level_[i];
    defaults_by_level_[i] += other.defaults_by_level_[i];
  }
  excluded_ += other.excluded_;
}

long Tally::Total() const {
  long n = 0;
  for (long c : by_level_) n += c;
  return n;
}

long Tally::Defaults() const {
  long n = 0;
  for (long c : defaults_by_level_) n += c;
  return n;
}

long GoodCount(const Tally& t) {
  long n = 0;
  for (Level l : kAllLevels) n += IsGood(l) ? t.Count(l) : 0;
  return n;
}

long BadCount(const Tally& t) { return t.Total() - GoodCount(t); }

Rate GoodRate(const Tally& t) { return {GoodCount(t), t.Total()}; }

Rate GoodRateExcludingDefaults(const Tally& t) {
  long good_defaults = 0;
  for (Level l : kAllLevels) good_defaults += IsGood(l) ? t.DefaultCount(l) : 0;
  return {GoodCount(t) - good_defaults, t.Total() - t.Defaults()};
}

CaseFacts CaseFactsOf(const CaseState& s, Date today) {
  CaseFacts c;
  c.excluded = s.excluded_from_statistics;
  c.valid_bad = s.valid_bad;
  c.rectified = s.rectified_on_time.has_value();
  c.rectified_on_time = s.rectified_on_time.value_or(false);
  c.closed_invalid = s.status == CaseStatus::Closed && s.resolution == CaseResolution::Invalid;
  c.overdue = Overdue(s, today).value_or(false);
  return c;
}

void CaseTally::Add(const CaseFacts& c) {
  if (c.excluded) {
    ++excluded_;
    return;
  }
  valid_bad_ += c.valid_bad;
  rectified_ += c.rectified;
  rectified_on_time_ += c.rectified_on_time;
  closed_invalid_ += c.closed_invalid;
  overdue_ += c.overdue;
}

void CaseTally::Add(const CaseFacts& c, long count) {
  if (c.excluded) {
    excluded_ += count;
    return;
  }
  valid_bad_ += c.valid_bad ? count : 0;
  rectified_ += c.rectified ? count : 0;
  rectified_on_time_ += c.rectified_on_time ? count : 0;
  closed_invalid_ += c.closed_invalid ? count : 0;
  overdue_ += c.overdue ? count : 0;
}

void CaseTally::Merge(const CaseTally& o) {
  valid_bad_ += o.valid_bad_;
  rectified_ += o.rectified_;
  rectified_on_time_ += o.rectified_on_time_;
  closed_invalid_ += o.closed_invalid_;
  overdue_ += o.overdue_;
  excluded_ += o.excluded_;
}

Rate RectificationRate(const CaseTally& t) { return {t.Rectified(), t.ValidBad()}; }
Rate OnTimeRate(const CaseTally& t) { return {t.RectifiedOnTime(), t.Rectified()}; }

}  // namespace hcp
