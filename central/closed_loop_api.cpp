#include "closed_loop_api.h"

#include <cstdlib>

#include "audit.h"
#include "centre_day.h"
#include "hcp/case_json.h"
#include "hcp/pii_mask.h"
#include "hcp/ticket_claims.h"
#include "hcp/wire.h"
#include "http_errors.h"

namespace hcp::central {
namespace {

using server::SendError;
using server::SendErrors;

constexpr size_t kActionBodyMax = 64 * 1024;  // a remark and a report fit many times over
constexpr size_t kSearchMax = 500;            // a page of a search; narrow the filters for more

// "/api/v1/cases/{case}/{assess}/…": the case and a positive assess number, or false.
bool CaseInPath(const httplib::Request& req, std::string& case_id, int& assess) {
  if (req.matches.size() < 3) return false;
  case_id = req.matches[1].str();
  const std::string n = req.matches[2].str();
  if (case_id.empty() || n.empty() || n.size() > 3) return false;
  assess = std::atoi(n.c_str());
  return assess >= 1;
}

Json Bare(const HandlingCase& c) {
  return Json{{"case", c.case_id},   {"assess", c.assess},     {"rating_id", c.rating_id},
              {"unit", c.unit},      {"unit_name", c.unit_name}, {"satisfaction", c.satisfaction}};
}

Json ActionNames(const std::vector<CaseAction>& actions) {
  Json out = Json::array();
  for (auto a : actions) out.push_back(std::string(WireName(a)));
  return out;
}

std::string Opened(const HandlingCase& c) { return c.events.empty() ? "" : c.events.front().date; }

}  // namespace

bool MayOpenContact(const Actor& who, const HandlingView& view) {
  return who.role == kRoleHandler && MaySeeUnit(who, view.record.unit) && view.state.status == CaseStatus::Pushed;
}

ClosedLoopApi::ClosedLoopApi(ClosedLoop& loop, CentralStore& store, ActorResolver who, std::function<int64_t()> now_ms,
                             std::optional<SealKeyPair> seal)
    : loop_(loop), store_(store), who_(std::move(who)), now_ms_(std::move(now_ms)) {
  if (seal) unsealer_.emplace(*seal);
  if (auto catalogue = ReasonCatalogue::Embedded()) reasons_ = std::move(catalogue).value();
}

std::string ClosedLoopApi::RouteOf(const std::string& path) {
  auto ends = [&](std::string_view tail) {
    return path.size() > tail.size() && path.compare(path.size() - tail.size(), tail.size(), tail) == 0;
  };
  if (path.rfind("/api/v1/units/", 0) == 0) {
    if (ends("/cases")) return "/api/v1/units/{unit}/cases";
    if (ends("/suggestions")) return "/api/v1/units/{unit}/suggestions";
  }
  if (path.rfind("/api/v1/cases/", 0) == 0) {
    if (ends("/handling")) return "/api/v1/cases/{case}/{assess}/handling";
    if (ends("/actions")) return "/api/v1/cases/{case}/{assess}/actions";
    if (ends("/contact")) return "/api/v1/cases/{case}/{assess}/contact";
  }
  if (path == "/api/v1/handling") return path;
  for (const char* r : {"/api/v1/office/reviews", "/api/v1/office/appeals", "/api/v1/office/overdue"})
    if (path == r) return r;
  return "";
}

void ClosedLoopApi::Mount(httplib::Server& server) {
  server.Get(R"(/api/v1/units/([^/]+)/cases)", [this](const httplib::Request& req, httplib::Response& res) { HandleTodos(req, res); });
  server.Get(R"(/api/v1/units/([^/]+)/suggestions)",
             [this](const httplib::Request& req, httplib::Response& res) { HandleSuggestions(req, res); });
  server.Get(R"(/api/v1/cases/([^/]+)/([0-9]+)/handling)",
             [this](const httplib::Request& req, httplib::Response& res) { HandleCase(req, res); });
  server.Post(R"(/api/v1/cases/([^/]+)/([0-9]+)/actions)",
              [this](const httplib::Request& req, httplib::Response& res) { HandleAction(req, res); });
  server.Post(R"(/api/v1/cases/([^/]+)/([0-9]+)/contact)",
              [this](const httplib::Request& req, httplib::Response& res) { HandleContact(req, res); });
  server.Get("/api/v1/handling", [this](const httplib::Request& req, httplib::Response& res) {
    HandleSearch(req, res, std::nullopt);
  });
  // The office's queues: the same search with a fixed filter, for office roles only.
  server.Get("/api/v1/office/reviews", [this](const httplib::Request& req, httplib::Response& res) {
    HandleSearch(req, res, CaseQuery{.state = "under_review"});
  });
  server.Get("/api/v1/office/appeals", [this](const httplib::Request& req, httplib::Response& res) {
    HandleSearch(req, res, CaseQuery{.appeal_pending = true});
  });
  server.Get("/api/v1/office/overdue", [this](const httplib::Request& req, httplib::Response& res) {
    HandleSearch(req, res, CaseQuery{.overdue = true});
  });
}

Json ClosedLoopApi::RatingJson(const HandlingCase& record) const {
  Json out = Json::object();
  auto rating_text = store_.RatingText(record.case_id, record.assess);
  if (rating_text && *rating_text) {
    auto rating = ParseJson(**rating_text);
    if (rating && rating->is_object()) {
      Json reasons = Json::array();
      if (rating->contains("reasons") && (*rating)["reasons"].is_array())
        for (const auto& code : (*rating)["reasons"]) {
          if (!code.is_string()) continue;
          const auto* r = reasons_ ? reasons_->Find(code.get<std::string>()) : nullptr;
          reasons.push_back(Json{{"code", code}, {"text", r ? r->zh : code.get<std::string>()}});
        }
      out["reasons"] = std::move(reasons);
      // The comment is the citizen's own text: a phone or ID number typed into it stays masked.
      if (rating->contains("comment") && (*rating)["comment"].is_string())
        out["comment"] = MaskPersonalData((*rating)["comment"].get<std::string>());
    }
  }
  auto claims_text = store_.RatingClaims(record.case_id, record.assess);
  if (claims_text && *claims_text) {
    auto claims_json = ParseJson(**claims_text);
    auto claims = claims_json ? ParseTicketClaims(*claims_json) : Result<TicketClaims>(claims_json.errors());
    if (claims) {
      out["service"] = Json{{"item", claims->item},           {"item_name", claims->item_name},
                            {"area", claims->area},           {"window", claims->window},
                            {"channel", ChannelKey(claims->channel)}, {"finished_at", claims->finished_at}};
      out["evaluator"] = Json{{"kind", EvaluatorKindKey(claims->evaluator.kind)},
                              {"name", MaskName(claims->evaluator.name, claims->evaluator.kind)}};
    }
  }
  return out;
}

Json ClosedLoopApi::ListEntry(const Actor& who, const HandlingView& v, Date today) const {
  Json c = Bare(v.record);
  Json state = CaseStateToJson(v.state, today, loop_.calendar());
  c["state"] = state["state"];
  c["resolution"] = state["resolution"];
  c["deadline"] = state["deadline"];
  c["appeal"] = state["appeal"];
  c["opened"] = Opened(v.record);
  c["allowed_now"] = ActionNames(ClosedLoop::AllowedFor(who, v));
  return c;
}

Json ClosedLoopApi::CaseJson(const Actor& who, const HandlingView& view, Date today) const {
  Json out = Bare(view.record);
  Json handling = CaseStateToJson(view.state, today, loop_.calendar());
  // The history is the case machine's; who took each step and when comes from the store.
  for (size_t i = 0; i < view.record.events.size() && i < handling["history"].size(); ++i) {
    handling["history"][i]["by"] = view.record.events[i].by;
    handling["history"][i]["at_ms"] = view.record.events[i].at_ms;
  }
  out.update(handling);
  out["today"] = today.ToString();
  out["opened"] = Opened(view.record);
  out["allowed_now"] = ActionNames(ClosedLoop::AllowedFor(who, view));
  out["rating"] = RatingJson(view.record);
  // The contact itself only through POST …/contact (logged); here only whether it may be opened now.
  out["contact_now"] = MayOpenContact(who, view) && unsealer_.has_value();
  return out;
}

void ClosedLoopApi::HandleTodos(const httplib::Request& req, httplib::Response& res) {
  auto who = who_(req);
  if (!who) return SendErrors(res, who.errors());
  const std::string unit = req.matches[1].str();
  auto todos = loop_.Todos(*who, unit);
  if (!todos) return SendErrors(res, todos.errors());
  const Date today = CentreDay(now_ms_());
  Json cases = Json::array();
  for (const auto& v : *todos) cases.push_back(ListEntry(*who, v, today));
  res.set_content(Dump(Json{{"unit", unit}, {"today", today.ToString()}, {"cases", std::move(cases)}}),
                  "application/json; charset=utf-8");
}

void ClosedLoopApi::HandleSuggestions(const httplib::Request& req, httplib::Response& res) {
  auto who = who_(req);
  if (!who) return SendErrors(res, who.errors());
  const std::string unit = req.matches[1].str();
  if (!MaySeeUnit(*who, unit)) return SendError(res, MakeError("auth.forbidden", "unit", unit));
  auto inbox = store_.Suggestions(unit);
  if (!inbox) return SendErrors(res, inbox.errors());
  Json items = Json::array();
  for (const auto& s : *inbox)
    items.push_back(Json{{"rating_id", s.rating_id}, {"case", s.case_id},   {"assess", s.assess},
                         {"satisfaction", s.satisfaction}, {"text", s.text}, {"at_ms", s.at_ms}});
  res.set_content(Dump(Json{{"unit", unit}, {"suggestions", std::move(items)}}), "application/json; charset=utf-8");
}

void ClosedLoopApi::HandleCase(const httplib::Request& req, httplib::Response& res) {
  auto who = who_(req);
  if (!who) return SendErrors(res, who.errors());
  std::string case_id;
  int assess = 0;
  if (!CaseInPath(req, case_id, assess)) return SendError(res, MakeError("case.not_found", "case"));
  auto view = loop_.Handling(*who, case_id, assess);
  if (!view) return SendErrors(res, view.errors());
  res.set_content(Dump(CaseJson(*who, *view, CentreDay(now_ms_()))), "application/json; charset=utf-8");
}

void ClosedLoopApi::HandleAction(const httplib::Request& req, httplib::Response& res) {
  auto who = who_(req);
  if (!who) return SendErrors(res, who.errors());
  std::string case_id;
  int assess = 0;
  if (!CaseInPath(req, case_id, assess)) return SendError(res, MakeError("case.not_found", "case"));
  if (req.body.size() > kActionBodyMax)
    return SendError(res, MakeError("request.too_large", "", std::to_string(kActionBodyMax)));
  auto body = ParseJson(req.body, 4);
  if (!body) return SendErrors(res, body.errors());
  if (!body->is_object()) return SendError(res, MakeError("request.field_type", "", "object"));
  // {"action": "return_visit", "fields": {"method": "phone", "outcome": "valid", "complex": false}}
  Errors errors;
  std::string action;
  CaseFields fields;
  bool has_action = false;
  for (const auto& [key, v] : body->items()) {
    if (key == "action") {
      has_action = true;
      if (v.is_string()) action = v.get<std::string>();
      else errors.push_back(MakeError("request.field_type", "action", "string"));
    } else if (key == "fields") {
      if (v.is_null()) continue;
      if (!v.is_object()) {
        errors.push_back(MakeError("request.field_type", "fields", "object"));
        continue;
      }
      for (const auto& [name, value] : v.items()) {
        if (value.is_string()) fields[name] = value.get<std::string>();
        else if (value.is_boolean()) fields[name] = value.get<bool>() ? "true" : "false";
        else errors.push_back(MakeError("request.field_type", "fields." + name.substr(0, 40), "string or boolean"));
      }
    } else {
      errors.push_back(MakeError("request.unknown_field", key.substr(0, 40)));
    }
  }
  if (!has_action) errors.push_back(MakeError("request.field_required", "action"));
  if (!errors.empty()) return SendErrors(res, errors);
  const int64_t now = now_ms_();
  const Date today = CentreDay(now);
  auto view = loop_.Act(*who, case_id, assess, action, fields, today, now);
  if (!view) return SendErrors(res, view.errors());
  res.status = 201;
  res.set_content(Dump(CaseJson(*who, *view, today)), "application/json; charset=utf-8");
}

}  // namespace hcp::central

namespace hcp::central {

void ClosedLoopApi::HandleContact(const httplib::Request& req, httplib::Response& res) {
  auto who = who_(req);  // a POST: the session and its CSRF token
  if (!who) return SendErrors(res, who.errors());
  std::string case_id;
  int assess = 0;
  if (!CaseInPath(req, case_id, assess)) return SendError(res, MakeError("case.not_found", "case"));
  auto view = loop_.Handling(*who, case_id, assess);
  if (!view) return SendErrors(res, view.errors());
  if (!MayOpenContact(*who, *view))
    return SendError(res, MakeError("auth.forbidden", "contact", "联系方式仅在回访环节提供给承办单位的经办人"));
  if (!unsealer_) return SendError(res, MakeError("contact.none", "case", "the centre has no seal key"));
  const std::string object = "case:" + case_id + "/" + std::to_string(assess);
  // Audited first: a contact that cannot be audited is not opened (ContactFor logs it too).
  auto audited = Audit(store_, *who, "contact.open", object, "", R"({"purpose":"return_visit"})");
  if (!audited) return SendErrors(res, audited.errors());
  auto contact = unsealer_->ContactFor(store_, case_id, assess, ContactPurpose::ReturnVisit, who->user);
  if (!contact) return SendErrors(res, contact.errors());
  res.set_content(Dump(Json{{"case", case_id}, {"assess", assess}, {"purpose", "return_visit"}, {"contact", *contact}}),
                  "application/json; charset=utf-8");
}

void ClosedLoopApi::HandleSearch(const httplib::Request& req, httplib::Response& res,
                                 std::optional<CaseQuery> office_queue) {
  auto who = who_(req);
  if (!who) return SendErrors(res, who.errors());
  if (office_queue && who->role == kRoleHandler)
    return SendError(res, MakeError("auth.forbidden", "role", "the office's queues are for the office"));
  CaseQuery query = office_queue.value_or(CaseQuery{});
  Errors errors;
  for (const auto& [key, value] : req.params) {
    if (key == "unit") {
      query.unit = value;
    } else if (key == "q") {
      query.text = value.substr(0, 64);
    } else if (key == "from" || key == "to") {
      auto day = Date::Parse(value, key);
      if (!day) errors.push_back(MakeError("request.field_type", key, "YYYY-MM-DD"));
      else (key == "from" ? query.from : query.to) = *day;
    } else if (office_queue) {
      errors.push_back(MakeError("request.unknown_field", key.substr(0, 40)));
    } else if (key == "state") {
      if (value != "open" && value != "closed" && !CaseStatusFromWire(value))
        errors.push_back(MakeError("request.field_type", "state", "open, closed or a case state"));
      query.state = value;
    } else if (key == "appeal") {
      if (value != "pending") errors.push_back(MakeError("request.field_type", "appeal", "pending"));
      query.appeal_pending = true;
    } else if (key == "overdue") {
      if (value != "true") errors.push_back(MakeError("request.field_type", "overdue", "true"));
      query.overdue = true;
    } else {
      errors.push_back(MakeError("request.unknown_field", key.substr(0, 40)));
    }
  }
  if (!errors.empty()) return SendErrors(res, errors);
  const Date today = CentreDay(now_ms_());
  auto found = loop_.Search(*who, query, today, kSearchMax + 1);
  if (!found) return SendErrors(res, found.errors());
  const bool more = found->size() > kSearchMax;
  Json cases = Json::array();
  for (size_t i = 0; i < found->size() && i < kSearchMax; ++i) cases.push_back(ListEntry(*who, (*found)[i], today));
  res.set_content(Dump(Json{{"today", today.ToString()}, {"cases", std::move(cases)}, {"more", more}}),
                  "application/json; charset=utf-8");
}

}  // namespace hcp::central
