#include "scheduler.h"

#include <algorithm>

#include "centre_day.h"
#include "hcp/channel.h"
#include "hcp/level.h"
#include "hcp/wire.h"
#include "webhook_event.h"

namespace hcp::central {
namespace {

void AddYears(std::vector<int>& into, const std::vector<int>& years) {
  for (int y : years)
    if (std::find(into.begin(), into.end(), y) == into.end()) into.push_back(y);
  std::sort(into.begin(), into.end());
}

}  // namespace

std::string DefaultRatingId(const std::string& case_id, int assess) {
  return "default:" + case_id + ":" + std::to_string(assess);
}

Result<DailyCounts> Scheduler::RunDaily(Date today, int64_t now_ms) {
  if (Errors bad = ValidateDefaultRatingRule(rule_); !bad.empty()) return bad;
  DailyCounts counts;

  // Default ratings. N working days after the finish are at least N calendar days, so only cases
  // finished more than N days before today (00:00 China time) can be due: the store's pre-filter.
  const int64_t day_start_unix = (today.AddDays(-rule_.days).DayNumber() * 86400LL) - 8LL * 3600;
  auto unrated = store_.UnratedCases(day_start_unix);
  if (!unrated) return unrated.errors();
  const int satisfaction = ToCode(kDefaultRatingLevel, CodeDirection::Deployed);
  for (const auto& c : *unrated) {
    const Date finished = CentreDay(c.finished_at_unix * 1000);
    auto applies = DefaultRatingApplies(finished, today, false, rule_, calendar_);
    if (!applies) return applies.errors();
    AddYears(counts.assumed_years, applies->assumed_years);
    if (!applies->value) continue;
    RelayedRating r;
    r.id = DefaultRatingId(c.case_id, c.assess);
    r.case_id = c.case_id;
    r.assess = c.assess;
    r.kid = "";
    r.claims_json = c.body;  // the case as reported: what the rating is about
    r.rating_json = Dump(Json{{"satisfaction", satisfaction}, {"default", true}, {"finished", finished.ToString()},
                              {"given_on", today.ToString()}});
    r.satisfaction = satisfaction;
    r.received_at_ms = now_ms;
    r.unit = c.unit;
    r.unit_name = c.unit_name;
    r.channel = std::string(ChannelKey(Channel::SystemDefault));  // 系统默认评价 (code 7 in the Zhejiang table)
    auto stored = store_.StoreDefaultRating(r);
    if (!stored) return stored.errors();
    if (*stored) ++counts.defaults_given;
  }

  // Overdue handling deadlines: each deadline goes to the office once.
  auto overdue = loop_.Overdue(today);
  if (!overdue) return overdue.errors();
  for (const auto& v : *overdue) {
    ++counts.overdue;
    // The unit's own system hears of it too, when it has a webhook (docs/notifications.md).
    auto escalated = store_.Escalate(v.record.case_id, v.record.assess, v.state.due->ToString(), today.ToString(),
                                     {CaseEscalatedEvent(v.record, v.state, today, now_ms)});
    if (!escalated) return escalated.errors();
    if (*escalated) ++counts.escalated;
  }
  return counts;
}

}  // namespace hcp::central
