// hcp central: run the centre, print its statistics, manage the integrating systems' API keys.
#include <pthread.h>
#include <signal.h>
#include <sodium.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "api_key.h"
#include "audit.h"
#include "central_config.h"
#include "admin_token.h"
#include "central_server.h"
#include "cli_io.h"
#include "commands.h"
#include "hcp/ticket_claims.h"
#include "stop_signals.h"
#include "summary_json.h"

namespace hcp::cli {
namespace {

constexpr const char* kHelp = R"(usage: hcp central --listen HOST:PORT --data DIR --trust-edge FILE.pub [--trust-edge ...]
                   [--seal-key DIR/seal.key] [--issuer-key DIR/issuer.key --link-base URL]
                   [--db postgresql://...] [--config FILE]
       hcp central stats --data DIR [--db postgresql://...] [--config FILE]
       hcp central apikey add --name NAME --data DIR [--db ...] [--config FILE]
       hcp central apikey list|revoke [--name NAME] --data DIR [--db ...] [--config FILE]
       hcp central resend --channel sms|webhook [--id ID] --data DIR [--db ...] [--config FILE]

Runs the centre: edges relay their accepted ratings here (POST /api/v1/ingest, signed with
edge.key); each rating is stored exactly once, and one rating per case and assess number is kept
across all edges (the first wins; a later one is kept apart as rejected and its edge is told).
Integrating systems report finished cases (POST /api/v1/cases, with an API key); with an issuer
key the centre issues each case's rating ticket and a short link for a QR code or an SMS.

options:
  --listen HOST:PORT   address to serve on (default 127.0.0.1:9090)
  --data DIR           folder for central.db (SQLite) and admin.token (created if missing)
  --trust-edge FILE    an edge's public key (edge.pub from hcp keygen); repeatable
  --seal-key FILE      the centre's secret seal.key: evaluators' contacts are sealed to seal.pub
                       and opened only here; reported phones are sealed with it. Without it the
                       centre refuses reports that carry a phone.
  --issuer-key FILE    issuer.key: issue the ticket for every reported case
  --link-base URL      the public edge's URL for short links (https://pj.example.gov.cn):
                       short_url = URL/r/CODE. Required with --issuer-key.
  --db URL             PostgreSQL (postgresql://user@host:5432/db) instead of SQLite in DIR
  --config FILE        JSON configuration with every key of docs/deploy.md; flags win over it
  --calendar DIR       working-day calendar year files over the embedded ones (hcp calendar);
                       the closed loop's deadlines and default ratings count on it
  --admin-web DIR      the back office's pages (web/admin), served at /admin/ (default: the
                       source tree's web/admin when it exists)

The admin API (GET /api/v1/stats/summary) takes "Authorization: Bearer TOKEN" with the token
in DIR/admin.token, created on first start (mode 0600).

hcp central stats prints the same summary JSON for operators and scripts: total = accepted
ratings; rejected duplicates are counted apart.

hcp central apikey add --name 网厅 prints a new API key for an integrating system once; the centre
stores only its hash. It is sent as "Authorization: Bearer KEY". apikey list shows the names,
apikey revoke --name NAME stops a key at once.

hcp central resend sends failed messages again (docs/notifications.md): every failed SMS or webhook
of the channel, or the one with --id, becomes pending with its attempts counted afresh; a running
centre picks them up within its poll interval. Fix the cause first (the gateway, the unit's URL).
Prints how many; each resend is in the audit trail.
)";

// --config first, then the flags over it.
Errors ReadSettings(const ParsedArgs& args, central::CentralSettings& s) {
  Errors errors;
  if (auto file = args.Get("config")) {
    auto text = ReadFile(*file);
    if (!text) errors = text.errors();
    else errors = central::ApplyCentralConfigFile(*text, s);
  }
  if (auto l = args.Get("listen"))
    for (auto& e : central::ApplyCentralListen(*l, s)) errors.push_back(e);
  if (auto v = args.Get("data")) s.data_dir = *v;
  if (auto v = args.Get("db")) s.db = *v;
  if (auto v = args.Get("seal-key")) s.seal_key = *v;
  if (auto v = args.Get("issuer-key")) s.issuer_key = *v;
  if (auto v = args.Get("link-base")) s.link_base = *v;
  if (auto v = args.Get("calendar")) s.calendar_dir = *v;
  if (auto v = args.Get("admin-web")) s.admin_web = *v;
  if (!args.GetAll("trust-edge").empty()) s.trust_edges = args.GetAll("trust-edge");
  return errors;
}

// The store for the operator's commands: PostgreSQL with --db, else the SQLite file, which must
// exist already (a typo in --data must not create an empty centre).
std::unique_ptr<central::CentralStore> OpenForOperator(const char* command, const central::CentralSettings& s) {
  if (s.data_dir.empty() && s.db.empty()) {
    std::cerr << "hcp central " << command << ": say which centre: --data DIR (or --db postgresql://...)\n";
    return nullptr;
  }
  if (s.db.empty() && !std::filesystem::exists(std::filesystem::path(s.data_dir) / "central.db")) {
    std::cerr << "hcp central " << command << ": no central.db in " << s.data_dir << "\n";
    return nullptr;
  }
  std::string error;
  auto store = central::OpenStore(s.db, s.data_dir, error);
  if (!store) std::cerr << "hcp central " << command << ": " << error << "\n";
  return store;
}

// The settings from --config and the flags, then the store as above; nullptr after saying why.
std::unique_ptr<central::CentralStore> OpenForOperator(const char* command, const ParsedArgs& args) {
  central::CentralSettings s;
  if (auto errors = ReadSettings(args, s); !errors.empty()) {
    PrintErrors(errors);
    return nullptr;
  }
  return OpenForOperator(command, s);
}

int Stats(const ParsedArgs& args) {
  auto store = OpenForOperator("stats", args);
  if (!store) return 2;
  auto summary = store->StatsSummary();
  if (!summary) {
    PrintErrors(summary.errors());
    return 1;
  }
  std::cout << Dump(central::SummaryToJson(*summary), 2) << "\n";
  return 0;
}

int Resend(const ParsedArgs& args) {
  const std::string channel = args.Get("channel").value_or("");
  if (channel != "sms" && channel != "webhook") {
    std::cerr << "hcp central resend: --channel sms or --channel webhook\n";
    return 2;
  }
  auto store = OpenForOperator("resend", args);
  if (!store) return 2;
  const std::string id = args.Get("id").value_or("");
  const int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  // Audited first, like every operator action: a resend that cannot be audited is not made.
  const central::Actor operator_actor{"hcp-central", std::string(central::kRoleAdmin), ""};
  auto audited = central::Audit(*store, operator_actor, "outbox.resend", "outbox:" + channel + (id.empty() ? "" : "/" + id),
                                "", Dump(Json{{"channel", channel}, {"id", id.empty() ? Json("all failed") : Json(id)}}));
  if (!audited) {
    PrintErrors(audited.errors());
    return 1;
  }
  auto requeued = store->RequeueFailedOutbox(channel, id, now_ms);
  if (!requeued) {
    PrintErrors(requeued.errors());
    return 1;
  }
  std::cout << Dump(Json{{"channel", channel}, {"requeued", *requeued}}) << "\n";
  if (*requeued == 0 && !id.empty()) {
    std::cerr << "hcp central resend: no failed " << channel << " message with id " << id << "\n";
    return 1;
  }
  return 0;
}

int ApiKey(const ParsedArgs& args) {
  const std::string action = args.positional.size() == 2 ? args.positional[1] : "";
  if (action != "add" && action != "list" && action != "revoke") {
    std::cerr << "hcp central apikey: add, list or revoke (see --help)\n";
    return 2;
  }
  central::CentralSettings s;
  if (auto errors = ReadSettings(args, s); !errors.empty()) {
    PrintErrors(errors);
    return 2;
  }
  auto name = args.Get("name");
  if (action != "list" && (!name || name->empty())) {
    std::cerr << "hcp central apikey " << action << ": say which integrating system: --name NAME\n";
    return 2;
  }
  // Adding a key to a new SQLite centre is how an operator sets one up: create the store.
  std::unique_ptr<central::CentralStore> store;
  if (action == "add" && s.db.empty() && !s.data_dir.empty()) {
    std::string error;
    store = central::OpenStore(s.db, s.data_dir, error);
    if (!store) std::cerr << "hcp central apikey: " << error << "\n";
  } else {
    store = OpenForOperator("apikey", s);
  }
  if (!store) return 2;
  if (action == "list") {
    auto keys = store->ListApiKeys();
    if (!keys) {
      PrintErrors(keys.errors());
      return 1;
    }
    Json out = Json::array();
    for (const auto& k : *keys)
      out.push_back(Json{{"name", k.name}, {"created_at", FormatRfc3339(k.created_at_ms / 1000)}, {"revoked", k.revoked}});
    std::cout << Dump(out, 2) << "\n";
    return 0;
  }
  if (action == "revoke") {
    auto revoked = store->RevokeApiKey(*name);
    if (!revoked) {
      PrintErrors(revoked.errors());
      return 1;
    }
    if (!*revoked) {
      std::cerr << "hcp central apikey revoke: no active key named " << *name << "\n";
      return 1;
    }
    std::cerr << "revoked " << *name << "\n";
    return 0;
  }
  const std::string key = central::NewApiKey();
  auto added = store->AddApiKey(*name, central::HashApiKey(key));
  if (!added) {
    PrintErrors(added.errors());
    return 1;
  }
  if (!*added) {
    std::cerr << "hcp central apikey add: a key named " << *name << " exists (revoke it, or pick another name)\n";
    return 1;
  }
  std::cout << key << "\n";
  std::cerr << "API key for " << *name << " (shown once; the centre keeps only its hash)\n";
  return 0;
}

// The seal key must parse, and must be the secret: a seal.pub given by mistake is 32 bytes too,
// so when seal.pub sits next to it, the public key it yields must match that file.
Result<SealKeyPair> LoadCentreSealKey(const std::string& path) {
  auto keys = LoadSealKeyPair(path);
  if (!keys) {
    Errors errors;
    for (const auto& e : keys.errors())
      errors.push_back(MakeError("config.invalid", "seal_key",
                                 "--seal-key " + path + " is not a seal key (the seal.key written by hcp keygen): " +
                                     e.message_en));
    return errors;
  }
  const auto pub_path = std::filesystem::path(path).parent_path() / "seal.pub";
  if (std::filesystem::exists(pub_path) && std::filesystem::path(path).filename() != "seal.pub") {
    auto pub = LoadSealPublicKey(pub_path.string());
    if (pub && pub->bytes != keys->pub.bytes)
      return MakeError("config.invalid", "seal_key",
                       "--seal-key " + path + " does not belong to " + pub_path.string() +
                           " next to it: give the secret seal.key of that pair");
  } else if (std::filesystem::path(path).extension() == ".pub") {
    return MakeError("config.invalid", "seal_key", "--seal-key takes the secret seal.key, not a .pub file: " + path);
  }
  return keys;
}

}  // namespace

int CentralCommand(const Args& args) {
  auto parsed = ParseArgs(args, {"listen", "data", "trust-edge", "seal-key", "issuer-key", "link-base", "db", "config",
                                 "name", "calendar", "admin-web", "channel", "id"});
  if (!parsed) return 2;
  if (parsed->help) {
    std::cout << kHelp;
    return 0;
  }
  if (parsed->positional.size() == 1 && parsed->positional[0] == "stats") return Stats(*parsed);
  if (!parsed->positional.empty() && parsed->positional[0] == "apikey") return ApiKey(*parsed);
  if (parsed->positional.size() == 1 && parsed->positional[0] == "resend") return Resend(*parsed);
  if (!parsed->positional.empty()) {
    std::cout << kHelp;
    return 2;
  }
  central::CentralSettings settings;
  Errors errors = ReadSettings(*parsed, settings);
  for (auto& e : central::ValidateCentralSettings(settings)) errors.push_back(e);
  std::vector<VerifyKey> edges;
  for (const auto& path : settings.trust_edges) {
    auto key = LoadVerifyKey(path);
    if (key) edges.push_back(*key);
    else errors.insert(errors.end(), key.errors().begin(), key.errors().end());
  }
  central::CentralConfig config;
  config.listen_host = settings.listen_host;
  config.listen_port = settings.listen_port;
  config.threads = settings.threads;
  config.max_clock_skew_s = settings.max_clock_skew_s;
  config.registry.link_base = settings.link_base;
  config.registry.ticket_days = settings.ticket_days;
  config.link_rate_per_second = settings.link_rate_per_second;
  config.link_rate_burst = settings.link_rate_burst;
  config.auth.auth.session_seconds = static_cast<int64_t>(settings.session_hours) * 3600;
  config.auth.cookie_secure = settings.cookie_secure;
  config.admin_web_dir = settings.admin_web;  // the back office's pages (issue 6)
#ifdef HCP_DEFAULT_ADMIN_DIR
  if (config.admin_web_dir.empty() && std::filesystem::is_directory(HCP_DEFAULT_ADMIN_DIR))
    config.admin_web_dir = HCP_DEFAULT_ADMIN_DIR;
#endif
  // The outboxes (docs/notifications.md): SMS gateway, templates, retries; the token from its file.
  config.notify = settings.notify;
  config.public_settings = settings.public_settings;  // the public page and API (issue 7)
  config.report_options = settings.report_options;    // the 通报 it makes each month (issue 7)
  config.report_options.hall_names = settings.public_settings.hall_names;  // named as on the public page
  if (config.notify.sms_file.empty())
    config.notify.sms_file = (std::filesystem::path(settings.data_dir) / "notifications.jsonl").string();
  if (!settings.notify.sms_token_file.empty()) {
    auto token = ReadFile(settings.notify.sms_token_file);
    if (token) config.notify.sms_token = *token;
    else errors.insert(errors.end(), token.errors().begin(), token.errors().end());
    while (!config.notify.sms_token.empty() && std::isspace(static_cast<unsigned char>(config.notify.sms_token.back())))
      config.notify.sms_token.pop_back();
  }
  if (!settings.seal_key.empty()) {
    auto keys = LoadCentreSealKey(settings.seal_key);
    if (keys) config.seal = *keys;
    else errors.insert(errors.end(), keys.errors().begin(), keys.errors().end());
  }
  if (!settings.issuer_key.empty()) {
    auto key = LoadSigningKey(settings.issuer_key);
    if (key) config.issuer = *key;
    else errors.insert(errors.end(), key.errors().begin(), key.errors().end());
  }
  // ---- the closed loop (issue 6 part A): calendar, limits, the daily job ----
  {
    auto calendar = LoadCalendar(settings.calendar_dir.empty() ? std::nullopt : std::optional<std::string>(settings.calendar_dir));
    if (calendar) config.calendar = std::move(calendar).value();
    else errors.insert(errors.end(), calendar.errors().begin(), calendar.errors().end());
    config.case_limits = CaseLimits{settings.return_visit_days, settings.rectify_days, settings.rectify_complex_days,
                                    settings.invalid_report_days, settings.review_days};
    config.default_rating = DefaultRatingRule{settings.default_rating_days,
                                              settings.default_rating_natural_days ? DayCount::Natural : DayCount::Working};
    for (auto& e : ValidateCaseLimits(config.case_limits)) errors.push_back(e);
    for (auto& e : ValidateDefaultRatingRule(config.default_rating)) errors.push_back(e);
    config.scheduler_interval_s = 3600;  // idempotent: hourly, so a day's items appear within the hour
  }
  if (!errors.empty()) {
    std::cerr << "hcp central: the configuration has problems; nothing was started.\n";
    PrintErrors(errors);
    return 2;
  }
  BlockStopSignals();

  std::string error;
  auto store = central::OpenStore(settings.db, settings.data_dir, error);
  if (!store) {
    std::cerr << "hcp central: " << error << "\n";
    return 1;
  }
  std::error_code ec;
  std::filesystem::create_directories(settings.data_dir, ec);  // admin.token lives there with PostgreSQL too
  config.admin_token = AdminToken(settings.data_dir);
  central::CentralServer server(config, std::move(store), edges);
  if (!server.Bind()) {
    std::cerr << "hcp central: cannot listen on " << config.listen_host << ":" << config.listen_port << "\n";
    return 1;
  }
  StopSignalWatch watch([&server](int) { server.Stop(); });  // destroyed before the server
  std::cerr << Dump(Json{{"level", "info"},
                         {"msg", "listening"},
                         {"host", config.listen_host},
                         {"port", server.port()},
                         {"data", settings.data_dir},
                         {"store", settings.db.empty() ? "sqlite" : "postgresql"},
                         {"edges", edges.size()},
                         {"seal_key", config.seal.has_value()},
                         {"issues_tickets", config.issuer.has_value()}})
            << std::endl;
  server.Run();
  std::cerr << Dump(Json{{"level", "info"}, {"msg", "stopped"}}) << std::endl;
  return 0;
}

}  // namespace hcp::cli
