#pragma once
// The case registry (POST /api/v1/cases): an integrating system reports a finished case; the centre
// stores what the default rating and the SMS reminder need, and, when it holds the issuer key,
// issues the rating ticket with a short link for a QR code or an SMS. Idempotent per case and
// assess number: the same report again gets the same answer, a different one 409.
// The HTTP handler (central_server.cpp) only authenticates and passes the parsed body here.
#include <optional>
#include <string>

#include "central_store.h"
#include "hcp/result.h"
#include "hcp/wire.h"
#include "ticket/keys.h"

namespace hcp::central {

struct RegistryConfig {
  std::string link_base;  // the public edge, e.g. https://edge.example: short_url = link_base + "/r/" + code
  int ticket_days = 30;   // a ticket's rating period when the report gives no exp
};

struct RegistryAnswer {
  bool created = false;  // false: the same report again (answered as the first time)
  Json body;             // {case, assess, registered_at[, ticket, short_code, short_url]}
};

class CaseRegistry {
 public:
  CaseRegistry(CentralStore& store, RegistryConfig config, std::optional<SealKeyPair> seal,
               std::optional<SigningKey> issuer)
      : store_(store), config_(std::move(config)), seal_(seal), issuer_(issuer) {}

  // `source` names the API key that reported the case; `now_unix` is the centre's clock.
  // Errors: request.not_object, registry.invalid (all at once), registry.no_seal_key,
  // registry.conflict, server.unavailable.
  Result<RegistryAnswer> Register(const Json& body, const std::string& source, int64_t now_unix);

 private:
  // Whether a stored contact and a new report's contact are the same person's: sealing is
  // randomised, so two seals of one phone differ and are compared opened.
  bool SameContact(const std::string& stored_sealed, const std::optional<std::string>& phone,
                   const std::string& sealed) const;

  CentralStore& store_;
  RegistryConfig config_;
  std::optional<SealKeyPair> seal_;
  std::optional<SigningKey> issuer_;
};

}  // namespace hcp::central
