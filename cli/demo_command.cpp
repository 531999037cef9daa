// hcp demo: a centre (SQLite) and an edge in one process, with demo keys, a few finished demo
// cases registered at the centre (so each has a ticket and a short link), the edge's own origin
// trusted for embedding, two bad ratings waiting in the back office with demo users to sign in
// and close them, and the URLs to open printed first. What a newcomer runs first.
#include <sodium.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <iostream>
#include <thread>

#include "admin_token.h"
#include "auth.h"
#include "case_registry.h"
#include "central_server.h"
#include "cli_io.h"
#include "commands.h"
#include "centre_day.h"
#include "demo_history.h"
#include "edge_server.h"
#include "hcp/ticket_claims.h"
#include "hcp/wire.h"
#include "report_maker.h"
#include "stop_signals.h"
#include "ticket/keys.h"
#include "ticket/ticket.h"

namespace hcp::cli {
namespace {

constexpr const char* kHelp = R"(usage: hcp demo [--dir DIR] [--host HOST] [--edge-port PORT] [--central-port PORT] [--db URL]

Starts a centre (SQLite) and an edge together, for trying the system on one machine:
  - keys in DIR/keys (created by the same code as hcp keygen, on first run);
  - the centre in DIR/central: it trusts the edge's key, holds the sealing key, issues tickets;
  - the edge in DIR/edge: it trusts the issuer key, relays to the centre, serves the widget;
  - a few finished demo cases (three units, three items, channels pc, mobile and qr) reported
    to the centre's case registry, each with a fresh ticket and a short link;
  - the back office at CENTRE/admin/ with two demo users (a handler of 杭州市市场监督管理局
    and an office reviewer, fixed demo passwords) and two bad ratings of that unit, rated at
    the edge like any other, waiting as to-dos; a history of four months of ratings and last
    month's 通报 made from it (the back office's 报告 page).
It prints the URLs to open, the first being the demo government page with a ticket in it,
and writes the same as JSON to DIR/demo.json for scripts. Ctrl-C stops both servers.

options:
  --dir DIR            where keys and data live (default: hcp-demo); reused on the next run
  --host HOST          address both servers listen on (default 127.0.0.1)
  --edge-port PORT     the edge's port (default 8080; 0 = any free port)
  --central-port PORT  the centre's port (default 9090; 0 = any free port)
  --db URL             the centre's store in PostgreSQL (postgresql://…) instead of SQLite in DIR
)";

// The back office's demo users: fixed, printed, and only ever for a demo on one machine.
struct DemoUser {
  const char* name;
  const char* password;
  const char* role;
  int unit;  // index into kDemoCases, -1: none
};
constexpr DemoUser kDemoUsers[] = {
    {"demo-unit", "demo-unit-2026", "handler", 0},
    {"demo-office", "demo-office-2026", "reviewer", -1},
};

// Bad ratings the demo gives at the edge, for the handler's unit (kDemoCases[0]): one to rectify,
// one the unit will find untrue. reasons are codes of the default catalogue.
struct DemoBadRating {
  int satisfaction;  // 1 非常不满意, 2 不满意
  const char* reasons;
  const char* comment;
};
constexpr DemoBadRating kDemoBadRatings[] = {
    {1, R"(["203","204"])", "材料交了三次才受理，前后等了一个多星期。"},
    {2, R"(["201"])", "网上办事指南写的材料和窗口要的不一样。"},
};

struct DemoCase {
  const char* item;
  const char* item_name;
  const char* unit;
  const char* unit_name;
  const char* window;
  const char* channel;
  const char* masked_name;
};

// Three units and items of a city 政务服务中心, as a hall would report them.
constexpr DemoCase kDemoCases[] = {
    {"330100-0001", "个体工商户设立登记", "11330100MB0000000X", "杭州市市场监督管理局", "SMZX/A-03", "pc", "张*"},
    {"330100-0102", "居民身份证换领", "11330100MB0000001X", "杭州市公安局", "SMZX/B-07", "mobile", "李**"},
    {"330100-0207", "社会保障卡申领", "11330100MB0000002X", "杭州市人力资源和社会保障局", "SMZX/C-12", "qr", "欧阳**"},
};

std::string FormatPort(const std::string& host, int port) { return "http://" + host + ":" + std::to_string(port); }

// The ISO time of now in +08:00, the offset the tickets carry.
std::string NowBeijing(int64_t now_unix) {
  std::string utc = FormatRfc3339(now_unix + 8 * 3600);  // "...Z"
  return utc.substr(0, utc.size() - 1) + "+08:00";
}

std::optional<int> PortArg(const ParsedArgs& args, const char* name, int fallback, Errors& errors) {
  auto v = args.Get(name);
  if (!v) return fallback;
  char* end = nullptr;
  const long p = std::strtol(v->c_str(), &end, 10);
  if (v->empty() || *end != '\0' || p < 0 || p > 65535) {
    errors.push_back(MakeError("config.invalid", name, std::string("--") + name + " takes a port number 0..65535"));
    return std::nullopt;
  }
  return static_cast<int>(p);
}

}  // namespace

int DemoCommand(const Args& args) {
  auto parsed = ParseArgs(args, {"dir", "host", "edge-port", "central-port", "db"});
  if (!parsed) return 2;
  if (parsed->help || !parsed->positional.empty()) {
    std::cout << kHelp;
    return parsed->help ? 0 : 2;
  }
  Errors errors;
  const std::filesystem::path dir = parsed->Get("dir").value_or("hcp-demo");
  const std::string host = parsed->Get("host").value_or("127.0.0.1");
  const auto edge_port = PortArg(*parsed, "edge-port", 8080, errors);
  const auto central_port = PortArg(*parsed, "central-port", 9090, errors);
  if (!errors.empty()) {
    PrintErrors(errors);
    return 2;
  }
  if (sodium_init() < 0) return 1;

  const auto keys = dir / "keys";
  if (!std::filesystem::exists(keys / "issuer.key")) {
    auto written = WriteKeySet(keys.string(), false);
    if (!written) {
      std::cerr << "hcp demo: cannot create the demo keys in " << keys << "\n";
      PrintErrors(written.errors());
      return 1;
    }
  }
  auto issuer = LoadSigningKey((keys / "issuer.key").string());
  auto issuer_pub = LoadVerifyKey((keys / "issuer.pub").string());
  auto edge_key = LoadSigningKey((keys / "edge.key").string());
  auto edge_pub = LoadVerifyKey((keys / "edge.pub").string());
  auto seal = LoadSealKeyPair((keys / "seal.key").string());
  for (const auto* e : {&issuer.errors(), &issuer_pub.errors(), &edge_key.errors(), &edge_pub.errors(), &seal.errors()})
    errors.insert(errors.end(), e->begin(), e->end());
  auto catalogue = LoadCatalogue(std::nullopt);
  if (!catalogue) errors.insert(errors.end(), catalogue.errors().begin(), catalogue.errors().end());
  if (!errors.empty()) {
    std::cerr << "hcp demo: the keys in " << keys << " do not load (remove the folder to start afresh)\n";
    PrintErrors(errors);
    return 1;
  }
  BlockStopSignals();

  // The centre first: the edge relays to it, and the demo cases are registered with it.
  std::string error;
  const auto central_dir = (dir / "central").string();
  std::filesystem::create_directories(central_dir);
  auto store = central::OpenStore(parsed->Get("db").value_or(""), central_dir, error);
  if (!store) {
    std::cerr << "hcp demo: " << error << "\n";
    return 1;
  }
  // The back office's units and demo users (kept from an earlier run of the same DIR).
  for (const DemoCase& c : kDemoCases) store->AddUnit(central::UnitRecord{c.unit, c.unit_name, 0});
  for (const DemoUser& u : kDemoUsers) {
    auto known = store->FindUser(u.name);
    if (known && *known) continue;
    auto hash = central::HashPassword(u.password);
    if (!hash || !store->AddUser(central::UserRecord{u.name, u.role, u.unit < 0 ? "" : kDemoCases[u.unit].unit, *hash,
                                                     false, 0})) {
      std::cerr << "hcp demo: cannot add the demo user " << u.name << "\n";
      return 1;
    }
  }
  central::CentralConfig cconfig;
  cconfig.listen_host = host;
  cconfig.listen_port = *central_port;
  cconfig.admin_token = AdminToken(central_dir);
  cconfig.seal = *seal;
  cconfig.issuer = *issuer;
  cconfig.notify.sms_gateway = "file";  // the citizen's SMS, masked, in DIR/notifications.jsonl
  cconfig.notify.sms_file = (dir / "notifications.jsonl").string();
  cconfig.auth.cookie_secure = false;  // plain HTTP on one machine
  // A hall is the HALL part of the window claim (docs/reports.md §1): the demo's windows are in
  // hall SMZX, named here for the public page.
  cconfig.public_settings.hall_names["SMZX"] = "演示市民中心";
  cconfig.report_options.hall_names = cconfig.public_settings.hall_names;  // and in the 通报
#ifdef HCP_DEFAULT_ADMIN_DIR
  if (std::filesystem::is_directory(HCP_DEFAULT_ADMIN_DIR)) cconfig.admin_web_dir = HCP_DEFAULT_ADMIN_DIR;
#endif
  central::CentralServer centre(cconfig, std::move(store), {*edge_pub});
  if (!centre.Bind()) {
    std::cerr << "hcp demo: the centre cannot listen on " << host << ":" << *central_port
              << " (in use? try --central-port 0 for any free port)\n";
    return 1;
  }

  edge::EdgeConfig econfig;
  econfig.listen_host = host;
  econfig.listen_port = *edge_port;
  econfig.data_dir = (dir / "edge").string();
  econfig.issuer_keys = {(keys / "issuer.pub").string()};
  econfig.central_url = FormatPort(host, centre.port());
  econfig.edge_key = (keys / "edge.key").string();
  econfig.access_log = false;
#ifdef HCP_DEFAULT_WEB_DIR
  if (std::filesystem::is_directory(HCP_DEFAULT_WEB_DIR)) econfig.web_dir = HCP_DEFAULT_WEB_DIR;
#endif
  TicketVerifier verifier;
  verifier.Trust(*issuer_pub);
  auto edge = edge::EdgeServer::Create(
      econfig, std::move(catalogue).value(),
      [verifier](std::string_view ticket, int64_t now) { return verifier.Verify(ticket, now); }, error,
      edge::RelayConfig{econfig.central_url, *edge_key});
  if (!edge) {
    std::cerr << "hcp demo: " << error << "\n";
    return 1;
  }
  // The edge's origin is known only once it is bound (port 0); its own pages embed the widget.
  if (!edge->Bind()) {
    std::cerr << "hcp demo: the edge cannot listen on " << host << ":" << *edge_port
              << " (in use? try --edge-port 0 for any free port)\n";
    return 1;
  }
  const std::string edge_url = FormatPort(host, edge->port());
  edge->AllowOrigin(edge_url);
  edge->AllowOrigin("http://localhost:" + std::to_string(edge->port()));

  // Register the demo cases through the same code as POST /api/v1/cases.
  central::RegistryConfig rconfig;
  rconfig.link_base = edge_url;
  central::CaseRegistry registry(centre.store(), rconfig, *seal, *issuer);
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  Json cases = Json::array();
  std::vector<std::string> bad_tickets;  // the cases the demo rates bad itself
  Json bad_cases = Json::array();
  int n = 0;
  const size_t demo_count = std::size(kDemoCases) + std::size(kDemoBadRatings);
  for (size_t i = 0; i < demo_count; ++i) {
    const bool to_rate_bad = i >= std::size(kDemoCases);
    const DemoCase& c = kDemoCases[to_rate_bad ? 0 : i];
    ++n;
    const std::string case_id = "DEMO-" + std::to_string(now) + "-" + std::to_string(n);
    Json body = {{"case", case_id}, {"item", c.item}, {"item_name", c.item_name}, {"unit", c.unit},
                 {"unit_name", c.unit_name}, {"area", "330100"}, {"window", c.window}, {"channel", c.channel},
                 {"finished_at", NowBeijing(now - 600)},
                 {"evaluator", {{"sub", "demo-" + std::to_string(n)}, {"kind", "person"}, {"name", c.masked_name},
                                {"phone", "1380013800" + std::to_string(n)}}}};
    auto answer = registry.Register(body, "hcp demo", now);
    if (!answer) {
      std::cerr << "hcp demo: registering a demo case failed\n";
      PrintErrors(answer.errors());
      return 1;
    }
    if (to_rate_bad) {
      const DemoBadRating& b = kDemoBadRatings[bad_tickets.size()];
      bad_tickets.push_back(answer->body.value("ticket", ""));
      bad_cases.push_back(Json{{"case", case_id}, {"assess", 1}, {"unit", c.unit}, {"unit_name", c.unit_name},
                               {"item_name", c.item_name}, {"satisfaction", b.satisfaction}, {"comment", b.comment}});
      continue;
    }
    Json entry = answer->body;
    entry["item_name"] = c.item_name;
    entry["unit_name"] = c.unit_name;
    entry["channel"] = c.channel;
    cases.push_back(entry);
  }

  // The public page's history (cli/demo_history.h; a fresh demo only), with a fourth unit too small
  // for rates (样本不足).
  std::vector<DemoHistoryUnit> history;
  for (const DemoCase& c : kDemoCases) history.push_back({c.unit, c.unit_name, c.item, c.item_name, c.window, 100});
  history.push_back({"11330100MB0000003X", "杭州市不动产登记服务中心", "330100-0301", "不动产登记资料查询", "D-02", 6});
  auto history_calendar = WorkingCalendar::Embedded();
  auto seeded = SeedDemoHistory(centre.store(), history_calendar ? *history_calendar : WorkingCalendar{}, cconfig.case_limits,
                                edge_pub->kid, issuer_pub->kid, history, now * 1000);
  if (!seeded) {
    std::cerr << "hcp demo: the demo history for the public page was not stored\n";
    PrintErrors(seeded.errors());
    return 1;
  }
  // Last month's 通报 from that history, so the back office's 报告 page has one on any day (the
  // centre's own job makes it only from the first working day of a month on). Stored once: a
  // restart of the demo, or the centre's job, finds it and makes none.
  auto reported = central::MakePreviousMonthsReport(
      centre.store(), central::CentreDay(now * 1000), history_calendar ? *history_calendar : WorkingCalendar{},
      cconfig.case_limits, cconfig.report_options, now * 1000);
  if (!reported) {
    std::cerr << "hcp demo: last month's report was not made\n";
    PrintErrors(reported.errors());
    return 1;
  }

  const std::string first_ticket = cases[0].value("ticket", "");
  const bool widget = !econfig.web_dir.empty();
  Json users = Json::array();
  for (const DemoUser& u : kDemoUsers)
    users.push_back(Json{{"user", u.name}, {"password", u.password}, {"role", u.role},
                         {"unit", u.unit < 0 ? "" : kDemoCases[u.unit].unit},
                         {"unit_name", u.unit < 0 ? "政务服务管理局" : kDemoCases[u.unit].unit_name}});
  Json info = {{"edge", edge_url},
               {"central", econfig.central_url},
               {"admin_token", cconfig.admin_token},
               {"dir", std::filesystem::absolute(dir).string()},
               {"cases", cases},
               {"back_office", econfig.central_url + "/admin/"},
               {"users", users},
               {"bad_ratings", bad_cases},
               {"public_page", econfig.central_url + "/public/"}};
  if (widget) {
    info["government_page"] = edge_url + "/widget/demo.html?ticket=" + first_ticket;
    info["mobile_page"] = edge_url + "/widget/m.html?ticket=" + cases[1].value("ticket", "");
  }
  {
    std::ofstream out(dir / "demo.json");
    out << Dump(info, 2) << "\n";
  }

  std::thread edge_thread([&] { edge->Run(); });
  std::thread centre_thread([&] { centre.Run(); });
  // Declared after what it stops: destroyed first, so no Stop() is under way when they go.
  StopSignalWatch watch([&](int) {
    edge->Stop();
    centre.Stop();
  });

  // The demo's bad ratings, given at the edge like a citizen's; the relay brings them to the
  // centre, where each opens a to-do for the unit. Wait (a few seconds at most) until they have.
  {
    httplib::Client client(host, edge->port());
    client.set_read_timeout(10);
    size_t given = 0;
    for (size_t i = 0; i < bad_tickets.size(); ++i) {
      const DemoBadRating& b = kDemoBadRatings[i];
      Json body = {{"ticket", bad_tickets[i]}, {"satisfaction", b.satisfaction},
                   {"reasons", Json::parse(b.reasons, nullptr, false)}, {"comment", b.comment}};
      auto res = client.Post("/api/v1/ratings", {{"Idempotency-Key", "demo-bad-" + std::to_string(now) + "-" + std::to_string(i)}},
                             Dump(body), "application/json");
      if (res && res->status == 201) ++given;
      else std::cerr << "hcp demo: the demo's bad rating was refused: " << (res ? res->body : "no answer") << "\n";
    }
    for (int tries = 0; tries < 100; ++tries) {
      auto open = centre.store().HandlingCases(kDemoCases[0].unit, true);
      size_t fresh = 0;
      if (open)
        for (const auto& c : *open) fresh += c.case_id.rfind("DEMO-" + std::to_string(now) + "-", 0) == 0;
      if (fresh >= given) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  std::cout << "haochaping demo: a centre and an edge are running (Ctrl-C stops both).\n\n";
  if (widget) {
    std::cout << "  Rate a service (demo government page):\n    " << info["government_page"].get<std::string>() << "\n"
              << "  The mobile H5 page:\n    " << info["mobile_page"].get<std::string>() << "\n";
  } else {
    std::cout << "  (The widget is not built: cmake --preset wasm && cmake --build --preset wasm, then run again.)\n";
  }
  std::cout << "  QR code / SMS short link (" << cases[2]["item_name"].get<std::string>() << "):\n    "
            << cases[2].value("short_url", "") << "\n"
            << "  The edge's API (what the widget calls):\n    " << edge_url << "/api/v1/form?ticket=" << first_ticket
            << "\n"
            << "  The centre's statistics (the rating arrives here within a second or two):\n"
            << "    curl -H 'Authorization: Bearer " << cconfig.admin_token << "' " << econfig.central_url
            << "/api/v1/stats/summary\n\n"
            << "  Rate with curl instead of the page:\n"
            << "    curl -X POST " << edge_url << "/api/v1/ratings -H 'Idempotency-Key: demo-" << now << "' \\\n"
            << "      -d '{\"ticket\":\"" << first_ticket << "\",\"satisfaction\":2,\"reasons\":[\"203\"],"
            << "\"comment\":\"等了很久\"}'\n\n"
            << "  The back office (差评处置后台): " << info["back_office"].get<std::string>() << "\n"
            << "    sign in as the unit's handler " << kDemoUsers[0].name << " / " << kDemoUsers[0].password << " ("
            << kDemoCases[0].unit_name << ": two bad ratings to handle)\n"
            << "    or as the office's reviewer " << kDemoUsers[1].name << " / " << kDemoUsers[1].password << "\n"
            << "    (报告: last month's 通报; 抽样回访: the reviewer draws a return-visit sample, the handler calls)\n\n"
            << "  The public figures (公开数据, no sign-in; a demo history of DEMO-HIST- cases):\n    "
            << info["public_page"].get<std::string>() << "\n\n"
            << "  Keys, data and these URLs (demo.json): " << info["dir"].get<std::string>() << "\n"
            << std::flush;

  edge_thread.join();
  centre_thread.join();
  std::cout << "haochaping demo: stopped; the data stays in " << info["dir"].get<std::string>() << "\n";
  return 0;
}

}  // namespace hcp::cli
