#include "report_api.h"

#include "audit.h"
#include "hcp/period.h"
#include "hcp/sampling.h"
#include "hcp/wire.h"
#include "http_errors.h"
#include "survey_sample.h"

namespace hcp::central {
namespace {

using server::SendError;
using server::SendErrors;

bool IsOffice(const Actor& a) { return a.role == kRoleReviewer || a.role == kRoleAdmin; }

// Every signed-in role reads; anything else is refused.
Result<Actor> Reader(const ActorResolver& who, const httplib::Request& req) {
  auto actor = who(req);
  if (!actor) return actor.errors();
  if (!IsKnownRole(actor->role)) return MakeError("auth.forbidden", "role", actor->role);
  return actor;
}

void SendJson(httplib::Response& res, const Json& j, int status = 200) {
  res.status = status;
  res.set_content(Dump(j), "application/json; charset=utf-8");
}

}  // namespace

ReportApi::ReportApi(CentralStore& store, ActorResolver who, const WorkingCalendar& calendar, CaseLimits limits,
                     std::function<int64_t()> now_ms, std::optional<SealKeyPair> seal)
    : store_(store), who_(std::move(who)), calendar_(calendar), limits_(limits), now_ms_(std::move(now_ms)) {
  if (seal) unsealer_.emplace(*seal);
}

void ReportApi::Mount(httplib::Server& server) {
  server.Get("/api/v1/reports", [this](const httplib::Request& req, httplib::Response& res) { HandleList(req, res); });
  server.Get(R"(/api/v1/reports/(monthly|annual)/([0-9]{4}(?:-[0-9]{2})?))",
             [this](const httplib::Request& req, httplib::Response& res) { HandleReport(req, res); });
  server.Get("/api/v1/samples", [this](const httplib::Request& req, httplib::Response& res) { HandleSamples(req, res); });
  server.Post("/api/v1/samples", [this](const httplib::Request& req, httplib::Response& res) { HandleDraw(req, res); });
  server.Get(R"(/api/v1/samples/([0-9]{4}-[0-9]{2})/([0-9]{1,20}))",
             [this](const httplib::Request& req, httplib::Response& res) { HandleSample(req, res); });
  server.Post(R"(/api/v1/samples/([0-9]{4}-[0-9]{2})/([0-9]{1,20})/tasks/([0-9]{1,7})/contact)",
              [this](const httplib::Request& req, httplib::Response& res) { HandleContact(req, res); });
}

std::string ReportApi::RouteOf(const std::string& path) {
  if (path == "/api/v1/reports" || path == "/api/v1/samples") return path;
  if (path.rfind("/api/v1/reports/", 0) == 0) return "/api/v1/reports/*";
  if (path.rfind("/api/v1/samples/", 0) == 0)
    return path.find("/contact") != std::string::npos ? "/api/v1/samples/*/tasks/*/contact" : "/api/v1/samples/*";
  return "";
}

void ReportApi::HandleList(const httplib::Request& req, httplib::Response& res) {
  auto who = Reader(who_, req);
  if (!who) return SendErrors(res, who.errors());
  auto reports = store_.ListReports();
  if (!reports) return SendErrors(res, reports.errors());
  Json list = Json::array();
  for (const auto& r : *reports)
    list.push_back(Json{{"kind", r.kind}, {"period", r.period}, {"as_of", r.as_of}, {"created_at_ms", r.created_at_ms},
                        {"formats", Json::array({"html", "csv", "json"})}});
  SendJson(res, Json{{"reports", list}});
}

void ReportApi::HandleReport(const httplib::Request& req, httplib::Response& res) {
  auto who = Reader(who_, req);
  if (!who) return SendErrors(res, who.errors());
  const std::string kind = req.matches[1], period = req.matches[2];
  const std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
  if (format != "html" && format != "csv" && format != "json")
    return SendError(res, MakeError("report.format_unknown", "format", format.substr(0, 16)));
  auto found = store_.FindReport(kind, period);
  if (!found) return SendErrors(res, found.errors());
  if (!*found) return SendError(res, MakeError("report.not_found", "period", kind + " " + period));
  const StoredReport& r = **found;
  if (format == "html") {
    // The back office opens it in a tab of its own origin: the stored page needs its inline style
    // and nothing else (no script, no fetch, no frame), whatever text a report may carry.
    res.set_header("Content-Security-Policy",
                   "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; "
                   "base-uri 'none'; form-action 'none'");
    return res.set_content(r.html, "text/html; charset=utf-8");
  }
  if (format == "json") return res.set_content(r.json, "application/json; charset=utf-8");
  res.set_header("Content-Disposition", "attachment; filename=\"report-" + kind + "-" + period + ".csv\"");
  res.set_content(r.csv, "text/csv; charset=utf-8");
}

void ReportApi::HandleSamples(const httplib::Request& req, httplib::Response& res) {
  auto who = Reader(who_, req);
  if (!who) return SendErrors(res, who.errors());
  auto samples = store_.ListSamples();
  if (!samples) return SendErrors(res, samples.errors());
  Json list = Json::array();
  for (const auto& s : *samples)
    list.push_back(Json{{"month", s.month}, {"seed", s.seed}, {"size", s.size}, {"population", s.population},
                        {"created_by", s.created_by}, {"created_at_ms", s.created_at_ms}});
  SendJson(res, Json{{"samples", list}});
}

void ReportApi::HandleDraw(const httplib::Request& req, httplib::Response& res) {
  auto who = who_(req);  // a POST: the session and its CSRF token
  if (!who) return SendErrors(res, who.errors());
  if (!IsOffice(*who)) return SendError(res, MakeError("auth.forbidden", "role", "samples are drawn by the office"));
  auto body = ParseJson(req.body);
  if (!body) return SendErrors(res, body.errors());
  if (!body->is_object()) return SendError(res, MakeError("request.not_object"));
  Errors errors;
  SampleRequest request;
  request.by = who->user;
  for (const auto& [key, value] : body->items())
    if (key != "month" && key != "size" && key != "seed") errors.push_back(MakeError("request.unknown_field", key.substr(0, 40)));
  const Json month = body->value("month", Json());
  auto period = ParseMonth(month.is_string() ? month.get<std::string>() : "", "month");
  if (!period) errors.insert(errors.end(), period.errors().begin(), period.errors().end());
  else request.month = *period;
  const Json size = body->value("size", Json());
  if (!size.is_number_integer() || size.get<int64_t>() < 1 || size.get<int64_t>() > kMaxSampleSize)
    errors.push_back(MakeError("sampling.size_invalid", "size", size.dump().substr(0, 24)));
  else request.size = size.get<long>();
  // The seed as a string: JSON numbers above 2^53 do not survive every client.
  const Json seed = body->value("seed", Json());
  auto parsed_seed = ParseSeed(seed.is_string() ? seed.get<std::string>() : "");
  if (!parsed_seed) errors.push_back(MakeError("sampling.seed_invalid", "seed", seed.dump().substr(0, 24)));
  else request.seed = *parsed_seed;
  if (!errors.empty()) return SendErrors(res, errors);
  auto outcome = DrawSurveySample(store_, request, calendar_, limits_, now_ms_());
  if (!outcome) return SendErrors(res, outcome.errors());
  if (outcome->created) {
    const std::string object = "sample:" + outcome->sample.month + "/" + outcome->sample.seed;
    auto audited = Audit(store_, *who, "sample.draw", object, "",
                         Dump(Json{{"size", outcome->sample.size}, {"tasks", outcome->tasks.size()}}));
    if (!audited) return SendErrors(res, audited.errors());
  }
  SendJson(res, SurveySampleToJson(*outcome), outcome->created ? 201 : 200);
}

void ReportApi::HandleSample(const httplib::Request& req, httplib::Response& res) {
  auto who = Reader(who_, req);
  if (!who) return SendErrors(res, who.errors());
  // A handler sees its own unit's tasks only.
  const std::string unit = who->role == kRoleHandler ? who->unit : req.get_param_value("unit");
  if (who->role == kRoleHandler && unit.empty()) return SendError(res, MakeError("auth.forbidden", "unit"));
  auto sample = LoadSurveySample(store_, req.matches[1], req.matches[2], unit);
  if (!sample) return SendErrors(res, sample.errors());
  if (!*sample) return SendError(res, MakeError("report.not_found", "sample", std::string(req.matches[1])));
  SendJson(res, SurveySampleToJson(**sample));
}

void ReportApi::HandleContact(const httplib::Request& req, httplib::Response& res) {
  auto who = who_(req);  // a POST: the session and its CSRF token
  if (!who) return SendErrors(res, who.errors());
  if (who->role != kRoleHandler)
    return SendError(res, MakeError("auth.forbidden", "contact", "联系方式仅提供给被抽样单位的经办人"));
  const std::string month = req.matches[1], seed = req.matches[2];
  const int position = std::atoi(std::string(req.matches[3]).c_str());
  auto tasks = store_.SurveyTasks(month, seed, who->unit);
  if (!tasks) return SendErrors(res, tasks.errors());
  const SurveyTask* task = nullptr;
  for (const auto& t : *tasks)
    if (t.position == position) task = &t;
  // Another unit's task and no such task answer alike: nothing is told about other units.
  if (!task) return SendError(res, MakeError("report.not_found", "task", std::to_string(position)));
  if (!unsealer_) return SendError(res, MakeError("contact.none", "task", "the centre has no seal key"));
  const std::string object = "sample:" + month + "/" + seed + "/" + std::to_string(position);
  // Audited first: a contact that cannot be audited is not opened (ContactFor logs it too).
  auto audited = Audit(store_, *who, "contact.open", object, "", R"({"purpose":"survey"})");
  if (!audited) return SendErrors(res, audited.errors());
  auto contact = unsealer_->ContactFor(store_, task->case_id, task->assess, ContactPurpose::Survey, who->user);
  if (!contact) return SendErrors(res, contact.errors());
  SendJson(res, Json{{"month", month}, {"seed", seed}, {"position", position}, {"case", task->case_id},
                     {"assess", task->assess}, {"purpose", "survey"}, {"contact", *contact}});
}

}  // namespace hcp::central
