#include "hcp/sampling.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <set>

#include "report_fixture.h"

namespace hcp {
namespace {

using testing::D;

// Expected values come from tests/shared/golden/sampling_reference.py, an independent Python
// implementation; the SplitMix64 vector is also the one published with the algorithm.
TEST(Sampling, SplitMix64MatchesThePublishedVector) {
  SplitMix64 sm(1234567);
  EXPECT_EQ(sm.Next(), 6457827717110365317ULL);
  EXPECT_EQ(sm.Next(), 3203168211198807973ULL);
  EXPECT_EQ(sm.Next(), 9817491932198370423ULL);
  EXPECT_EQ(sm.Next(), 4593380528125082431ULL);
  EXPECT_EQ(sm.Next(), 16408922859458223821ULL);
}

TEST(Sampling, Xoshiro256StarStarSeededBySplitMix) {
  Xoshiro256 x(0);
  EXPECT_EQ(x.Next(), 11091344671253066420ULL);
  EXPECT_EQ(x.Next(), 13793997310169335082ULL);
  EXPECT_EQ(x.Next(), 1900383378846508768ULL);
  EXPECT_EQ(x.Next(), 7684712102626143532ULL);
}

TEST(Sampling, BelowMapsToTheRangeLikeTheReference) {
  Xoshiro256 x(42);
  const uint64_t expected[] = {2, 2, 9, 3, 6, 4, 4, 7};
  for (uint64_t e : expected) EXPECT_EQ(x.Below(10), e);
  Xoshiro256 y(5);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(y.Below(1), 0u);
  // A bound just above 2^63 rejects nearly half of all draws; it must still land in range.
  Xoshiro256 z(9);
  const uint64_t big = (1ULL << 63) + 12345;
  for (int i = 0; i < 100; ++i) EXPECT_LT(z.Below(big), big);
}

// Appends rather than "r" + std::string: GCC 12 warns falsely (-Wrestrict) on the latter.
std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts) out += p;
  return out;
}

std::vector<RatingRecord> Frame(const std::vector<std::pair<std::string, std::vector<std::string>>>& units) {
  std::vector<RatingRecord> out;
  int n = 0;
  for (const auto& [unit, evaluators] : units) {
    // Listed in reverse so the test also shows the frame is sorted before drawing.
    for (auto it = evaluators.rbegin(); it != evaluators.rend(); ++it) {
      RatingRecord r;
      r.id = Cat({"r", std::to_string(++n)});
      r.unit = unit;
      r.unit_name = unit + "名称";
      r.level = Level::VerySatisfied;
      r.assessed_on = D("2026-03-10");
      r.evaluator_id = *it;
      out.push_back(r);
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> Picks(const EvaluatorSample& s) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& p : s.picked) out.emplace_back(p.unit, p.evaluator_id);
  return out;
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(Sampling, LargestRemainderAllocationAndTheReferenceDraw) {
  const auto records = Frame({{"UA", {"a1", "a2", "a3", "a4", "a5"}}, {"UB", {"b1", "b2", "b3"}}, {"UC", {"c1", "c2"}}});
  auto s = DrawSample(records, MonthPeriod(2026, 3), {4, 1});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->population, 10);
  ASSERT_EQ(s->strata.size(), 3u);
  // 4·5/10 = 2.0, 4·3/10 = 1.2, 4·2/10 = 0.8: floors 2, 1, 0; the seat left goes to UC (.8).
  EXPECT_EQ(s->strata[0].allocated, 2);
  EXPECT_EQ(s->strata[1].allocated, 1);
  EXPECT_EQ(s->strata[2].allocated, 1);
  EXPECT_EQ(Picks(*s), (Pairs{{"UA", "a3"}, {"UA", "a4"}, {"UB", "b3"}, {"UC", "c2"}}));
  auto t = DrawSample(records, MonthPeriod(2026, 3), {4, 20260331});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(Picks(*t), (Pairs{{"UA", "a3"}, {"UA", "a5"}, {"UB", "b1"}, {"UC", "c1"}}));
}

TEST(Sampling, EncodesForTheCommandLine) {
  const auto records = Frame({{"UA", {"a1", "a2", "a3", "a4", "a5"}}, {"UB", {"b1", "b2", "b3"}}, {"UC", {"c1", "c2"}}});
  auto s = DrawSample(records, MonthPeriod(2026, 3), {4, 18446744073709551615ULL});
  ASSERT_TRUE(s.ok());
  const Json j = SampleToJson(*s);
  EXPECT_EQ(j["seed"], "18446744073709551615");
  EXPECT_EQ(j["population"], 10);
  EXPECT_EQ(j["size"], 4);
  EXPECT_EQ(j["strata"][2]["allocated"], 1);
  EXPECT_EQ(j["picked"].size(), 4u);
  const std::string csv = SampleToCsv(*s);
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBF序号,单位编码,单位名称,评价人,评价编号\r\n1,UA,UA名称,", 0), 0u);
}

TEST(Sampling, EqualRemaindersGoToTheFirstUnitKey) {
  const auto records = Frame({{"U1", {"x1", "x2"}}, {"U2", {"y1", "y2"}}, {"U3", {"z1", "z2"}}});
  auto s = DrawSample(records, MonthPeriod(2026, 3), {4, 7});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->strata[0].allocated, 2);
  EXPECT_EQ(s->strata[1].allocated, 1);
  EXPECT_EQ(s->strata[2].allocated, 1);
  EXPECT_EQ(Picks(*s), (Pairs{{"U1", "x1"}, {"U1", "x2"}, {"U2", "y1"}, {"U3", "z1"}}));
  // Equal remainders, different sizes: the larger stratum first, even with the later key.
  // 5·1/10 = 0 r 5, 5·3/10 = 1 r 5, 5·6/10 = 3 r 0: the seat left goes to UB, not UA.
  const auto uneven = Frame({{"UA", {"a1"}}, {"UB", {"b1", "b2", "b3"}}, {"UC", {"c1", "c2", "c3", "c4", "c5", "c6"}}});
  auto u = DrawSample(uneven, MonthPeriod(2026, 3), {5, 7});
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->strata[0].allocated, 0);
  EXPECT_EQ(u->strata[1].allocated, 2);
  EXPECT_EQ(u->strata[2].allocated, 3);
}

TEST(Sampling, AllocationSumsToTheSizeAndNeverExceedsAStratum) {
  // Many random frames (drawn with our own generator, so the test is the same everywhere).
  Xoshiro256 gen(2026);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::pair<std::string, std::vector<std::string>>> units;
    const int strata = 1 + static_cast<int>(gen.Below(8));
    long total = 0;
    for (int h = 0; h < strata; ++h) {
      std::vector<std::string> ev;
      const int n = 1 + static_cast<int>(gen.Below(30));
      for (int i = 0; i < n; ++i) ev.push_back(Cat({"e", std::to_string(h), "-", std::to_string(i)}));
      total += n;
      units.emplace_back(Cat({"U", std::to_string(h)}), ev);
    }
    const long size = 1 + static_cast<long>(gen.Below(static_cast<uint64_t>(total) + 10));
    auto s = DrawSample(Frame(units), MonthPeriod(2026, 3), {size, gen.Next()});
    ASSERT_TRUE(s.ok());
    long allocated = 0;
    for (const auto& h : s->strata) {
      EXPECT_LE(h.allocated, h.population);
      // Proportional within one seat: |allocated − size·N_h/N| < 1.
      const long n = std::min(size, total);
      EXPECT_LT(std::abs(h.allocated * total - n * h.population), total);
      allocated += h.allocated;
    }
    EXPECT_EQ(allocated, std::min(size, total));
    std::set<std::pair<std::string, std::string>> distinct;
    for (const auto& p : s->picked) distinct.emplace(p.unit, p.evaluator_id);
    EXPECT_EQ(static_cast<long>(distinct.size()), allocated);  // nobody drawn twice
  }
}

TEST(Sampling, SameSeedSameSampleDifferentSeedUsuallyNot) {
  const auto records = testing::ReportFixture();
  auto a = DrawSample(records, MonthPeriod(2026, 3), {6, 99});
  auto b = DrawSample(records, MonthPeriod(2026, 3), {6, 99});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(Picks(*a), Picks(*b));
  int differ = 0;
  for (uint64_t seed = 100; seed < 110; ++seed) {
    auto c = DrawSample(records, MonthPeriod(2026, 3), {6, seed});
    differ += Picks(*c) != Picks(*a);
  }
  EXPECT_GT(differ, 5);
}

TEST(Sampling, PopulationLeavesOutDefaultsAppealsAnonymousAndOtherMonths) {
  auto records = testing::ReportFixture();
  records[0].evaluator_id.clear();  // r1: anonymous
  auto s = DrawSample(records, MonthPeriod(2026, 3), {1000, 1});
  ASSERT_TRUE(s.ok());
  // March: 20 ratings − r4, r13 (defaults) − r15 (appeal upheld) − r1 (anonymous) = 16.
  EXPECT_EQ(s->population, 16);
  EXPECT_EQ(s->picked.size(), 16u);  // a size above the population takes everyone
  auto with_defaults = DrawSample(records, MonthPeriod(2026, 3), {1000, 1, true});
  EXPECT_EQ(with_defaults->population, 18);
}

TEST(Sampling, OneEvaluatorRatingAUnitTwiceIsOneMemberAskedAboutTheFirstRating) {
  auto records = Frame({{"UA", {"a1"}}});
  RatingRecord again = records[0];
  again.id = "r0";
  again.assessed_on = D("2026-03-02");
  records.push_back(again);
  auto s = DrawSample(records, MonthPeriod(2026, 3), {5, 3});
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->picked.size(), 1u);
  EXPECT_EQ(s->picked[0].rating_id, "r0");
}

TEST(Sampling, SizeAndSeedAreValidated) {
  const auto records = Frame({{"UA", {"a1"}}});
  EXPECT_EQ(DrawSample(records, MonthPeriod(2026, 3), {0, 1}).errors()[0].id, "sampling.size_invalid");
  EXPECT_EQ(DrawSample(records, MonthPeriod(2026, 3), {kMaxSampleSize + 1, 1}).errors()[0].id, "sampling.size_invalid");
  auto empty = DrawSample(records, MonthPeriod(2026, 4), {3, 1});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->picked.empty());
  EXPECT_EQ(ParseSeed("18446744073709551615").value(), 18446744073709551615ULL);
  EXPECT_EQ(ParseSeed("0").value(), 0u);
  EXPECT_EQ(ParseSeed("18446744073709551616").errors()[0].id, "sampling.seed_invalid");
  EXPECT_FALSE(ParseSeed("-1").ok());
  EXPECT_FALSE(ParseSeed("").ok());
  EXPECT_FALSE(ParseSeed("12a").ok());
}

TEST(Period, MonthsParseAndStepBack) {
  EXPECT_EQ(ParseMonth("2026-02").value(), (Period{D("2026-02-01"), D("2026-02-28")}));
  EXPECT_EQ(ParseMonth("2024-02")->last, D("2024-02-29"));
  EXPECT_EQ(PreviousMonth(MonthPeriod(2026, 1)), MonthPeriod(2025, 12));
  EXPECT_EQ(MonthLabel(MonthPeriod(2026, 12)), "2026-12");
  for (const char* bad : {"2026-13", "2026-00", "26-03", "2026/03", "2026-3", ""})
    EXPECT_EQ(ParseMonth(bad).errors()[0].id, "period.invalid") << bad;
}

}  // namespace
}  // namespace hcp
