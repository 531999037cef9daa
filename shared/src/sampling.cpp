#include "hcp/sampling.h"

#include <algorithm>
#include <map>
#include <utility>

#include "hcp/csv.h"

namespace hcp {
namespace {

uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

uint64_t SplitMix64::Next() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Xoshiro256::Xoshiro256(uint64_t seed) {
  SplitMix64 sm(seed);
  for (auto& s : s_) s = sm.Next();
}

uint64_t Xoshiro256::Next() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

uint64_t Xoshiro256::Below(uint64_t bound) {
  // 2^64 mod bound, computed in 64 bits: (2^64 - bound) mod bound.
  const uint64_t threshold = (0 - bound) % bound;
  for (;;) {
    const uint64_t x = Next();
    if (x >= threshold) return x % bound;
  }
}

Result<uint64_t> ParseSeed(std::string_view text) {
  if (text.empty() || text.size() > 20) return MakeError("sampling.seed_invalid", "seed", text.substr(0, 24));
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return MakeError("sampling.seed_invalid", "seed", text.substr(0, 24));
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return MakeError("sampling.seed_invalid", "seed", text);
    v = v * 10 + d;
  }
  return v;
}

Result<EvaluatorSample> DrawSample(std::span<const RatingRecord> records, const Period& period,
                                   const SampleOptions& options) {
  if (options.size < 1 || options.size > kMaxSampleSize)
    return MakeError("sampling.size_invalid", "size", std::to_string(options.size));

  struct Member {
    std::string rating_id;
    Date on;
    int second = 0;
  };
  struct Unit {
    std::string name;
    std::map<std::string, Member> evaluators;  // ordered by id: the frame is sorted before drawing
  };
  std::map<std::string, Unit> units;  // ordered by unit key
  for (const RatingRecord& r : records) {
    if (!period.Contains(r.assessed_on) || r.appeal_upheld || r.evaluator_id.empty()) continue;
    if (r.is_default && !options.include_defaults) continue;
    Unit& u = units[r.unit];
    if (u.name.empty()) u.name = r.unit_name;
    auto [it, fresh] = u.evaluators.try_emplace(r.evaluator_id, Member{r.id, r.assessed_on, r.assessed_second});
    Member& m = it->second;
    const auto key = std::tie(r.assessed_on, r.assessed_second, r.id);
    if (!fresh && key < std::tie(m.on, m.second, m.rating_id)) m = {r.id, r.assessed_on, r.assessed_second};
  }

  EvaluatorSample out;
  out.period = period;
  out.seed = options.seed;
  for (const auto& [key, u] : units) {
    out.strata.push_back({key, u.name, static_cast<long>(u.evaluators.size()), 0});
    out.population += static_cast<long>(u.evaluators.size());
  }
  const uint64_t total = static_cast<uint64_t>(out.population);
  const uint64_t n = std::min<uint64_t>(static_cast<uint64_t>(options.size), total);
  if (n == 0) return out;  // nobody rated: an empty sample, not an error

  // Largest remainder (Hamilton): each stratum gets floor(n·N_h/N); the seats left go to the
  // largest remainders n·N_h mod N, ties to the larger stratum, then the smaller unit key.
  std::vector<uint64_t> remainder(out.strata.size());
  uint64_t given = 0;
  for (size_t h = 0; h < out.strata.size(); ++h) {
    const uint64_t q = n * static_cast<uint64_t>(out.strata[h].population);
    out.strata[h].allocated = static_cast<long>(q / total);
    remainder[h] = q % total;
    given += q / total;
  }
  std::vector<size_t> order(out.strata.size());
  for (size_t h = 0; h < order.size(); ++h) order[h] = h;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (remainder[a] != remainder[b]) return remainder[a] > remainder[b];
    return out.strata[a].population > out.strata[b].population;  // stable: unit key order otherwise
  });
  for (size_t i = 0; given < n; ++i, ++given) ++out.strata[order[i]].allocated;

  // One generator for the whole draw, strata in unit order; a partial Fisher–Yates shuffle over the
  // sorted frame picks each stratum's evaluators.
  Xoshiro256 rng(options.seed);
  for (const Stratum& s : out.strata) {
    const Unit& u = units[s.unit];
    std::vector<std::pair<const std::string*, const Member*>> frame;
    for (const auto& [id, m] : u.evaluators) frame.emplace_back(&id, &m);
    for (long j = 0; j < s.allocated; ++j) {
      const uint64_t left = frame.size() - static_cast<uint64_t>(j);
      const size_t r = static_cast<size_t>(j) + static_cast<size_t>(rng.Below(left));
      std::swap(frame[static_cast<size_t>(j)], frame[r]);
      out.picked.push_back({s.unit, s.unit_name, *frame[static_cast<size_t>(j)].first,
                            frame[static_cast<size_t>(j)].second->rating_id});
    }
  }
  return out;
}

Json SampleToJson(const EvaluatorSample& s) {
  Json strata = Json::array();
  for (const auto& h : s.strata)
    strata.push_back({{"unit", h.unit}, {"unit_name", h.unit_name}, {"population", h.population}, {"allocated", h.allocated}});
  Json picked = Json::array();
  for (const auto& p : s.picked)
    picked.push_back({{"unit", p.unit}, {"unit_name", p.unit_name}, {"evaluator", p.evaluator_id}, {"rating", p.rating_id}});
  // The seed as a string: JSON numbers above 2^53 lose digits in JavaScript.
  return Json{{"period", {{"from", s.period.first.ToString()}, {"to", s.period.last.ToString()}}},
              {"seed", std::to_string(s.seed)},
              {"population", s.population},
              {"size", static_cast<long>(s.picked.size())},
              {"method", "stratified by unit, largest-remainder allocation, xoshiro256** seeded by SplitMix64"},
              {"strata", strata},
              {"picked", picked}};
}

std::string SampleToCsv(const EvaluatorSample& s) {
  std::string out(kUtf8Bom);
  out += CsvTextRow({"序号", "单位编码", "单位名称", "评价人", "评价编号"});
  long n = 0;
  for (const auto& p : s.picked)
    out += CsvRow({CsvNumber(std::to_string(++n)), CsvText(p.unit), CsvText(p.unit_name), CsvText(p.evaluator_id),
                   CsvText(p.rating_id)});
  return out;
}

}  // namespace hcp
