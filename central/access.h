#pragma once
// Who is asking: the one seam between the back-office endpoints and how people sign in. The
// centre resolves every back-office request through AuthApi::Resolver() (auth_api.h): the
// session cookie, and the CSRF token for unsafe methods.
// Roles (central_store.h UserRecord): "handler" (one unit's handler: sees and acts on that unit's
// cases only), "reviewer" (the office: reviews, decides appeals, sees every unit), "admin",
// "auditor" (read-only).
#include <httplib.h>

#include <functional>
#include <string>
#include <string_view>

#include "hcp/result.h"

namespace hcp::central {

inline constexpr std::string_view kRoleHandler = "handler";
inline constexpr std::string_view kRoleReviewer = "reviewer";
inline constexpr std::string_view kRoleAdmin = "admin";
inline constexpr std::string_view kRoleAuditor = "auditor";

inline bool IsKnownRole(std::string_view role) {
  return role == kRoleHandler || role == kRoleReviewer || role == kRoleAdmin || role == kRoleAuditor;
}

struct Actor {
  std::string user;  // who, for the audit trail and the case history
  std::string role;  // "handler" | "reviewer" | "admin" | "auditor"
  std::string unit;  // the unit's code, for "handler"
};

// The request's actor, or why there is none (auth.required, auth.session_required, auth.csrf_failed).
using ActorResolver = std::function<Result<Actor>(const httplib::Request&)>;

}  // namespace hcp::central
