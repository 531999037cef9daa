// hcp keygen: the key pairs of a real-name rating deployment (docs/integration.md).
#include <iostream>

#include "cli_io.h"
#include "commands.h"
#include "ticket/keys.h"

namespace hcp::cli {
namespace {

constexpr const char* kHelp = R"(usage: hcp keygen --out DIR [--force]

Creates the three key pairs of a real-name rating deployment in DIR (created if missing):

  issuer.key  secret  the integrating system (网厅, app, hall system) signs tickets with it
  issuer.pub  public  every edge trusts it to verify tickets
  seal.key    secret  the centre only: opens the evaluators' sealed contacts
  seal.pub    public  issuers seal the evaluator's phone to it (hcp ticket issue --seal-to)
  edge.key    secret  an edge's identity towards the centre
  edge.pub    public  the centre trusts it

Give each secret only to the party that uses it. Secret files are written with mode 0600.
Each file is one line: the standard base64 of the 32 raw key bytes (for issuer.key and
edge.key, the Ed25519 seed that libsodium, PyNaCl, Go and Java libraries take directly).
Prints the key id (kid) of the issuer and edge keys: the first 16 hex characters of the
SHA-256 of the public key, as found in every ticket.

options:
  --out DIR  where to write the six files
  --force    replace existing key files. Tickets signed with a replaced issuer key no longer
             verify, and contacts sealed to a replaced seal key can no longer be opened.

example:
  hcp keygen --out keys
  echo '{...claims...}' | hcp ticket issue --key keys/issuer.key --seal-to keys/seal.pub
)";

}  // namespace

int KeygenCommand(const Args& args) {
  auto parsed = ParseArgs(args, {"out"}, {"force"});
  if (!parsed) return 2;
  const auto out = parsed->Get("out");
  if (parsed->help || !out || out->empty() || !parsed->positional.empty()) {
    std::cout << kHelp;
    return parsed->help ? 0 : 2;
  }
  auto info = WriteKeySet(*out, parsed->Get("force").has_value());
  if (!info) {
    PrintErrors(info.errors());
    return 1;
  }
  for (const char* name : {"issuer.key", "issuer.pub", "seal.key", "seal.pub", "edge.key", "edge.pub"})
    std::cout << "wrote " << *out << "/" << name << "\n";
  std::cout << "issuer kid: " << info->issuer_kid << "\nedge kid: " << info->edge_kid << "\n";
  return 0;
}

}  // namespace hcp::cli
