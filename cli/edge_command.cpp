// hcp edge: run the edge server.
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>

#include "cli_io.h"
#include "stop_signals.h"
#include "commands.h"
#include "edge_server.h"
#include "hcp/wire.h"
#include "ticket/ticket.h"

namespace hcp::cli {
namespace {

constexpr const char* kHelp = R"(usage: hcp edge --listen HOST:PORT --data DIR --issuer-key FILE.pub [--issuer-key FILE.pub ...]
                [--allow-origin URL ...] [--catalogue FILE] [--web DIR] [--config FILE]

Runs the edge server: citizens' ratings arrive here first. It verifies each rating's ticket
against the trusted issuer keys, validates the rating, and answers 201 only once the rating is
stored durably in DIR/outbox.db.

options:
  --listen HOST:PORT    address to serve on (default 127.0.0.1:8080; port 0 picks a free one)
  --data DIR            folder for the outbox database (created if missing)
  --issuer-key FILE     an issuer's public key (issuer.pub from hcp keygen); repeatable
  --allow-origin URL    a page origin allowed to embed the widget, e.g. https://www.example.gov.cn;
                        repeatable. Without any, browsers on other origins cannot call the API.
  --catalogue FILE      reason catalogue (default: the compiled-in one)
  --central URL         relay accepted ratings to this centre (e.g. http://127.0.0.1:9090)
  --edge-key FILE       the edge's key (edge.key from hcp keygen) that signs relay batches
  --web DIR             serve the rating widget's files from DIR at /widget/ (demo page:
                        /widget/demo.html?ticket=...) and the QR landing page at /r/CODE
                        (default: the build's web output, when it exists)
  --config FILE         JSON configuration for everything else; flags win over it.
                        Every key is documented in docs/deploy.md.

API (docs/api.md): GET /api/v1/form?ticket=..., POST /api/v1/ratings, GET /healthz, /readyz, /metrics.
SIGTERM or Ctrl-C: stops accepting, finishes requests in flight, exits 0.

example:
  hcp keygen --out keys
  hcp edge --listen 127.0.0.1:8080 --data edge-data --issuer-key keys/issuer.pub
)";

void LogLine(Json line) {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  line["ts"] = FormatRfc3339(std::chrono::duration_cast<std::chrono::seconds>(now).count());
  std::cerr << Dump(line) << std::endl;
}

}  // namespace

int EdgeCommand(const Args& args) {
  auto parsed = ParseArgs(args, {"listen", "data", "issuer-key", "allow-origin", "catalogue", "config", "central", "edge-key", "web"});
  if (!parsed) return 2;
  if (parsed->help || !parsed->positional.empty()) {
    std::cout << kHelp;
    return parsed->help ? 0 : 2;
  }
  edge::EdgeConfig config;
  Errors errors;
  if (auto file = parsed->Get("config")) {
    auto text = ReadFile(*file);
    if (!text) errors = text.errors();
    else errors = edge::ApplyEdgeConfigFile(*text, config);
  }
  if (auto listen = parsed->Get("listen"))
    for (auto& e : edge::ApplyListen(*listen, config)) errors.push_back(e);
  if (auto data = parsed->Get("data")) config.data_dir = *data;
  if (auto cat = parsed->Get("catalogue")) config.catalogue = *cat;
  if (auto central = parsed->Get("central")) config.central_url = *central;
  if (auto key = parsed->Get("edge-key")) config.edge_key = *key;
  if (auto web = parsed->Get("web")) config.web_dir = *web;
#ifdef HCP_DEFAULT_WEB_DIR
  // The wasm build's web/ folder, so a developer's `hcp edge` serves the widget it just built.
  if (config.web_dir.empty() && std::filesystem::is_directory(HCP_DEFAULT_WEB_DIR)) config.web_dir = HCP_DEFAULT_WEB_DIR;
#endif
  for (const auto& k : parsed->GetAll("issuer-key")) config.issuer_keys.push_back(k);
  for (const auto& o : parsed->GetAll("allow-origin")) config.allow_origins.push_back(o);
  for (auto& e : edge::ValidateEdgeConfig(config)) errors.push_back(e);

  TicketVerifier verifier;
  for (const auto& path : config.issuer_keys) {
    auto key = LoadVerifyKey(path);
    if (!key) {
      for (auto e : key.errors()) errors.push_back(e);
      continue;
    }
    verifier.Trust(*key);
  }
  std::optional<edge::RelayConfig> relay;
  if (!config.central_url.empty() && !config.edge_key.empty()) {
    auto key = LoadSigningKey(config.edge_key);
    if (key) {
      relay = edge::RelayConfig{config.central_url, *key};
      relay->batch = static_cast<size_t>(config.relay_batch);
      relay->lanes = config.relay_lanes;
      relay->backoff_max_ms = config.relay_backoff_max_ms;
    }
    else errors.insert(errors.end(), key.errors().begin(), key.errors().end());
  }
  auto catalogue = LoadCatalogue(config.catalogue);
  if (!catalogue) errors.insert(errors.end(), catalogue.errors().begin(), catalogue.errors().end());
  if (!errors.empty()) {
    std::cerr << "hcp edge: the configuration has problems; nothing was started.\n";
    PrintErrors(errors);
    return 2;
  }

  BlockStopSignals();

  std::string error;
  auto server = edge::EdgeServer::Create(
      config, std::move(catalogue).value(),
      [verifier](std::string_view ticket, int64_t now) { return verifier.Verify(ticket, now); }, error, relay);
  if (!server) {
    std::cerr << "hcp edge: " << error << "\n";
    return 1;
  }
  if (!server->Bind()) {
    std::cerr << "hcp edge: cannot listen on " << config.listen_host << ":" << config.listen_port
              << " (in use, or not an address of this machine?)\n";
    return 1;
  }
  {
    StopSignalWatch watch([&server](int sig) {
      LogLine({{"level", "info"}, {"msg", "stopping"}, {"signal", sig}});
      server->Stop();
    });
    LogLine({{"level", "info"}, {"msg", "listening"}, {"host", config.listen_host}, {"port", server->port()},
             {"data", config.data_dir}, {"issuers", config.issuer_keys.size()}, {"backlog", server->outbox().Backlog()}});
    server->Run();
  }  // the watch is gone: no Stop() is under way any more
  server.reset();  // drains the outbox writer
  LogLine({{"level", "info"}, {"msg", "stopped"}});
  return 0;
}

}  // namespace hcp::cli
