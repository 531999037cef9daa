#include "access.h"

namespace hcp::central {

ActorResolver AdminTokenAccess(std::string admin_token) {
  return [token = std::move(admin_token)](const httplib::Request& req) -> Result<Actor> {
    if (token.empty() || req.get_header_value("Authorization") != "Bearer " + token)
      return MakeError("auth.required", "Authorization");
    const std::string unit = req.get_header_value("X-HCP-Unit");
    if (!unit.empty()) return Actor{"admin@" + unit, "handler", unit};
    return Actor{"admin", "admin", ""};
  };
}

}  // namespace hcp::central
