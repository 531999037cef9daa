#include "audit.h"

#include <chrono>

namespace hcp::central {

Result<int64_t> Audit(CentralStore& store, const Actor& actor, std::string_view action, std::string_view object,
                      std::string_view before_json, std::string_view after_json) {
  AuditEntry e;
  e.at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  e.actor = actor.user;
  e.role = actor.role;
  e.unit = actor.unit;
  e.action = std::string(action);
  e.object = std::string(object);
  e.before_json = std::string(before_json);
  e.after_json = std::string(after_json);
  return store.AppendAudit(e);
}

}  // namespace hcp::central
