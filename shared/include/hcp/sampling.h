#pragma once
// Random sampling of evaluators for return-visit surveys (MoT 第十六条: 随机抽取评价人开展回访调查),
// stratified by unit with proportional allocation. The same seed must give the same sample on every
// platform and compiler (the CLI natively, the browser as WASM, and a statistician re-running it
// years later), so nothing here uses std:: distributions or engines, whose output the standard
// leaves to the implementation: our own generator, our own integer-range mapping, integer-only
// allocation.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hcp/period.h"
#include "hcp/rating_record.h"
#include "hcp/result.h"
#include "hcp/wire.h"

namespace hcp {

// SplitMix64 (Steele, Lea, Flood 2014), used to expand a 64-bit seed into generator state.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next();

 private:
  uint64_t state_;
};

// xoshiro256** 1.0 (Blackman, Vigna 2018), seeded with four SplitMix64 outputs as its authors advise.
class Xoshiro256 {
 public:
  explicit Xoshiro256(uint64_t seed);
  uint64_t Next();
  // Uniform in [0, bound), bound > 0, without modulo bias: draws below 2^64 mod bound are
  // rejected, so every remainder is equally likely.
  uint64_t Below(uint64_t bound);

 private:
  uint64_t s_[4];
};

struct SampleOptions {
  long size = 0;
  uint64_t seed = 0;
  // System default ratings have an evaluator who never rated; they are not asked by default.
  bool include_defaults = false;
};
inline constexpr long kMaxSampleSize = 1000000;

// "0".."18446744073709551615" in decimal; `sampling.seed_invalid` otherwise.
Result<uint64_t> ParseSeed(std::string_view text);

struct Stratum {
  std::string unit;
  std::string unit_name;
  long population = 0;  // distinct evaluators of the unit in the period
  long allocated = 0;
};

struct SampledEvaluator {
  std::string unit;
  std::string unit_name;
  std::string evaluator_id;
  std::string rating_id;  // the evaluator's rating of this unit to ask about (earliest in the period)
};

struct EvaluatorSample {
  Period period;
  uint64_t seed = 0;
  long population = 0;
  std::vector<Stratum> strata;            // ordered by unit key
  std::vector<SampledEvaluator> picked;   // strata in unit order, each in draw order
};

// The population is every distinct (unit, evaluator) pair with a counted rating in the period
// (appeal-upheld ratings and anonymous ratings are not in it). Sizes above the population take
// everyone. `sampling.size_invalid` for a size below 1 or above kMaxSampleSize.
// The algorithm, step by step, is in docs/reports.md; tests/shared/golden/sampling_reference.py
// re-implements it independently.
Result<EvaluatorSample> DrawSample(std::span<const RatingRecord> records, const Period& period,
                                   const SampleOptions& options);

// For `hcp sample`: the parameters (so the draw can be repeated), the strata and the picks.
Json SampleToJson(const EvaluatorSample& sample);
// One row per pick, in draw order: 序号, 单位编码, 单位名称, 评价人, 评价编号 (see csv.h).
std::string SampleToCsv(const EvaluatorSample& sample);

}  // namespace hcp
