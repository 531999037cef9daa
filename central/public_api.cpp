#include "public_api.h"

#include <chrono>

#include "centre_day.h"
#include "hcp/case_json.h"
#include "hcp/pii_mask.h"
#include "hcp/public_aggregate.h"
#include "hcp/rating_record.h"
#include "hcp/wire.h"
#include "http_errors.h"
#include "public_tally.h"

namespace hcp::central {
namespace {

Error FilterError(const std::string& field, const std::string& what_zh, const std::string& what_en) {
  return Error{"request.filter_invalid", field, "筛选条件“" + field + "”有误：" + what_zh,
               "Invalid filter " + field + ": " + what_en};
}

// A key as the integrating systems report them: printable ASCII or CJK, no control characters.
bool PlainKey(const std::string& v) {
  if (v.size() > 64) return false;
  for (unsigned char c : v)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

std::string Text(const Json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

Result<CaseState> StateOf(const HandlingCase& c, const CaseLimits& limits, const WorkingCalendar& calendar) {
  Json list = Json::array();
  for (const auto& e : c.events) {
    auto fields = ParseJson(e.fields_json);
    if (!fields) return fields.errors();
    list.push_back(Json{{"date", e.date}, {"actor", e.actor}, {"action", e.action}, {"fields", *fields}});
  }
  auto events = ParseCaseEvents(list);
  if (!events) return events.errors();
  return Replay(*events, limits, calendar);
}

std::string MethodZh(long m) {
  return "好评率 = 好评数（非常满意、满意、基本满意）÷ 评价数，含系统默认评价（办结后 5 个工作日内未评价的，默认为基本满意）；"
         "“不含默认评价”的好评率只计评价人自己作出的评价。整改率 = 已整改的有效差评 ÷ 有效差评；按时整改率 = 按时整改 ÷ 已整改；"
         "办结用时为差评当日之后至办结日的工作日数，取中位数。申诉成立的误评、恶意评价不计入任何数字。"
         "分母少于 " + std::to_string(m) + " 时显示“样本不足”。百分比保留一位小数，四舍五入。";
}

}  // namespace

Result<PublicQuery> ParsePublicQuery(const std::multimap<std::string, std::string>& params, Date today, bool paged,
                                     int max_per_page) {
  PublicQuery q;
  Errors errors;
  std::string period, from, to;
  for (const auto& [name, value] : params) {
    std::string* target = nullptr;
    if (name == "area") target = &q.filter.area;
    else if (name == "unit") target = &q.filter.unit;
    else if (name == "item") target = &q.filter.item;
    else if (name == "hall") target = &q.filter.hall;
    else if (name == "window") target = &q.filter.window;
    else if (name == "period") target = &period;
    else if (name == "from") target = &from;
    else if (name == "to") target = &to;
    if (target) {
      if (!PlainKey(value)) errors.push_back(FilterError(name, "过长或含控制字符", "too long or has control characters"));
      else *target = value;
      continue;
    }
    if (paged && (name == "page" || name == "per_page")) {
      const bool digits = !value.empty() && value.size() <= 6 && value.find_first_not_of("0123456789") == std::string::npos;
      const int n = digits ? std::stoi(value) : 0;
      if (name == "page" && n >= 1) q.page = n;
      else if (name == "per_page" && n >= 1 && n <= max_per_page) q.per_page = n;
      else errors.push_back(FilterError(name, name == "page" ? "应为正整数" : "应为 1 到 " + std::to_string(max_per_page) + " 的整数",
                                        name == "page" ? "a positive whole number" : "1 to " + std::to_string(max_per_page)));
      continue;
    }
    errors.push_back(FilterError(name, "不认识的参数", "unknown parameter"));
  }
  if (!period.empty() && (!from.empty() || !to.empty()))
    errors.push_back(FilterError("period", "不能与 from/to 同时使用", "cannot be combined with from/to"));
  if (!period.empty()) {
    if (period.size() == 7) {
      auto p = ParseMonth(period, "period");
      if (p) q.period = *p;
      else errors.push_back(FilterError("period", "应为 YYYY-MM 或 YYYY", "expected YYYY-MM or YYYY"));
    } else if (period.size() == 4 && period.find_first_not_of("0123456789") == std::string::npos &&
               std::stoi(period) >= 1900 && std::stoi(period) <= 2999) {
      q.period = YearPeriod(std::stoi(period));
    } else {
      errors.push_back(FilterError("period", "应为 YYYY-MM 或 YYYY", "expected YYYY-MM or YYYY"));
    }
  } else {
    q.period = Period{Date(today.year(), 1, 1), today};
    if (!from.empty() || !to.empty()) q.period = Period{Date(1900, 1, 1), today};
    if (!from.empty()) {
      auto d = Date::Parse(from, "from");
      if (d) q.period.first = *d;
      else errors.push_back(FilterError("from", "应为 YYYY-MM-DD", "expected YYYY-MM-DD"));
    }
    if (!to.empty()) {
      auto d = Date::Parse(to, "to");
      if (d) q.period.last = *d;
      else errors.push_back(FilterError("to", "应为 YYYY-MM-DD", "expected YYYY-MM-DD"));
    }
    if (errors.empty() && q.period.last < q.period.first)
      errors.push_back(FilterError("to", "不能早于 from", "before from"));
  }
  if (!errors.empty()) return errors;
  q.filter.from = q.period.first.ToString();
  q.filter.to = q.period.last.ToString();
  return q;
}

PublicApi::PublicApi(CentralStore& store, const WorkingCalendar& calendar, CaseLimits limits,
                     std::function<int64_t()> now_ms, PublicSettings settings)
    : store_(store), calendar_(calendar), limits_(limits), now_ms_(std::move(now_ms)), settings_(settings) {}

Date PublicApi::Today() const {
  const int64_t now = now_ms_ ? now_ms_()
                              : std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::system_clock::now().time_since_epoch()).count();
  return CentreDay(now);
}

Result<int> PublicApi::RefreshStale() {
  auto stale = store_.StalePublicCases();
  if (!stale) return stale.errors();
  int n = 0;
  for (const auto& c : *stale) {
    auto state = StateOf(c, limits_, calendar_);
    if (!state) return state.errors();
    auto opened = Date::Parse(c.events.empty() ? Today().ToString() : c.events.front().date);
    const CaseFigures f = FiguresOf(c.satisfaction, opened ? *opened : Today(), *state, calendar_);
    auto set = store_.SetPublicCaseFigures(c.case_id, c.assess, f);
    if (!set) return set.errors();
    n += *set ? 1 : 0;
  }
  return n;
}

Result<Json> PublicApi::Stats(const PublicQuery& q, int64_t* listed) {
  auto cells = store_.PublicTallies(q.filter);
  if (!cells) return cells.errors();
  if (listed) *listed = cells->listed;
  auto name = [&](const char* kind, const std::string& key) {
    auto k = cells->names.find(kind);
    if (k == cells->names.end()) return key;
    auto n = k->second.find(key);
    return n == k->second.end() ? key : n->second;
  };
  auto hall_name = [&](const std::string& key) {  // configured (public.hall_names), else the key id
    auto n = settings_.hall_names.find(key);
    return n == settings_.hall_names.end() ? name("hall", key) : n->second;
  };
  std::vector<AggregateCell> agg;
  agg.reserve(cells->cells.size());
  for (const PublicCell& c : cells->cells) {
    AggregateCell a{c.unit, name("unit", c.unit), c.hall, hall_name(c.hall), c.window, c.window,
                    c.item, name("item", c.item), {}, {}};
    for (int i = 0; i < 5; ++i) {
      const Level level = static_cast<Level>(i + 1);
      a.tally.Add(RatingFacts{level, false, false}, static_cast<long>(c.levels[i] - c.defaults[i]));
      a.tally.Add(RatingFacts{level, true, false}, static_cast<long>(c.defaults[i]));
    }
    a.tally.Add(RatingFacts{Level::Dissatisfied, false, true}, static_cast<long>(c.upheld));
    a.cases.Add(CaseFacts{false, false, false, false, false, true}, static_cast<long>(c.upheld));
    a.cases.Add(CaseFacts{true, false, false, false, false, false}, static_cast<long>(c.valid_bad));
    a.cases.Add(CaseFacts{false, true, false, false, false, false}, static_cast<long>(c.rectified));
    a.cases.Add(CaseFacts{false, false, true, false, false, false}, static_cast<long>(c.on_time));
    a.cases.Add(CaseFacts{false, false, false, true, false, false}, static_cast<long>(c.closed_invalid));
    agg.push_back(std::move(a));
  }
  std::map<int, long> days;
  for (const auto& [d, n] : cells->close_days) days[d] = static_cast<long>(n);
  PublicOptions o;
  o.min_sample = settings_.min_sample;
  o.hot_items = settings_.hot_items;
  Json j = PublicFiguresToJson(PublicFiguresFromAggregates(agg, days, q.period, Today(), o));
  j["filters"] = Json{{"area", q.filter.area}, {"unit", q.filter.unit}, {"item", q.filter.item},
                      {"hall", q.filter.hall}, {"window", q.filter.window}};
  j["method"] = MethodZh(settings_.min_sample);
  return j;
}

Result<Json> PublicApi::BadRatings(const PublicQuery& q, std::optional<int64_t> total) {
  const int64_t offset = static_cast<int64_t>(q.page - 1) * q.per_page;
  auto page = store_.PublicBadRatings(q.filter, offset, q.per_page, total);
  if (!page) return page.errors();
  std::vector<RatingRecord> records;
  std::map<std::string, std::string> responses;
  for (const PublicBadRow& row : page->rows) {
    RatingRecord r;
    r.id = row.rating_id;
    auto day = Date::Parse(row.day);
    r.assessed_on = day ? *day : q.period.first;
    const auto level = FromCode(row.satisfaction, CodeDirection::Deployed);
    r.level = level ? *level : Level::Dissatisfied;
    r.is_public = true;
    auto claims = ParseJson(row.claims_json);
    const Json c = claims ? *claims : Json::object();
    r.unit_name = Text(c, "unit_name");
    r.item_name = Text(c, "item_name");
    r.window_name = row.window;
    const auto hall = settings_.hall_names.find(row.hall);
    r.hall_name = hall == settings_.hall_names.end() ? row.hall : hall->second;
    if (c.contains("evaluator") && c["evaluator"].is_object()) {
      r.evaluator_name = Text(c["evaluator"], "name");
      auto kind = ParseEvaluatorKind(Text(c["evaluator"], "kind"));
      if (kind) r.evaluator_kind = *kind;
    }
    auto rating = ParseJson(row.rating_json);
    if (rating && rating->is_object()) {
      r.comment = Text(*rating, "comment");
      if (rating->contains("reasons") && (*rating)["reasons"].is_array())
        for (const auto& t : (*rating)["reasons"])
          if (t.is_string()) r.reasons.push_back(t.get<std::string>());
    }
    if (!row.handling.events.empty()) {
      auto state = StateOf(row.handling, limits_, calendar_);
      if (!state) return state.errors();
      ApplyCaseState(r, *state);
      if (r.outcome == BadOutcome::None) r.outcome = BadOutcome::Pending;
      // The unit's response: what it reported as the rectification (整改结果), masked like a comment.
      for (const auto& e : row.handling.events)
        if (e.action == "rectify") {
          auto f = ParseJson(e.fields_json);
          if (f) responses[r.id] = MaskPersonalData(Text(*f, "result"));
        }
    } else {
      r.outcome = BadOutcome::Pending;
    }
    records.push_back(std::move(r));
  }
  Json items = PublishedBadRatingsToJson(PublishBadRatings(records, q.period, Today()));
  for (auto& item : items) {
    auto it = responses.find(item["id"].get<std::string>());
    item["response"] = it == responses.end() ? Json(nullptr) : Json(it->second);
  }
  return Json{{"period", {{"from", q.period.first.ToString()}, {"to", q.period.last.ToString()}}},
              {"total", page->total},
              {"page", q.page},
              {"per_page", q.per_page},
              {"items", std::move(items)}};
}

void PublicApi::Handle(const httplib::Request& req, httplib::Response& res, bool paged,
                       const std::function<Result<Json>(const PublicQuery&)>& answer) {
  auto q = ParsePublicQuery(req.params, Today(), paged, settings_.max_per_page);
  if (!q) {
    res.set_header("Cache-Control", "no-store");
    return server::SendErrors(res, q.errors());
  }
  auto j = answer(*q);
  if (!j) {
    res.set_header("Cache-Control", "no-store");
    return server::SendErrors(res, j.errors());
  }
  // Public and the same for everyone: caches may keep it a minute (the figures move with ingest).
  res.set_header("Cache-Control", "public, max-age=60");
  res.set_header("Access-Control-Allow-Origin", "*");
  res.set_content(Dump(*j), "application/json; charset=utf-8");
}

void PublicApi::HandlePage(const httplib::Request& req, httplib::Response& res) {
  res.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
  // The page's form sends every field, empty or not: empty ones mean "any", and a filled-in 期间
  // wins over the dates (the API, used by programs, refuses the mix instead).
  auto params = req.params;
  for (auto it = params.begin(); it != params.end();) it = it->second.empty() ? params.erase(it) : std::next(it);
  if (params.count("period")) params.erase("from"), params.erase("to");
  auto q = ParsePublicQuery(params, Today(), true, settings_.max_per_page);
  std::string error;
  PublicQuery shown;
  if (q) {
    shown = *q;
  } else {
    for (const auto& e : q.errors()) error += (error.empty() ? "" : "；") + e.message;
    auto fallback = ParsePublicQuery({}, Today(), true, settings_.max_per_page);
    shown = *fallback;
    res.status = 400;
  }
  // The number of published bad ratings comes with the figures (the cells' `listed`): counting
  // them again from public_cases would read every one of the period's (docs/performance.md).
  int64_t listed = 0;
  auto stats = Stats(shown, &listed);
  auto bad = stats ? BadRatings(shown, listed) : Result<Json>(stats.errors());
  if (!stats || !bad) {
    res.status = 503;
    res.set_content("<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>暂不可用</title><p>统计数据暂不可用，请稍后再试。</p>",
                    "text/html; charset=utf-8");
    return;
  }
  res.set_header("Cache-Control", error.empty() ? "public, max-age=60" : "no-store");
  res.set_content(RenderPublicPage(*stats, *bad, shown, error), "text/html; charset=utf-8");
}

void PublicApi::Register(httplib::Server& http) {
  http.Get("/api/v1/public/stats", [this](const httplib::Request& req, httplib::Response& res) {
    Handle(req, res, false, [this](const PublicQuery& q) { return Stats(q); });
  });
  http.Get("/api/v1/public/bad-ratings", [this](const httplib::Request& req, httplib::Response& res) {
    Handle(req, res, true, [this](const PublicQuery& q) { return BadRatings(q); });
  });
  http.Get("/public/", [this](const httplib::Request& req, httplib::Response& res) { HandlePage(req, res); });
  http.Get("/public", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/public/"); });
}

}  // namespace hcp::central
