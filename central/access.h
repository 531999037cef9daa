#pragma once
// Who is asking: the one seam between the back-office endpoints and how people sign in.
//
// NOTE (issue 6, both parts): this file was rewritten by the closed-loop work after it overwrote
// the people/access engineer's first version by mistake; it keeps the names auth_api.h, auth.h and
// audit.h use (Actor, ActorResolver). The closed loop takes an ActorResolver: until sessions are
// mounted it gets AdminTokenAccess (below); then it gets auth_api_->Resolver() and nothing else
// in the closed loop changes.
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

// PLACEHOLDER until sessions are mounted for the closed loop: "Authorization: Bearer <admin
// token>" is an admin; with "X-HCP-Unit: CODE" as well it is a handler of that unit (so the flows
// can be driven end to end before there are user accounts). No admin token configured: nobody.
ActorResolver AdminTokenAccess(std::string admin_token);

}  // namespace hcp::central
