#pragma once
// The claims of an evaluation ticket (评价凭证): what an integrating system vouches for when it
// invites a citizen to rate a finished case. Real-name rating (MoT 第十条) without personal data in
// clear: the evaluator is a pseudonymous `sub` and a masked name, the contact is sealed to the
// centre. Signing and sealing are native (ticket/); parsing and checking live here so the edge,
// the centre and the widget read claims the same way. docs/integration.md is the spec.
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "hcp/channel.h"
#include "hcp/result.h"

namespace hcp {

inline constexpr int kTicketClaimsVersion = 1;
inline constexpr int kMaxClaimChars = 128;      // code points, so a ticket stays small
inline constexpr int kMaxNameChars = 32;
inline constexpr int kMaxContactChars = 256;    // sealed, base64url
// crypto_box_seal adds 48 bytes; 49 bytes is 66 base64url characters. Anything shorter cannot
// be a sealed contact and is most likely a phone number in clear.
inline constexpr int kMinContactChars = 66;

struct TicketClaims {
  int v = kTicketClaimsVersion;
  std::string kid;        // issuer key id: 16 lowercase hex characters
  std::string case_id;    // "case": 办件编号
  std::string item;       // 事项编码
  std::string item_name;
  std::string unit;       // 承办单位 code
  std::string unit_name;
  std::string area;       // 行政区划
  std::string window;     // optional
  std::string staff;      // optional
  Channel channel = Channel::Pc;
  std::string finished_at;  // RFC 3339 as given
  std::string exp;
  int64_t finished_at_unix = 0;
  int64_t exp_unix = 0;
  int assess = 1;  // 1 = first rating, 2 = the one follow-up rating (追评)
  struct Evaluator {
    std::string sub;  // pseudonymous subject id, never an ID-card number
    EvaluatorKind kind = EvaluatorKind::Person;
    std::string name;     // masked for a person ("张*")
    std::string contact;  // optional, sealed to the centre (crypto_box_seal, base64url)
  } evaluator;
};

// "2026-11-20T10:00:00+08:00", "2026-11-20T02:00:00Z", optional fraction ("…00.250+08:00",
// truncated to the second). The offset is required: a time without one means nothing on a server
// in another zone. Uppercase T and Z only. Anything else: `date.invalid` on `field`.
Result<int64_t> ParseRfc3339(std::string_view text, std::string field = "time");
// Unix seconds as RFC 3339 at the given offset (minutes east of UTC; 0 writes "Z").
std::string FormatRfc3339(int64_t unix_seconds, int offset_minutes = 0);

// Every problem is `ticket.claims_invalid` with `field` naming the claim ("evaluator.kind") and
// the message saying what is wrong. Unknown claims are refused too, so nothing (personal data
// in particular) rides along unchecked; a new claim comes with a new version.
Result<TicketClaims> ParseTicketClaims(const nlohmann::json& claims);
nlohmann::json TicketClaimsToJson(const TicketClaims& claims);
// The same bytes as Dump(TicketClaimsToJson(claims)) (keys sorted, compact), written directly: the
// edge stores every rating's claims this way, and the tree cost it ~3 % of its CPU per rating.
std::string TicketClaimsToText(const TicketClaims& claims);

}  // namespace hcp
