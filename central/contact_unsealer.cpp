#include "contact_unsealer.h"

#include "hcp/wire.h"
#include "ticket/ticket.h"

namespace hcp::central {

Result<std::string> ContactUnsealer::Open(const std::string& sealed) const { return OpenContact(sealed, keys_); }

Result<std::string> ContactUnsealer::ContactFor(CentralStore& store, const std::string& case_id, int assess) const {
  auto registered = store.FindCase(case_id, assess);
  if (!registered) return registered.errors();
  if (*registered && !(*registered)->contact.empty()) return Open((*registered)->contact);
  auto claims_text = store.RatingClaims(case_id, assess);
  if (!claims_text) return claims_text.errors();
  if (*claims_text) {
    auto claims = ParseJson(**claims_text);
    if (claims && claims->is_object()) {
      const auto ev = claims->find("evaluator");
      if (ev != claims->end() && ev->is_object()) {
        const auto contact = ev->find("contact");
        if (contact != ev->end() && contact->is_string()) return Open(contact->get<std::string>());
      }
    }
  }
  return MakeError("contact.none", "case", case_id);
}

}  // namespace hcp::central
