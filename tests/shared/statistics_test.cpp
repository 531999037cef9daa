#include "hcp/statistics.h"

#include <gtest/gtest.h>

#include <vector>

namespace hcp {
namespace {

Date D(std::string_view text) {
  auto d = Date::Parse(text);
  EXPECT_TRUE(d.ok()) << text;
  return d ? *d : Date();
}

void AddMany(Tally& t, Level level, int n, bool is_default = false, bool excluded = false) {
  for (int i = 0; i < n; ++i) t.Add({level, is_default, excluded});
}

// 5×非常满意, 3×满意, 1×基本满意 + 2 system defaults, 2×不满意, 1×非常不满意, and one
// 非常不满意 whose appeal was upheld.
Tally Sample() {
  Tally t;
  AddMany(t, Level::VerySatisfied, 5);
  AddMany(t, Level::Satisfied, 3);
  AddMany(t, Level::Basic, 1);
  AddMany(t, Level::Basic, 2, /*is_default=*/true);
  AddMany(t, Level::Dissatisfied, 2);
  AddMany(t, Level::VeryDissatisfied, 1);
  AddMany(t, Level::VeryDissatisfied, 1, false, /*excluded=*/true);
  return t;
}

TEST(Statistics, TallyCountsPerLevelAndKeepsExcludedRatingsApart) {
  const Tally t = Sample();
  EXPECT_EQ(t.Count(Level::VerySatisfied), 5);
  EXPECT_EQ(t.Count(Level::Basic), 3);
  EXPECT_EQ(t.DefaultCount(Level::Basic), 2);
  EXPECT_EQ(t.Count(Level::VeryDissatisfied), 1);
  EXPECT_EQ(t.Total(), 14);
  EXPECT_EQ(t.Defaults(), 2);
  EXPECT_EQ(t.Excluded(), 1);
}

TEST(Statistics, GoodRateCountsSystemDefaultsAsGood) {
  const Tally t = Sample();
  EXPECT_EQ(GoodCount(t), 11);
  EXPECT_EQ(BadCount(t), 3);
  EXPECT_EQ(GoodRate(t), (Rate{11, 14}));
}

TEST(Statistics, GoodRateExcludingDefaultsDropsThemFromBothSides) {
  EXPECT_EQ(GoodRateExcludingDefaults(Sample()), (Rate{9, 12}));
  EXPECT_DOUBLE_EQ(GoodRateExcludingDefaults(Sample()).Value().value(), 0.75);
}

TEST(Statistics, ExcludedRatingIsInNoFigure) {
  Tally t;
  AddMany(t, Level::VeryDissatisfied, 3, false, true);
  EXPECT_EQ(t.Total(), 0);
  EXPECT_EQ(BadCount(t), 0);
  EXPECT_EQ(t.Count(Level::VeryDissatisfied), 0);
  EXPECT_EQ(t.Excluded(), 3);
  EXPECT_EQ(GoodRate(t).Value(), std::nullopt);
}

TEST(Statistics, MergingTalliesEqualsTallyingEverything) {
  Tally a, b;
  AddMany(a, Level::VerySatisfied, 5);
  AddMany(a, Level::Basic, 2, true);
  AddMany(b, Level::Satisfied, 3);
  AddMany(b, Level::Basic, 1);
  AddMany(b, Level::Dissatisfied, 2);
  AddMany(b, Level::VeryDissatisfied, 1);
  AddMany(b, Level::VeryDissatisfied, 1, false, true);
  a.Merge(b);
  const Tally all = Sample();
  for (Level l : kAllLevels) {
    EXPECT_EQ(a.Count(l), all.Count(l));
    EXPECT_EQ(a.DefaultCount(l), all.DefaultCount(l));
  }
  EXPECT_EQ(a.Excluded(), 1);
  EXPECT_EQ(GoodRate(a), GoodRate(all));
}

TEST(Statistics, RateWithoutDenominatorHasNoValueAndSmallSamplesAreSuppressed) {
  EXPECT_EQ((Rate{0, 0}).Value(), std::nullopt);
  EXPECT_DOUBLE_EQ((Rate{0, 4}).Value().value(), 0.0);
  EXPECT_TRUE((Rate{9, 9}).Suppressed(10));
  EXPECT_FALSE((Rate{9, 10}).Suppressed(10));
  EXPECT_TRUE((Rate{0, 0}).Suppressed(1));
}

// ---- cases --------------------------------------------------------------------------------------

CaseState Play(std::vector<CaseEvent> events) {
  // Monday–Friday is enough here: these tests are about counting, not about holidays.
  auto r = Replay(events, {}, WorkingCalendar());
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.errors()[0].id + " " + r.errors()[0].field);
  return r.ok() ? r.value() : CaseState{};
}

CaseEvent Ev(std::string_view date, CaseActor actor, CaseAction action, CaseFields fields = {}) {
  return {D(date), actor, action, std::move(fields)};
}

// Opened Mon 2026-11-02, verified valid on Nov 3: rectification due Nov 17.
std::vector<CaseEvent> Valid(std::vector<CaseEvent> more = {}) {
  std::vector<CaseEvent> ev = {Ev("2026-11-02", CaseActor::System, CaseAction::Open),
                               Ev("2026-11-03", CaseActor::Unit, CaseAction::ReturnVisit,
                                  {{"method", "phone"}, {"outcome", "valid"}})};
  ev.insert(ev.end(), more.begin(), more.end());
  return ev;
}

CaseEvent RectifyOn(std::string_view date) {
  return Ev(date, CaseActor::Unit, CaseAction::Rectify, {{"result", "已整改"}});
}

TEST(Statistics, CaseFactsFollowTheCaseState) {
  const Date today = D("2026-11-20");
  const CaseFacts on_time = CaseFactsOf(Play(Valid({RectifyOn("2026-11-10")})), today);
  EXPECT_TRUE(on_time.valid_bad);
  EXPECT_TRUE(on_time.rectified);
  EXPECT_TRUE(on_time.rectified_on_time);
  EXPECT_FALSE(on_time.overdue);

  const CaseFacts open_late = CaseFactsOf(Play(Valid()), today);
  EXPECT_TRUE(open_late.valid_bad);
  EXPECT_FALSE(open_late.rectified);
  EXPECT_TRUE(open_late.overdue);

  const CaseFacts invalid = CaseFactsOf(
      Play({Ev("2026-11-02", CaseActor::System, CaseAction::Open),
            Ev("2026-11-03", CaseActor::Unit, CaseAction::ReturnVisit, {{"method", "sms"}, {"outcome", "invalid"}}),
            Ev("2026-11-04", CaseActor::Unit, CaseAction::Report, {{"report", "无关"}}),
            Ev("2026-11-05", CaseActor::Office, CaseAction::Review, {{"decision", "approve"}})}),
      today);
  EXPECT_TRUE(invalid.closed_invalid);
  EXPECT_FALSE(invalid.valid_bad);
  EXPECT_FALSE(invalid.overdue);
}

TEST(Statistics, RectificationAndOnTimeRatesOverCases) {
  const Date today = D("2026-11-20");
  CaseTally t;
  t.Add(CaseFactsOf(Play(Valid({RectifyOn("2026-11-10")})), today));  // on time
  t.Add(CaseFactsOf(Play(Valid({RectifyOn("2026-11-18")})), today));  // late
  t.Add(CaseFactsOf(Play(Valid()), today));                          // open, overdue
  t.Add(CaseFactsOf(Play(Valid({Ev("2026-11-04", CaseActor::Unit, CaseAction::Appeal, {{"reason", "恶意差评"}}),
                                Ev("2026-11-05", CaseActor::Office, CaseAction::DecideAppeal, {{"decision", "uphold"}})})),
                    today));  // excluded
  EXPECT_EQ(t.ValidBad(), 3);
  EXPECT_EQ(t.Rectified(), 2);
  EXPECT_EQ(t.RectifiedOnTime(), 1);
  EXPECT_EQ(t.Overdue(), 1);
  EXPECT_EQ(t.ClosedInvalid(), 0);
  EXPECT_EQ(t.Excluded(), 1);
  EXPECT_EQ(RectificationRate(t), (Rate{2, 3}));
  EXPECT_EQ(OnTimeRate(t), (Rate{1, 2}));

  CaseTally more;
  more.Add(CaseFactsOf(Play(Valid({RectifyOn("2026-11-11")})), today));
  t.Merge(more);
  EXPECT_EQ(RectificationRate(t), (Rate{3, 4}));
  EXPECT_EQ(OnTimeRate(t), (Rate{2, 3}));
  EXPECT_EQ(t.Excluded(), 1);
}

TEST(Statistics, NoValidBadRatingsMeansNoRectificationRate) {
  EXPECT_EQ(RectificationRate(CaseTally{}).Value(), std::nullopt);
  EXPECT_EQ(OnTimeRate(CaseTally{}).Value(), std::nullopt);
}

}  // namespace
}  // namespace hcp
