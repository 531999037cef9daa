#include "closed_loop_api.h"

#include <cstdlib>

#include "centre_day.h"
#include "hcp/case_json.h"
#include "hcp/wire.h"
#include "http_errors.h"

namespace hcp::central {
namespace {

using server::SendError;
using server::SendErrors;

constexpr size_t kActionBodyMax = 64 * 1024;  // a remark and a report fit many times over

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

}  // namespace

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
  }
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
  out["allowed_now"] = ActionNames(ClosedLoop::AllowedFor(who, view));
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
  for (const auto& v : *todos) {
    Json c = Bare(v.record);
    Json state = CaseStateToJson(v.state, today, loop_.calendar());
    c["state"] = state["state"];
    c["deadline"] = state["deadline"];
    c["appeal"] = state["appeal"];
    c["allowed_now"] = ActionNames(ClosedLoop::AllowedFor(*who, v));
    cases.push_back(std::move(c));
  }
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
