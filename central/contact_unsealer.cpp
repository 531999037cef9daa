#include "contact_unsealer.h"

#include <chrono>

#include "hcp/wire.h"
#include "ticket/ticket.h"

namespace hcp::central {

std::string_view ContactPurposeKey(ContactPurpose purpose) {
  if (purpose == ContactPurpose::Notice) return "notice";
  if (purpose == ContactPurpose::Survey) return "survey";
  return purpose == ContactPurpose::ReturnVisit ? "return_visit" : "reminder";
}

Result<std::string> ContactUnsealer::Open(const std::string& sealed) const { return OpenContact(sealed, keys_); }

Result<std::string> ContactUnsealer::ContactFor(CentralStore& store, const std::string& case_id, int assess,
                                                ContactPurpose purpose, const std::string& actor) const {
  const auto audited = [&](const std::string& sealed) -> Result<std::string> {
    const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
    auto recorded = store.RecordContactAccess(
        ContactAccess{case_id, assess, std::string(ContactPurposeKey(purpose)), actor, now_ms});
    if (!recorded) return recorded.errors();
    return Open(sealed);
  };
  auto registered = store.FindCase(case_id, assess);
  if (!registered) return registered.errors();
  if (*registered && !(*registered)->contact.empty()) return audited((*registered)->contact);
  auto claims_text = store.RatingClaims(case_id, assess);
  if (!claims_text) return claims_text.errors();
  if (*claims_text) {
    auto claims = ParseJson(**claims_text);
    if (claims && claims->is_object()) {
      const auto ev = claims->find("evaluator");
      if (ev != claims->end() && ev->is_object()) {
        const auto contact = ev->find("contact");
        if (contact != ev->end() && contact->is_string()) return audited(contact->get<std::string>());
      }
    }
  }
  return MakeError("contact.none", "case", case_id);
}

}  // namespace hcp::central
