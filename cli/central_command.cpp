// hcp central: run the centre, or print its statistics.
#include <pthread.h>
#include <signal.h>
#include <sodium.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "central_server.h"
#include "cli_io.h"
#include "commands.h"
#include "edge_config.h"
#include "summary_json.h"

namespace hcp::cli {
namespace {

constexpr const char* kHelp = R"(usage: hcp central --listen HOST:PORT --data DIR --trust-edge FILE.pub [--trust-edge ...]
       hcp central stats --data DIR

Runs the centre: edges relay their accepted ratings here (POST /api/v1/ingest, signed with
edge.key); each rating is stored exactly once, and one rating per case and assess number is kept
across all edges (the first wins; a later one is kept apart as rejected and its edge is told).

options:
  --listen HOST:PORT   address to serve on (default 127.0.0.1:9090)
  --data DIR           folder for central.db and admin.token (created if missing)
  --trust-edge FILE    an edge's public key (edge.pub from hcp keygen); repeatable

The admin API (GET /api/v1/stats/summary) takes "Authorization: Bearer TOKEN" with the token
in DIR/admin.token, created on first start (mode 0600).

hcp central stats --data DIR prints the same summary JSON for operators and scripts: total =
accepted ratings; rejected duplicates are counted apart.
)";

// The admin token: created once, random, readable only by the operator.
std::string AdminToken(const std::string& data_dir) {
  const auto path = std::filesystem::path(data_dir) / "admin.token";
  if (auto existing = ReadFile(path.string())) {
    std::string t = *existing;
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
    if (!t.empty()) return t;
  }
  unsigned char raw[24];
  randombytes_buf(raw, sizeof raw);
  char hex[sizeof raw * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  { std::ofstream(path) << hex << "\n"; }
  std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  return hex;
}

int Stats(const ParsedArgs& args) {
  auto data = args.Get("data");
  if (!data) {
    std::cerr << "hcp central stats: say which centre: --data DIR\n";
    return 2;
  }
  if (!std::filesystem::exists(std::filesystem::path(*data) / "central.db")) {
    std::cerr << "hcp central stats: no central.db in " << *data << "\n";
    return 2;
  }
  std::string error;
  auto store = central::OpenSqliteStore(*data, error);
  if (!store) {
    std::cerr << "hcp central stats: " << error << "\n";
    return 1;
  }
  auto summary = store->StatsSummary();
  if (!summary) {
    PrintErrors(summary.errors());
    return 1;
  }
  std::cout << Dump(central::SummaryToJson(*summary), 2) << "\n";
  return 0;
}

}  // namespace

int CentralCommand(const Args& args) {
  auto parsed = ParseArgs(args, {"listen", "data", "trust-edge", "seal-key", "issuer-key"});
  if (!parsed) return 2;
  if (parsed->help) {
    std::cout << kHelp;
    return 0;
  }
  if (parsed->positional.size() == 1 && parsed->positional[0] == "stats") return Stats(*parsed);
  if (!parsed->positional.empty()) {
    std::cout << kHelp;
    return 2;
  }
  central::CentralConfig config;
  edge::EdgeConfig listen;  // reuse the HOST:PORT parser
  Errors errors;
  if (auto l = parsed->Get("listen")) {
    errors = edge::ApplyListen(*l, listen);
    config.listen_host = listen.listen_host;
    config.listen_port = listen.listen_port;
  }
  auto data = parsed->Get("data");
  if (!data) errors.push_back(MakeError("config.invalid", "data", "say where the centre keeps its data: --data DIR"));
  std::vector<VerifyKey> edges;
  for (const auto& path : parsed->GetAll("trust-edge")) {
    auto key = LoadVerifyKey(path);
    if (key) edges.push_back(*key);
    else errors.insert(errors.end(), key.errors().begin(), key.errors().end());
  }
  if (parsed->GetAll("trust-edge").empty())
    errors.push_back(MakeError("config.invalid", "trust_edge", "trust at least one edge: --trust-edge DIR/edge.pub"));
  if (!errors.empty()) {
    std::cerr << "hcp central: the configuration has problems; nothing was started.\n";
    PrintErrors(errors);
    return 2;
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::string error;
  auto store = central::OpenSqliteStore(*data, error);
  if (!store) {
    std::cerr << "hcp central: " << error << "\n";
    return 1;
  }
  config.admin_token = AdminToken(*data);
  central::CentralServer server(config, std::move(store), edges);
  if (!server.Bind()) {
    std::cerr << "hcp central: cannot listen on " << config.listen_host << ":" << config.listen_port << "\n";
    return 1;
  }
  std::thread([&server, signals] {
    int sig = 0;
    sigwait(&signals, &sig);
    server.Stop();
  }).detach();
  std::cerr << Dump(Json{{"level", "info"}, {"msg", "listening"}, {"host", config.listen_host}, {"port", server.port()},
                         {"data", *data}, {"edges", edges.size()}})
            << std::endl;
  server.Run();
  std::cerr << Dump(Json{{"level", "info"}, {"msg", "stopped"}}) << std::endl;
  return 0;
}

}  // namespace hcp::cli
