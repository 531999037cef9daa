#pragma once
// Every published figure is defined here, once (MoT 第十三条; SR 第十四条): the back office, the
// public page, the monthly 通报 and the exports all call these, so they never disagree.
// A rating whose appeal was upheld (mistaken or malicious) is in no figure; it is counted apart.
#include <array>
#include <optional>

#include "hcp/case_machine.h"
#include "hcp/date.h"
#include "hcp/level.h"

namespace hcp {

// A fraction kept whole, so tallies merge exactly and callers can show "37/40" as well as 92.5 %.
struct Rate {
  long numerator = 0;
  long denominator = 0;

  std::optional<double> Value() const;  // none when there is nothing to divide by
  // Too few ratings to publish: a small count says little and can point at one citizen.
  bool Suppressed(long min_sample) const { return denominator < min_sample; }
  friend bool operator==(const Rate&, const Rate&) = default;
};

struct RatingFacts {
  Level level = Level::Basic;
  bool is_system_default = false;
  bool excluded = false;  // appeal upheld
};

class Tally {
 public:
  void Add(const RatingFacts& rating);
  // `count` ratings alike at once, for pre-aggregated counts (the public figures' tables).
  void Add(const RatingFacts& rating, long count);
  void Merge(const Tally& other);

  long Count(Level level) const { return by_level_[Index(level)]; }
  long DefaultCount(Level level) const { return defaults_by_level_[Index(level)]; }
  long Total() const;     // counted ratings: system defaults in, excluded ones out
  long Defaults() const;  // system default ratings among Total()
  long Excluded() const { return excluded_; }

 private:
  static size_t Index(Level level) { return static_cast<size_t>(level) - 1; }

  std::array<long, 5> by_level_{};
  std::array<long, 5> defaults_by_level_{};
  long excluded_ = 0;
};

long GoodCount(const Tally& t);  // 好评: 非常满意, 满意, 基本满意
long BadCount(const Tally& t);   // 差评: 不满意, 非常不满意
Rate GoodRate(const Tally& t);   // 好评率, system defaults included: good / total
// Only what citizens actually said: (good - good defaults) / (total - defaults).
Rate GoodRateExcludingDefaults(const Tally& t);

// What one bad-rating case contributes to the figures.
struct CaseFacts {
  bool valid_bad = false;
  bool rectified = false;
  bool rectified_on_time = false;
  bool closed_invalid = false;
  bool overdue = false;
  bool excluded = false;  // appeal upheld: counted apart, in no other figure
};
CaseFacts CaseFactsOf(const CaseState& state, Date today);

class CaseTally {
 public:
  void Add(const CaseFacts& c);
  void Add(const CaseFacts& c, long count);  // `count` cases alike at once
  void Merge(const CaseTally& other);

  long ValidBad() const { return valid_bad_; }
  long Rectified() const { return rectified_; }
  long RectifiedOnTime() const { return rectified_on_time_; }
  long ClosedInvalid() const { return closed_invalid_; }
  long Overdue() const { return overdue_; }
  long Excluded() const { return excluded_; }

 private:
  long valid_bad_ = 0;
  long rectified_ = 0;
  long rectified_on_time_ = 0;
  long closed_invalid_ = 0;
  long overdue_ = 0;
  long excluded_ = 0;
};

Rate RectificationRate(const CaseTally& t);  // 整改率: rectified / valid bad ratings
Rate OnTimeRate(const CaseTally& t);         // 按时整改率: rectified on time / rectified

}  // namespace hcp
