#pragma once
// The sign-in endpoints of the back office (issue 6): POST /api/v1/login, POST /api/v1/logout,
// GET /api/v1/me, and the ActorResolver every other back-office endpoint uses (access.h).
// The session travels in the cookie `hcp_session` (HttpOnly, SameSite=Strict, Path=/, and Secure
// unless the centre is configured for plain-HTTP local use: cookie_secure=false).
#include <httplib.h>

#include <memory>
#include <string>

#include "access.h"
#include "auth.h"
#include "central_store.h"
#include "rate_limiter.h"

namespace hcp::central {

inline constexpr const char* kSessionCookie = "hcp_session";
inline constexpr const char* kCsrfHeader = "X-CSRF-Token";

struct AuthApiConfig {
  AuthConfig auth;
  bool cookie_secure = true;
  // Login attempts, successful or not: per client address, and per user name (whoever asks). A
  // guessing attack on one account from many addresses meets the second; a sweep over many
  // accounts from one address the first.
  double login_rate_per_address_per_second = 10.0 / 60;
  double login_rate_per_address_burst = 20;
  double login_rate_per_user_per_second = 1.0 / 60;
  double login_rate_per_user_burst = 5;
};

class AuthApi {
 public:
  AuthApi(CentralStore& store, AuthApiConfig config);
  // Adds the three routes to `server`.
  void Mount(httplib::Server& server);
  // The session's actor, with the CSRF check for unsafe methods (access.h).
  Result<Actor> ResolveActor(const httplib::Request& req);
  ActorResolver Resolver() {
    return [this](const httplib::Request& req) { return ResolveActor(req); };
  }

 private:
  void HandleLogin(const httplib::Request& req, httplib::Response& res);
  void HandleLogout(const httplib::Request& req, httplib::Response& res);
  void HandleMe(const httplib::Request& req, httplib::Response& res);
  std::string Cookie(const std::string& value, int64_t max_age_s) const;
  Result<std::string> UnitName(const Actor& actor);  // the name of the actor's unit; empty without one

  CentralStore& store_;
  AuthApiConfig config_;
  Auth auth_;
  server::RateLimiter per_address_;
  server::RateLimiter per_user_;
};

// The value of cookie `name` in a request's Cookie headers, or "".
std::string RequestCookie(const httplib::Request& req, const std::string& name);

}  // namespace hcp::central
