#include "auth_api.h"

#include <chrono>

#include "audit.h"
#include "hcp/ticket_claims.h"
#include "hcp/wire.h"
#include "http_errors.h"

namespace hcp::central {
namespace {

using server::SendError;
using server::SendErrors;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

bool IsUnsafe(const std::string& method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

// unit_name: the unit's name from the units table, for the page header ("alice · 市市场监管局");
// empty when the person has no unit.
Json ActorJson(const SignedIn& in, const std::string& unit_name) {
  return Json{{"user", in.actor.user},
              {"role", in.actor.role},
              {"unit", in.actor.unit},
              {"unit_name", unit_name},
              {"csrf_token", in.session.csrf_token},
              {"expires_at", FormatRfc3339(in.session.expires_at_ms / 1000)}};
}

}  // namespace

std::string RequestCookie(const httplib::Request& req, const std::string& name) {
  const size_t n = req.get_header_value_count("Cookie");
  for (size_t i = 0; i < n; ++i) {
    const std::string header = req.get_header_value("Cookie", i);
    size_t at = 0;
    while (at < header.size()) {
      size_t end = header.find(';', at);
      if (end == std::string::npos) end = header.size();
      size_t start = at;
      while (start < end && header[start] == ' ') ++start;
      const size_t eq = header.find('=', start);
      if (eq != std::string::npos && eq < end && header.compare(start, eq - start, name) == 0)
        return header.substr(eq + 1, end - eq - 1);
      at = end + 1;
    }
  }
  return "";
}

AuthApi::AuthApi(CentralStore& store, AuthApiConfig config)
    : store_(store),
      config_(config),
      auth_(store, config.auth),
      per_address_(config.login_rate_per_address_per_second, config.login_rate_per_address_burst),
      per_user_(config.login_rate_per_user_per_second, config.login_rate_per_user_burst) {}

void AuthApi::Mount(httplib::Server& server) {
  server.Post("/api/v1/login", [this](const httplib::Request& req, httplib::Response& res) { HandleLogin(req, res); });
  server.Post("/api/v1/logout", [this](const httplib::Request& req, httplib::Response& res) { HandleLogout(req, res); });
  server.Get("/api/v1/me", [this](const httplib::Request& req, httplib::Response& res) { HandleMe(req, res); });
}

std::string AuthApi::Cookie(const std::string& value, int64_t max_age_s) const {
  return std::string(kSessionCookie) + "=" + value + "; Path=/; Max-Age=" + std::to_string(max_age_s) +
         "; HttpOnly; SameSite=Strict" + (config_.cookie_secure ? "; Secure" : "");
}

Result<Actor> AuthApi::ResolveActor(const httplib::Request& req) {
  auto in = auth_.Resolve(RequestCookie(req, kSessionCookie), NowMs());
  if (!in) return in.errors();
  if (IsUnsafe(req.method) && !Auth::CsrfMatches(in->session, req.get_header_value(kCsrfHeader)))
    return MakeError("auth.csrf_failed", kCsrfHeader);
  return in->actor;
}

Result<std::string> AuthApi::UnitName(const Actor& actor) {
  if (actor.unit.empty()) return std::string();
  auto unit = store_.FindUnit(actor.unit);
  if (!unit) return unit.errors();
  return *unit ? (*unit)->name : std::string();
}

void AuthApi::HandleLogin(const httplib::Request& req, httplib::Response& res) {
  auto limited = [&](int wait) {
    res.set_header("Retry-After", std::to_string(wait));
    SendError(res, MakeError("request.rate_limited", "", std::to_string(wait)));
  };
  if (auto wait = per_address_.Take(req.remote_addr)) return limited(*wait);
  auto body = ParseJson(req.body, 4);
  if (!body) return SendErrors(res, body.errors());
  if (!body->is_object() || !body->contains("user") || !(*body)["user"].is_string() || !body->contains("password") ||
      !(*body)["password"].is_string())
    return SendError(res, MakeError("request.field_type", "", "{\"user\": string, \"password\": string}"));
  const std::string user = (*body)["user"].get<std::string>();
  if (auto wait = per_user_.Take(user)) return limited(*wait);
  auto in = auth_.Login(user, (*body)["password"].get<std::string>(), NowMs());
  if (!in) {
    // A failed attempt on an existing account is audited; a name that is no account is not (it
    // may be a password typed into the wrong field).
    if (in.errors().front().id == "auth.login_failed") {
      auto known = store_.FindUser(user);
      if (known && *known) Audit(store_, Actor{"", "", ""}, "login_failed", "user:" + user, "", "");
    }
    return SendErrors(res, in.errors());
  }
  if (auto audited = Audit(store_, in->actor, "login", "user:" + in->actor.user, "", ""); !audited) {
    auth_.Logout(in->token);
    return SendErrors(res, audited.errors());
  }
  auto unit_name = UnitName(in->actor);
  if (!unit_name) {
    auth_.Logout(in->token);
    return SendErrors(res, unit_name.errors());
  }
  res.set_header("Set-Cookie", Cookie(in->token, config_.auth.session_seconds));
  res.set_content(Dump(ActorJson(*in, *unit_name)), "application/json; charset=utf-8");
}

void AuthApi::HandleLogout(const httplib::Request& req, httplib::Response& res) {
  auto actor = ResolveActor(req);
  if (!actor) return SendErrors(res, actor.errors());
  auto ended = auth_.Logout(RequestCookie(req, kSessionCookie));
  if (!ended) return SendErrors(res, ended.errors());
  Audit(store_, *actor, "logout", "user:" + actor->user, "", "");
  res.status = 204;
  res.set_header("Set-Cookie", Cookie("", 0));
}

void AuthApi::HandleMe(const httplib::Request& req, httplib::Response& res) {
  auto in = auth_.Resolve(RequestCookie(req, kSessionCookie), NowMs());
  if (!in) return SendErrors(res, in.errors());
  auto unit_name = UnitName(in->actor);
  if (!unit_name) return SendErrors(res, unit_name.errors());
  res.set_content(Dump(ActorJson(*in, *unit_name)), "application/json; charset=utf-8");
}

}  // namespace hcp::central
