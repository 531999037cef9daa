// hcp admin: units, back-office users and their roles (issue 6 part B), at the console of the
// centre. Every change is written to the audit trail as actor "hcp-admin" (the operator).
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "access.h"
#include "audit.h"
#include "auth.h"
#include "central_config.h"
#include "central_store.h"
#include "cli_io.h"
#include "commands.h"
#include "hcp/csv.h"
#include "hcp/wire.h"
#include "http_post.h"
#include "people_csv.h"
#include "random_text.h"

namespace hcp::cli {
namespace {

constexpr const char* kHelp = R"(usage: hcp admin unit add --code CODE --name NAME        --data DIR [--db URL] [--config FILE]
                          [--webhook URL (--webhook-secret S | --webhook-secret-file FILE)]
       hcp admin unit webhook --code CODE --webhook URL|"" (--webhook-secret S | --webhook-secret-file FILE)
       hcp admin user add --name NAME --role handler|reviewer|admin|auditor [--unit CODE] [--password-stdin]
       hcp admin user disable --name NAME
       hcp admin import --units UNITS.csv --users USERS.csv

Manages the back office's units, users and roles at the centre (SQLite in --data DIR, or the
PostgreSQL of --db / the config file's "db").

roles:
  handler    a unit's handler: sees and acts on their own unit's bad-rating cases only (--unit)
  reviewer   the supervising office's reviewer (复核, appeals, every unit)
  admin      administrator
  auditor    reads everything, changes nothing

user add prints a generated password once on stdout, unless --password-stdin reads one (the
first line of stdin, at least 10 bytes). The centre keeps only its argon2id hash.
user disable signs the user out everywhere at once and refuses later sign-ins.
import reads units.csv (header: code,name) and users.csv (header: name,role,unit), UTF-8;
every bad row is reported with its line number and then nothing is imported. Each imported user
gets a generated password, printed once on stdout as CSV (name,password).
Every change is recorded in the audit trail (actor "hcp-admin").

--webhook URL: the unit's own system receives its to-dos there (a bad rating opened a case, a
deadline was escalated, a case was closed), POSTed as JSON signed with HMAC-SHA256 of the secret
(at least 16 bytes; docs/notifications.md). unit webhook sets it on an existing unit, or removes
it with --webhook "". A secret in a file (mode 0600) stays out of the shell's history.
)";

const central::Actor kOperator{"hcp-admin", std::string(central::kRoleAdmin), ""};

std::unique_ptr<central::CentralStore> OpenCentre(const ParsedArgs& args, bool may_create) {
  central::CentralSettings s;
  if (auto file = args.Get("config")) {
    auto text = ReadFile(*file);
    Errors errors = text ? central::ApplyCentralConfigFile(*text, s) : text.errors();
    if (!errors.empty()) {
      PrintErrors(errors);
      return nullptr;
    }
  }
  if (auto v = args.Get("data")) s.data_dir = *v;
  if (auto v = args.Get("db")) s.db = *v;
  if (s.data_dir.empty() && s.db.empty()) {
    std::cerr << "hcp admin: say which centre: --data DIR (or --db postgresql://...)\n";
    return nullptr;
  }
  // Setting up a new SQLite centre is allowed (unit add, user add, import); anything else must
  // find central.db, so a typo in --data does not create an empty centre.
  if (!may_create && s.db.empty() && !std::filesystem::exists(std::filesystem::path(s.data_dir) / "central.db")) {
    std::cerr << "hcp admin: no central.db in " << s.data_dir << "\n";
    return nullptr;
  }
  std::string error;
  auto store = central::OpenStore(s.db, s.data_dir, error);
  if (!store) std::cerr << "hcp admin: " << error << "\n";
  return store;
}

int Fail(const Errors& errors) {
  PrintErrors(errors);
  return 1;
}

// --webhook and its secret (docs/notifications.md), or why not: none when --webhook is absent.
Result<std::optional<central::UnitWebhook>> WebhookArgs(const ParsedArgs& args) {
  const auto url = args.Get("webhook");
  if (!url) return std::optional<central::UnitWebhook>();
  central::UnitWebhook hook{*url, args.Get("webhook-secret").value_or("")};
  if (auto file = args.Get("webhook-secret-file")) {
    auto text = ReadFile(*file);
    if (!text) return text.errors();
    hook.secret = *text;
    while (!hook.secret.empty() && (hook.secret.back() == '\n' || hook.secret.back() == '\r')) hook.secret.pop_back();
  }
  if (hook.url.empty()) return std::optional<central::UnitWebhook>(central::UnitWebhook{});  // removes it
  if (!central::IsDeliverableUrl(hook.url))
    return MakeError("admin.invalid", "webhook", "--webhook takes an http(s):// URL: " + hook.url);
  if (hook.secret.size() < 16)
    return MakeError("admin.invalid", "webhook-secret", "the webhook secret needs at least 16 bytes (--webhook-secret-file FILE)");
  return std::optional<central::UnitWebhook>(hook);
}

Result<bool> SetWebhook(central::CentralStore& store, const std::string& code, const central::UnitWebhook& hook) {
  auto set = store.SetUnitWebhook(code, hook);
  if (!set) return set.errors();
  if (!*set) return MakeError("admin.invalid", "code", "no unit " + code + " (hcp admin unit add)");
  // The secret is never audited, only that there is one.
  auto audited = central::Audit(store, kOperator, "unit.webhook", "unit:" + code, "",
                                Dump(Json{{"code", code}, {"webhook", hook.url}, {"secret", !hook.secret.empty()}}));
  if (!audited) return audited.errors();
  return true;
}

int UnitWebhook(const ParsedArgs& args) {
  const std::string code = args.Get("code").value_or("");
  auto hook = WebhookArgs(args);
  if (!hook) return Fail(hook.errors());
  if (code.empty() || !*hook) {
    std::cerr << "hcp admin unit webhook: --code CODE --webhook URL (\"\" removes it) with --webhook-secret(-file)\n";
    return 2;
  }
  auto store = OpenCentre(args, false);
  if (!store) return 2;
  if (auto set = SetWebhook(*store, code, **hook); !set) return Fail(set.errors());
  std::cerr << "unit " << code << (hook->value().url.empty() ? ": webhook removed\n" : ": webhook set\n");
  return 0;
}

int UnitAdd(const ParsedArgs& args) {
  const std::string code = args.Get("code").value_or(""), name = args.Get("name").value_or("");
  auto hook = WebhookArgs(args);
  if (!hook) return Fail(hook.errors());
  for (auto why : {central::CheckIdentifier("--code", code), central::CheckIdentifier("--name", name)}) {
    if (!why.empty()) {
      std::cerr << "hcp admin unit add: " << why << "\n";
      return 2;
    }
  }
  auto store = OpenCentre(args, true);
  if (!store) return 2;
  auto added = store->AddUnit(central::UnitRecord{code, name, 0});
  if (!added) return Fail(added.errors());
  if (!*added) return Fail({MakeError("admin.exists", "code", "unit " + code)});
  auto audited = central::Audit(*store, kOperator, "unit.add", "unit:" + code, "", Dump(Json{{"code", code}, {"name", name}}));
  if (!audited) return Fail(audited.errors());
  if (*hook && !(*hook)->url.empty()) {
    if (auto set = SetWebhook(*store, code, **hook); !set) return Fail(set.errors());
  }
  std::cerr << "unit " << code << " added\n";
  return 0;
}

int UserAdd(const ParsedArgs& args) {
  const std::string name = args.Get("name").value_or(""), role = args.Get("role").value_or("");
  const std::string unit = args.Get("unit").value_or("");
  if (auto why = central::CheckIdentifier("--name", name); !why.empty()) {
    std::cerr << "hcp admin user add: " << why << "\n";
    return 2;
  }
  if (!central::IsKnownRole(role)) {
    std::cerr << "hcp admin user add: --role handler, reviewer, admin or auditor\n";
    return 2;
  }
  if (role == central::kRoleHandler && unit.empty()) {
    std::cerr << "hcp admin user add: a handler belongs to a unit: --unit CODE\n";
    return 2;
  }
  std::string password;
  const bool generated = !args.Get("password-stdin");
  if (generated) {
    password = central::RandomBase62(20);
  } else {
    password = ReadStdin();
    if (auto nl = password.find('\n'); nl != std::string::npos) password.resize(nl);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (password.size() < central::kMinPasswordBytes) {
      std::cerr << "hcp admin user add: the password must have at least " << central::kMinPasswordBytes << " bytes\n";
      return 1;
    }
  }
  auto store = OpenCentre(args, true);
  if (!store) return 2;
  if (!unit.empty()) {
    auto found = store->FindUnit(unit);
    if (!found) return Fail(found.errors());
    if (!*found) return Fail({MakeError("admin.invalid", "unit", "no unit " + unit + " (hcp admin unit add)")});
  }
  auto hash = central::HashPassword(password);
  if (!hash) return Fail(hash.errors());
  auto added = store->AddUser(central::UserRecord{name, role, unit, *hash, false, 0});
  if (!added) return Fail(added.errors());
  if (!*added) return Fail({MakeError("admin.exists", "name", "user " + name)});
  auto audited = central::Audit(*store, kOperator, "user.add", "user:" + name, "",
                                Dump(Json{{"name", name}, {"role", role}, {"unit", unit}}));
  if (!audited) return Fail(audited.errors());
  if (generated) {
    std::cout << password << "\n";
    std::cerr << "user " << name << " added; the password above is shown once (the centre keeps only its hash)\n";
  } else {
    std::cerr << "user " << name << " added\n";
  }
  return 0;
}

int UserDisable(const ParsedArgs& args) {
  const std::string name = args.Get("name").value_or("");
  if (name.empty()) {
    std::cerr << "hcp admin user disable: say who: --name NAME\n";
    return 2;
  }
  auto store = OpenCentre(args, false);
  if (!store) return 2;
  auto disabled = store->DisableUser(name);
  if (!disabled) return Fail(disabled.errors());
  if (!*disabled) return Fail({MakeError("admin.invalid", "name", "no user " + name)});
  auto audited = central::Audit(*store, kOperator, "user.disable", "user:" + name, Dump(Json{{"disabled", false}}),
                                Dump(Json{{"disabled", true}}));
  if (!audited) return Fail(audited.errors());
  std::cerr << "user " << name << " disabled and signed out\n";
  return 0;
}

int Import(const ParsedArgs& args) {
  auto units_path = args.Get("units"), users_path = args.Get("users");
  if (!units_path && !users_path) {
    std::cerr << "hcp admin import: --units UNITS.csv and/or --users USERS.csv\n";
    return 2;
  }
  std::string units_text, users_text;
  for (auto [path, text] : {std::pair{&units_path, &units_text}, std::pair{&users_path, &users_text}}) {
    if (!*path) continue;
    auto read = ReadFile(**path);
    if (!read) return Fail(read.errors());
    *text = *read;
  }
  auto store = OpenCentre(args, true);
  if (!store) return 2;
  bool store_failed = false;
  auto unit_known = [&](const std::string& code) {
    auto f = store->FindUnit(code);
    store_failed = store_failed || !f;
    return f && f->has_value();
  };
  auto user_known = [&](const std::string& name) {
    auto f = store->FindUser(name);
    store_failed = store_failed || !f;
    return f && f->has_value();
  };
  auto files = central::ReadPeopleCsv(units_path.value_or("units.csv"), units_text, users_path.value_or("users.csv"),
                                      users_text, unit_known, user_known);
  if (store_failed) return Fail({MakeError("server.unavailable", "", "the centre's store did not answer")});
  if (!files.problems.empty()) {
    for (const auto& p : files.problems) std::cerr << p << "\n";
    std::cerr << "hcp admin import: " << files.problems.size() << " problem(s); nothing was imported\n";
    return 1;
  }
  std::vector<std::pair<std::string, std::string>> passwords;
  for (auto& u : files.users) {
    const std::string password = central::RandomBase62(20);
    auto hash = central::HashPassword(password);
    if (!hash) return Fail(hash.errors());
    u.password_hash = *hash;
    passwords.emplace_back(u.name, password);
  }
  auto imported = store->ImportPeople(files.units, files.users);
  if (!imported) {
    PrintErrors(imported.errors());
    std::cerr << "hcp admin import: nothing was imported\n";
    return 1;
  }
  for (const auto& u : files.units)
    central::Audit(*store, kOperator, "unit.add", "unit:" + u.code, "", Dump(Json{{"code", u.code}, {"name", u.name}}));
  for (const auto& u : files.users)
    central::Audit(*store, kOperator, "user.add", "user:" + u.name, "",
                   Dump(Json{{"name", u.name}, {"role", u.role}, {"unit", u.unit}}));
  if (!passwords.empty()) std::cout << CsvTextRow({"name", "password"});
  for (const auto& [name, password] : passwords) std::cout << CsvTextRow({name, password});
  std::cerr << "imported " << files.units.size() << " unit(s) and " << files.users.size()
            << " user(s); the passwords above are shown once\n";
  return 0;
}

}  // namespace

int AdminCommand(const Args& args) {
  auto parsed = ParseArgs(args, {"data", "db", "config", "code", "name", "role", "unit", "units", "users", "webhook",
                                 "webhook-secret", "webhook-secret-file"},
                          {"password-stdin"});
  if (!parsed) return 2;
  if (parsed->help) {
    std::cout << kHelp;
    return 0;
  }
  const auto& p = parsed->positional;
  if (p.size() == 2 && p[0] == "unit" && p[1] == "add") return UnitAdd(*parsed);
  if (p.size() == 2 && p[0] == "unit" && p[1] == "webhook") return UnitWebhook(*parsed);
  if (p.size() == 2 && p[0] == "user" && p[1] == "add") return UserAdd(*parsed);
  if (p.size() == 2 && p[0] == "user" && p[1] == "disable") return UserDisable(*parsed);
  if (p.size() == 1 && p[0] == "import") return Import(*parsed);
  std::cerr << kHelp;
  return 2;
}

}  // namespace hcp::cli
