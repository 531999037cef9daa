#pragma once
// The case registry's input: an integrating system (网厅, app, hall system) reports a finished case
// (办结) to the centre, which keeps what the default rating and the SMS reminder need and can
// issue the rating ticket for it. The body is the ticket's claims as the integrator knows them,
// with the evaluator's phone in clear (it arrives over TLS from an authenticated system and is
// sealed at once, never stored in clear):
//   {case, item, item_name, unit, unit_name, area, window?, staff?, channel, finished_at,
//    assess? (default 1), exp? (default: ticket_days after now), evaluator {sub, kind, name, phone?}}
// Pure: the centre seals and signs (ticket/), this only reads and checks.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "hcp/result.h"
#include "hcp/ticket_claims.h"

namespace hcp {

inline constexpr int kMinPhoneChars = 5;
inline constexpr int kMaxPhoneChars = 20;

struct CaseRegistration {
  // The claims to sign, without kid (the issuer's) and without the phone. `exp` is filled in.
  nlohmann::json claims;
  TicketClaims parsed;                // the same, read (kid is a placeholder until signing)
  std::optional<std::string> phone;   // in clear: seal it, then forget it
  // The body as sent minus the phone, in canonical form (keys sorted, no spaces): two reports of
  // a case are "the same" when these match and their phones match.
  std::string canonical;
};

// Every problem at once: request.not_object; registry.invalid naming the field and what is wrong
// (a missing field, a wrong type, an unknown field, a person's name unmasked, a bad phone, ...).
Result<CaseRegistration> ParseCaseRegistration(const nlohmann::json& body, int64_t now_unix, int ticket_days);

}  // namespace hcp
