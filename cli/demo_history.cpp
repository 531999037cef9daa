#include "demo_history.h"

#include <random>

#include "access.h"
#include "centre_day.h"
#include "closed_loop.h"
#include "hcp/wire.h"

namespace hcp::cli {
namespace {

constexpr int kDays = 120;  // the history covers the last four months

// What citizens wrote, with the kind of personal data the page must mask (numbers are made up).
constexpr const char* kBadComments[] = {
    "【演示】排队一个多小时，窗口只开了一个，电话13912345678打了也没人接。",
    "【演示】材料清单和网上写的不一致，来回跑了两趟，我的邮箱demo.citizen@example.com 没收到通知。",
    "【演示】工作人员态度不好，车牌浙A12345 在停车场等了很久。",
    "【演示】系统一直报错，身份证号330102199001011234 填了三次都不行。",
};
constexpr const char* kGoodComments[] = {"【演示】办得很快，谢谢！", "【演示】工作人员很耐心。", "【演示】一次就办好了。"};

Date Earliest(Date a, Date b) { return b < a ? b : a; }

}  // namespace

Result<int> SeedDemoHistory(central::CentralStore& store, const WorkingCalendar& calendar, const CaseLimits& limits,
                            const std::string& edge_kid, const std::string& issuer_kid,
                            const std::vector<DemoHistoryUnit>& units, int64_t now_ms) {
  auto summary = store.StatsSummary();
  if (!summary) return summary.errors();
  if (summary->all.Total() > 0 || summary->rejected > 0) return 0;  // not a fresh demo: leave it

  const Date today = central::CentreDay(now_ms);
  std::mt19937 random(2026);  // the same history on every fresh demo
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  std::vector<central::RelayedRating> batch;
  struct Bad {
    std::string case_id, unit;
    Date day;
  };
  std::vector<Bad> bad;
  int n = 0;
  for (const DemoHistoryUnit& u : units) {
    for (int i = 0; i < u.ratings; ++i) {
      ++n;
      const Date day = today.AddDays(-1 - pick(kDays));
      const int roll = pick(100);
      // Mostly good, as in the field: 60 % 非常满意, 25 % 满意, 9 % 基本满意, 6 % bad.
      const int satisfaction = roll < 60 ? 5 : roll < 85 ? 4 : roll < 94 ? 3 : roll < 97 ? 2 : 1;
      const bool in_hall = pick(3) != 0;  // a third rate online, the rest in the hall
      const std::string channel = in_hall ? (pick(2) ? "qr" : "tablet") : (pick(2) ? "pc" : "mobile");
      central::RelayedRating r;
      r.id = "demo-hist-" + std::to_string(n);
      r.case_id = "DEMO-HIST-" + std::to_string(n);
      r.kid = issuer_kid;
      r.unit = u.unit;
      r.unit_name = u.unit_name;
      r.channel = channel;
      r.satisfaction = satisfaction;
      r.day = day.ToString();
      r.received_at_ms = now_ms - static_cast<int64_t>(today.DayNumber() - day.DayNumber()) * 86400000;
      Json claims = {{"case", r.case_id}, {"assess", 1}, {"item", u.item}, {"item_name", u.item_name},
                     {"unit", u.unit}, {"unit_name", u.unit_name}, {"area", "330100"}, {"channel", channel},
                     {"evaluator", {{"sub", "demo-hist-" + std::to_string(n)}, {"kind", "person"}, {"name", "王*"}}}};
      if (in_hall) claims["window"] = u.window;
      Json rating = {{"satisfaction", satisfaction}};
      if (satisfaction <= 2) {
        r.comment = kBadComments[pick(static_cast<int>(std::size(kBadComments)))];
        rating["comment"] = r.comment;
        rating["reasons"] = Json::array({"203"});
        rating["public"] = pick(3) != 0;  // most allow publishing
        bad.push_back({r.case_id, u.unit, day});
      } else if (pick(5) == 0) {
        r.comment = kGoodComments[pick(static_cast<int>(std::size(kGoodComments)))];
        rating["comment"] = r.comment;
      }
      r.claims_json = Dump(claims);
      r.rating_json = Dump(rating);
      batch.push_back(std::move(r));
    }
  }
  auto stored = store.Ingest(edge_kid, batch);
  if (!stored) return stored.errors();

  // The closed loop, as the unit and the office would have worked: cases older than two weeks
  // are closed (every fifth found untrue), the newer ones are still being handled.
  central::ClosedLoop loop(store, calendar, limits);
  const central::Actor office{"demo-office", std::string(central::kRoleReviewer), ""};
  int k = 0;
  for (const Bad& b : bad) {
    if (today.DayNumber() - b.day.DayNumber() < 14) continue;
    const central::Actor unit{"demo-unit", std::string(central::kRoleHandler), b.unit};
    auto on = [&](int working_days) {
      auto d = calendar.AddWorkingDays(b.day, working_days);
      return Earliest(d ? d->value : b.day.AddDays(working_days), today);
    };
    const bool invalid = ++k % 5 == 0;
    std::vector<std::tuple<const central::Actor*, const char*, CaseFields, Date>> steps;
    if (invalid) {
      steps = {{&unit, "return_visit", {{"method", "phone"}, {"outcome", "invalid"}}, on(1)},
               {&unit, "report", {{"report", "【演示】经核实，当日窗口正常开放，评价与事实不符。"}}, on(3)},
               {&office, "review", {{"decision", "approve"}}, on(5)}};
    } else {
      steps = {{&unit, "return_visit", {{"method", "phone"}, {"outcome", "valid"}, {"complex", "false"}}, on(1)},
               {&unit, "rectify", {{"result", "【演示】已增开窗口并更新办事指南，联系电话0571-12345678。"}}, on(2 + k % 8)},
               {&unit, "confirm", {{"method", "sms"}}, on(3 + k % 8)}};
    }
    for (const auto& [who, action, fields, date] : steps) {
      auto acted = loop.Act(*who, b.case_id, 1, action, fields, date, now_ms);
      if (!acted) return acted.errors();
    }
  }
  return static_cast<int>(batch.size());
}

}  // namespace hcp::cli
