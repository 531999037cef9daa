#pragma once
// Evaluation tickets (评价凭证), format v1 (docs/integration.md is the spec):
//   hcp1.<payload>.<sig>
//   payload = base64url, no padding, of the compact UTF-8 claims JSON
//   sig     = base64url, no padding, of the 64-byte Ed25519 signature over the ASCII "hcp1.<payload>"
// Like JWS compact, but with one fixed algorithm and no header to negotiate. URL-safe, because it
// travels in `?ticket=`, and therefore free of personal data in clear: the evaluator's contact
// is sealed to the centre (crypto_box_seal), so neither the URL nor the edge ever sees it.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "hcp/result.h"
#include "hcp/ticket_claims.h"
#include "ticket/keys.h"

namespace hcp {

inline constexpr std::string_view kTicketPrefix = "hcp1.";
inline constexpr size_t kMaxTicketChars = 4096;
inline constexpr size_t kMaxClearContactBytes = 128;

// crypto_box_seal to the centre's key, base64url without padding: `ticket.seal_failed`.
Result<std::string> SealContact(std::string_view contact, const SealPublicKey& to);
// The centre's side: `ticket.seal_failed` for a wrong key or damaged data.
Result<std::string> OpenContact(std::string_view sealed_b64, const SealKeyPair& keys);

// Sets `kid` from the key, seals a clear `evaluator.phone` into `evaluator.contact` and drops it
// (`ticket.seal_failed` without a seal key), checks the claims with ParseTicketClaims, then signs
// their canonical form (TicketClaimsToJson, keys sorted). Reads no clock: `exp` must be given.
Result<std::string> IssueTicket(nlohmann::json claims, const SigningKey& key,
                                const std::optional<SealPublicKey>& seal_to);

// What an edge holds: the issuers it trusts. Verification order, each with its own error id:
// ticket.malformed (shape, base64url, JSON, no kid, longer than 4096), ticket.unknown_key,
// ticket.bad_signature, then, from signed bytes only, ticket.claims_invalid and ticket.expired
// (exp <= now).
class TicketVerifier {
 public:
  void Trust(const VerifyKey& key) { keys_[key.kid] = key; }
  bool empty() const { return keys_.empty(); }
  Result<TicketClaims> Verify(std::string_view ticket, int64_t now_unix) const;

 private:
  std::map<std::string, VerifyKey, std::less<>> keys_;
};

}  // namespace hcp
