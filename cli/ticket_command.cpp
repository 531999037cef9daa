// hcp ticket: issue and verify evaluation tickets (评价凭证) from the command line, so an
// integrator can try the format before writing a line of code (docs/integration.md).
#include <chrono>
#include <cstdlib>
#include <iostream>

#include "cli_io.h"
#include "commands.h"
#include "hcp/ticket_claims.h"
#include "hcp/wire.h"
#include "ticket/ticket.h"

namespace hcp::cli {
namespace {

constexpr const char* kHelp = R"help(usage: hcp ticket issue --key DIR/issuer.key [--seal-to DIR/seal.pub] [--ttl-days N] < claims.json
       hcp ticket verify --pub DIR/issuer.pub [--pub FILE ...] [--now TIME] TICKET
       hcp ticket open-contact --seal-key DIR/seal.key CONTACT

A ticket lets a citizen rate one finished case under their real name (MoT 第十条) with no
personal data in the URL: the integrating system signs the case's facts (Ed25519) and seals
the evaluator's phone to the centre. It looks like hcp1.<payload>.<signature> and goes in the
rating link as ?ticket=…  The full specification, with a test vector: docs/integration.md.

issue         reads the claims (JSON) on standard input and prints the ticket. kid is filled
              in from the key. A clear evaluator.phone is sealed into evaluator.contact (this
              needs --seal-to) and dropped. Without exp, the ticket expires --ttl-days from now.
              Invalid claims: every problem as {"errors": [...]} on stdout, exit 1.
verify        checks TICKET ("-" reads it from standard input) against the trusted issuer
              keys and prints its claims as JSON (exit 0), or {"errors": [...]} (exit 1) with
              one of: ticket.malformed, ticket.unknown_key, ticket.bad_signature,
              ticket.expired, ticket.claims_invalid.
open-contact  the centre's side: prints the clear contact sealed in a verified ticket's
              evaluator.contact.

claims (all strings unless said otherwise):
  case                 办件编号, the finished case
  item, item_name      事项编码 and name
  unit, unit_name      承办单位 code and name
  area                 行政区划 code
  window, staff        optional: the service window and staff number
  channel              pc, mobile, qr, tablet, terminal, sms or phone
  finished_at, exp     RFC 3339 with an offset: 2026-11-20T10:00:00+08:00
  assess               number: 1 = first rating, 2 = the one follow-up rating (追评)
  evaluator.sub        a pseudonymous subject id, never the ID-card or phone number
  evaluator.kind       person (个人) or org (法人)
  evaluator.name       masked for a person: 张*
  evaluator.phone      only for issue: sealed, never put in the ticket
Unknown claims are refused. Text claims are at most 128 characters (name: 32).

options:
  --key FILE       the issuer's secret key (hcp keygen writes DIR/issuer.key)
  --seal-to FILE   the centre's seal public key (DIR/seal.pub)
  --ttl-days N     validity when the claims give no exp: 1 to 366 days (default 30)
  --pub FILE       a trusted issuer public key (DIR/issuer.pub); repeat for several issuers
  --now TIME       verify as of this RFC 3339 time instead of the clock
  --seal-key FILE  the centre's seal secret key (DIR/seal.key)

example:
  hcp keygen --out keys
  echo '{"case": "SR2026112000123", "item": "000105001000", "item_name": "道路运输经营许可",
         "unit": "11361100MB1234567X", "unit_name": "上饶市交通运输局", "area": "361100",
         "channel": "pc", "finished_at": "2026-11-20T10:00:00+08:00", "assess": 1,
         "evaluator": {"sub": "u-7f3a9c", "kind": "person", "name": "张*", "phone": "13800138000"}}' \
    | hcp ticket issue --key keys/issuer.key --seal-to keys/seal.pub > ticket.txt
  hcp ticket verify --pub keys/issuer.pub "$(cat ticket.txt)"
)help";

int Usage(const char* what) {
  std::cerr << "hcp ticket: " << what << " (see hcp ticket --help)\n";
  return 2;
}

int64_t NowUnix() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

int PrintErrorJson(const Errors& errors) {
  std::cout << Dump(ErrorsToJson(errors), 2) << "\n";
  return 1;
}

int Issue(const ParsedArgs& args) {
  const auto key_path = args.Get("key");
  if (!key_path || !args.positional.empty()) return Usage("issue needs --key FILE and the claims on stdin");
  long ttl_days = 30;
  if (auto ttl = args.Get("ttl-days")) {
    char* end = nullptr;
    ttl_days = std::strtol(ttl->c_str(), &end, 10);
    if (ttl->empty() || *end != '\0' || ttl_days < 1 || ttl_days > 366) return Usage("--ttl-days must be 1 to 366");
  }
  auto key = LoadSigningKey(*key_path);
  if (!key) {
    PrintErrors(key.errors());
    return 2;
  }
  std::optional<SealPublicKey> seal_to;
  if (auto path = args.Get("seal-to")) {
    auto seal = LoadSealPublicKey(*path);
    if (!seal) {
      PrintErrors(seal.errors());
      return 2;
    }
    seal_to = *seal;
  }
  auto parsed = ParseJson(ReadStdin());
  if (!parsed) return PrintErrorJson(parsed.errors());
  Json claims = std::move(parsed).value();
  if (claims.is_object() && !claims.contains("exp")) claims["exp"] = FormatRfc3339(NowUnix() + ttl_days * 86400);
  auto ticket = IssueTicket(std::move(claims), *key, seal_to);
  if (!ticket) return PrintErrorJson(ticket.errors());
  std::cout << *ticket << "\n";
  return 0;
}

int Verify(const ParsedArgs& args) {
  if (args.positional.size() != 1) return Usage("verify needs one TICKET");
  TicketVerifier verifier;
  for (const auto& [name, path] : args.options) {
    if (name != "pub") continue;
    auto key = LoadVerifyKey(path);
    if (!key) {
      PrintErrors(key.errors());
      return 2;
    }
    verifier.Trust(*key);
  }
  if (verifier.empty()) return Usage("verify needs at least one --pub FILE");
  int64_t now = NowUnix();
  if (auto text = args.Get("now")) {
    auto t = ParseRfc3339(*text, "now");
    if (!t) {
      PrintErrors(t.errors());
      return 2;
    }
    now = *t;
  }
  std::string ticket = args.positional[0];
  if (ticket == "-") {
    ticket = ReadStdin();
    while (!ticket.empty() && (ticket.back() == '\n' || ticket.back() == '\r' || ticket.back() == ' ')) ticket.pop_back();
  }
  auto claims = verifier.Verify(ticket, now);
  if (!claims) return PrintErrorJson(claims.errors());
  std::cout << Dump(TicketClaimsToJson(*claims), 2) << "\n";
  return 0;
}

int OpenContactCommand(const ParsedArgs& args) {
  const auto key_path = args.Get("seal-key");
  if (!key_path || args.positional.size() != 1) return Usage("open-contact needs --seal-key FILE and one CONTACT");
  auto keys = LoadSealKeyPair(*key_path);
  if (!keys) {
    PrintErrors(keys.errors());
    return 2;
  }
  auto contact = OpenContact(args.positional[0], *keys);
  if (!contact) return PrintErrorJson(contact.errors());
  std::cout << *contact << "\n";
  return 0;
}

}  // namespace

int TicketCommand(const Args& args) {
  const std::string cmd = args.empty() ? "" : args[0];
  const Args rest(args.begin() + (args.empty() ? 0 : 1), args.end());
  std::optional<ParsedArgs> parsed;
  if (cmd == "issue") parsed = ParseArgs(rest, {"key", "seal-to", "ttl-days"});
  else if (cmd == "verify") parsed = ParseArgs(rest, {"pub", "now"});
  else if (cmd == "open-contact") parsed = ParseArgs(rest, {"seal-key"});
  else {
    std::cout << kHelp;
    return cmd == "--help" || cmd == "-h" ? 0 : 2;
  }
  if (!parsed) return 2;
  if (parsed->help) {
    std::cout << kHelp;
    return 0;
  }
  if (cmd == "issue") return Issue(*parsed);
  if (cmd == "verify") return Verify(*parsed);
  return OpenContactCommand(*parsed);
}

}  // namespace hcp::cli
