#include "hcp/case_registration.h"

#include <algorithm>

#include "hcp/wire.h"

namespace hcp {
namespace {

constexpr std::string_view kPlaceholderKid = "0000000000000000";

// The claims checker speaks of tickets (ticket.claims_invalid, 401 at an edge); here the same
// findings are the integrator's input errors: registry.invalid (422), same field, same words.
Error AsRegistryError(const Error& e) {
  if (e.id != "ticket.claims_invalid") return MakeError("registry.invalid", e.field, e.message_en);
  static const std::string prefix = MakeError("ticket.claims_invalid").message_en;  // "…: "
  const std::string detail =
      e.message_en.rfind(prefix, 0) == 0 ? e.message_en.substr(prefix.size()) : e.message_en;
  return MakeError("registry.invalid", e.field, detail);
}

bool ValidPhone(const std::string& p) {
  if (p.size() < kMinPhoneChars || p.size() > kMaxPhoneChars) return false;
  for (size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (!((c >= '0' && c <= '9') || c == '-' || (c == '+' && i == 0))) return false;
  }
  return true;
}

}  // namespace

Result<CaseRegistration> ParseCaseRegistration(const nlohmann::json& body, int64_t now_unix, int ticket_days) {
  if (!body.is_object()) return MakeError("request.not_object");
  Errors errors;
  CaseRegistration out;
  Json claims = body;
  Json canonical = body;
  // The centre signs: the issuer's kid and the claims version are its business.
  for (const char* own : {"kid", "v"}) {
    if (claims.contains(own)) {
      errors.push_back(MakeError("registry.invalid", own, "set by the centre, leave it out"));
      claims.erase(own);
    }
  }
  if (auto ev = claims.find("evaluator"); ev != claims.end() && ev->is_object() && ev->contains("phone")) {
    const Json& phone = (*ev)["phone"];
    if (!phone.is_string() || !ValidPhone(phone.get<std::string>())) {
      errors.push_back(MakeError("registry.invalid", "evaluator.phone",
                                 "a phone number: " + std::to_string(kMinPhoneChars) + " to " +
                                     std::to_string(kMaxPhoneChars) + " digits, '-' or a leading '+'"));
    } else {
      out.phone = phone.get<std::string>();
    }
    if (ev->contains("contact"))
      errors.push_back(MakeError("registry.invalid", "evaluator.contact", "give evaluator.phone or evaluator.contact, not both"));
    ev->erase("phone");
    canonical["evaluator"].erase("phone");
  }
  if (!claims.contains("assess")) claims["assess"] = 1;
  if (!claims.contains("exp")) claims["exp"] = FormatRfc3339(now_unix + int64_t{ticket_days} * 86400);
  claims["kid"] = kPlaceholderKid;
  auto parsed = ParseTicketClaims(claims);
  if (!parsed) {
    for (const auto& e : parsed.errors()) errors.push_back(AsRegistryError(e));
  } else if (parsed->exp_unix <= now_unix) {
    errors.push_back(MakeError("registry.invalid", "exp", "the rating period must end in the future"));
  }
  if (!errors.empty()) return errors;
  claims.erase("kid");
  out.claims = std::move(claims);
  out.parsed = *parsed;
  out.canonical = Dump(canonical);
  return out;
}

}  // namespace hcp
