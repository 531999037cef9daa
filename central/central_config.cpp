#include "central_config.h"

#include "hcp/wire.h"

namespace hcp::central {
namespace {

Error Invalid(std::string field, std::string_view what) { return MakeError("config.invalid", std::move(field), what); }

template <class T>
void Number(const Json& j, const char* key, T& out, double min, double max, Errors& errors) {
  const auto v = j.find(key);
  if (v == j.end()) return;
  if (!v->is_number() || v->get<double>() < min || v->get<double>() > max) {
    errors.push_back(Invalid(key, std::string(key) + " must be a number from " + Dump(min) + " to " + Dump(max)));
    return;
  }
  out = static_cast<T>(v->get<double>());
}

bool IsHttpUrl(const std::string& url) { return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0; }

}  // namespace

Errors ApplyCentralListen(std::string_view listen, CentralSettings& settings) {
  const auto colon = listen.rfind(':');
  if (colon == std::string_view::npos) return {Invalid("listen", "listen must be HOST:PORT, e.g. 127.0.0.1:9090")};
  std::string host(listen.substr(0, colon));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string_view port = listen.substr(colon + 1);
  int p = 0;
  for (char c : port) {
    if (c < '0' || c > '9' || p > 65535) return {Invalid("listen", "the port must be a number 0..65535")};
    p = p * 10 + (c - '0');
  }
  if (port.empty() || p > 65535) return {Invalid("listen", "the port must be a number 0..65535")};
  settings.listen_host = host.empty() ? "0.0.0.0" : host;
  settings.listen_port = p;
  return {};
}

Errors ApplyCentralConfigFile(std::string_view json_text, CentralSettings& settings) {
  auto parsed = ParseJson(json_text);
  if (!parsed) return {Invalid("", "the config file is not valid JSON")};
  const Json& j = *parsed;
  if (!j.is_object()) return {Invalid("", "the config file must hold a JSON object")};
  Errors errors;
  static const char* kKeys[] = {"listen",    "data",        "trust_edges",      "seal_key",
                                "issuer_key", "db",         "link_base",        "ticket_days",
                                "threads",   "max_clock_skew_s", "link_rate_per_second", "link_rate_burst",
                                "session_hours", "cookie_secure",
                                "calendar",  "closed_loop",   // the closed loop (issue 6 part A)
                                "admin_web"};                 // the back office's pages (issue 6)
  for (const auto& [key, _] : j.items()) {
    bool known = false;
    for (const char* k : kKeys) known = known || key == k;
    known = known || key == "sms" || key == "webhooks";  // the outboxes (notify_config.h)
    known = known || key == "public";                    // the public page and API (public_config.h)
    known = known || key == "report";                    // the monthly and annual 通报 (report_config.h)
    if (!known) errors.push_back(Invalid(key, "unknown key \"" + key + "\" (see docs/deploy.md)"));
  }
  auto text = [&](const char* key, std::string& out) {
    const auto v = j.find(key);
    if (v == j.end()) return;
    if (v->is_string()) out = v->get<std::string>();
    else errors.push_back(Invalid(key, std::string(key) + " must be a string"));
  };
  if (const auto l = j.find("listen"); l != j.end()) {
    if (l->is_string()) {
      for (auto& e : ApplyCentralListen(l->get<std::string>(), settings)) errors.push_back(e);
    } else {
      errors.push_back(Invalid("listen", "listen must be a string HOST:PORT"));
    }
  }
  text("data", settings.data_dir);
  text("seal_key", settings.seal_key);
  text("issuer_key", settings.issuer_key);
  text("db", settings.db);
  text("link_base", settings.link_base);
  // ---- the closed loop (issue 6 part A) ----
  text("calendar", settings.calendar_dir);
  text("admin_web", settings.admin_web);
  if (const auto c = j.find("closed_loop"); c != j.end()) {
    if (!c->is_object()) {
      errors.push_back(Invalid("closed_loop", "closed_loop must be an object of working-day limits"));
    } else {
      for (const auto& [key, _] : c->items()) {
        static const char* kLoopKeys[] = {"return_visit", "rectify", "rectify_complex", "invalid_report", "review",
                                          "default_rating_days", "default_rating_count"};
        bool known = false;
        for (const char* k : kLoopKeys) known = known || key == k;
        if (!known) errors.push_back(Invalid("closed_loop." + key, "unknown key \"" + key + "\" (see docs/deploy.md)"));
      }
      // The ranges are checked once more by the core (ValidateCaseLimits) when the centre starts.
      Number(*c, "return_visit", settings.return_visit_days, 1, 3660, errors);
      Number(*c, "rectify", settings.rectify_days, 1, 3660, errors);
      Number(*c, "rectify_complex", settings.rectify_complex_days, 1, 3660, errors);
      Number(*c, "invalid_report", settings.invalid_report_days, 1, 3660, errors);
      Number(*c, "review", settings.review_days, 0, 3660, errors);
      Number(*c, "default_rating_days", settings.default_rating_days, 1, 3660, errors);
      if (const auto n = c->find("default_rating_count"); n != c->end()) {
        if (n->is_string() && (*n == "working" || *n == "natural")) settings.default_rating_natural_days = *n == "natural";
        else errors.push_back(Invalid("closed_loop.default_rating_count", "\"working\" or \"natural\""));
      }
    }
  }
  if (const auto t = j.find("trust_edges"); t != j.end()) {
    if (!t->is_array()) {
      errors.push_back(Invalid("trust_edges", "trust_edges must be a list of edge.pub file paths"));
    } else {
      settings.trust_edges.clear();
      for (const auto& v : *t) {
        if (v.is_string()) settings.trust_edges.push_back(v.get<std::string>());
        else errors.push_back(Invalid("trust_edges", "trust_edges must be a list of edge.pub file paths"));
      }
    }
  }
  Number(j, "ticket_days", settings.ticket_days, 1, 3650, errors);
  Number(j, "threads", settings.threads, 2, 4096, errors);
  Number(j, "max_clock_skew_s", settings.max_clock_skew_s, 1, 86400, errors);
  Number(j, "link_rate_per_second", settings.link_rate_per_second, 0, 1e9, errors);
  Number(j, "link_rate_burst", settings.link_rate_burst, 1, 1e9, errors);
  Number(j, "session_hours", settings.session_hours, 1, 168, errors);
  if (const auto c = j.find("cookie_secure"); c != j.end()) {
    if (c->is_boolean()) settings.cookie_secure = c->get<bool>();
    else errors.push_back(Invalid("cookie_secure", "cookie_secure must be true or false"));
  }
  for (auto& e : ApplyNotifyConfig(j, settings.notify)) errors.push_back(e);  // the outboxes
  for (auto& e : ApplyPublicConfig(j, settings.public_settings)) errors.push_back(e);  // the public figures
  for (auto& e : ApplyReportConfig(j, settings.report_options)) errors.push_back(e);    // the 通报
  return errors;
}

Errors ValidateCentralSettings(const CentralSettings& s) {
  Errors errors;
  if (s.data_dir.empty()) errors.push_back(Invalid("data", "say where the centre keeps its data: --data DIR"));
  if (s.trust_edges.empty())
    errors.push_back(Invalid("trust_edges", "trust at least one edge: --trust-edge DIR/edge.pub"));
  if (!s.db.empty() && s.db.rfind("postgresql://", 0) != 0 && s.db.rfind("postgres://", 0) != 0)
    errors.push_back(Invalid("db", "db is a postgresql:// URL (leave it out for SQLite in the data folder): " + s.db));
  if (!s.link_base.empty() && (!IsHttpUrl(s.link_base) || s.link_base.back() == '/'))
    errors.push_back(Invalid("link_base", "link_base is the public edge's URL, scheme://host[:port] without a trailing "
                                          "slash, e.g. https://pj.example.gov.cn: " + s.link_base));
  if (!s.issuer_key.empty() && s.link_base.empty())
    errors.push_back(Invalid("link_base", "issuing tickets (--issuer-key) needs the public edge's URL for short "
                                          "links: --link-base https://pj.example.gov.cn"));
  for (auto& e : ValidateNotifySettings(s.notify)) errors.push_back(e);  // the outboxes
  if (s.notify.sms_gateway != "none" && s.seal_key.empty())
    errors.push_back(Invalid("sms.gateway", "sending SMS needs the seal key that opens the citizens' phones: --seal-key"));
  return errors;
}

}  // namespace hcp::central
