#pragma once
// `hcp edge`: the server every citizen's rating goes through first. It verifies the real-name
// ticket, validates with the shared core, stores durably (group commit) before answering 201,
// and keeps the rating in its outbox until the centre has it.
#include <httplib.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "edge_config.h"
#include "hcp/catalogue.h"
#include "hcp/ticket_claims.h"
#include "link_resolver.h"
#include "listener.h"
#include "metrics.h"
#include "outbox.h"
#include "rate_limiter.h"
#include "relay.h"

namespace hcp::edge {

using server::Metrics;
using server::RateLimiter;

// Verifies a ticket at a given time (unix seconds); the ticket library provides it.
using TicketCheck = std::function<Result<TicketClaims>(std::string_view ticket, int64_t now_unix)>;

class EdgeServer {
 public:
  // Opens the outbox in config.data_dir; `error` says what failed.
  // With `relay`, accepted ratings are relayed to the centre by a worker thread.
  static std::unique_ptr<EdgeServer> Create(const EdgeConfig& config, ReasonCatalogue catalogue, TicketCheck check,
                                            std::string& error, std::optional<RelayConfig> relay = std::nullopt);
  ~EdgeServer();

  bool Bind();           // binds config's host and port (port 0: any free port)
  // Trusts one more embedding origin; before Run() only (hcp demo learns its own port at Bind).
  void AllowOrigin(const std::string& origin) { config_.allow_origins.push_back(origin); }
  int port() const { return port_; }
  void Run();            // serves until Stop(); then in-flight requests finish
  void Stop();
  Outbox& outbox() { return *outbox_; }
  Relay* relay() { return relay_.get(); }

 private:
  EdgeServer() = default;
  void Routes();
  void HandleForm(const httplib::Request& req, httplib::Response& res);
  void HandleRating(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader);
  void HandleMetrics(httplib::Response& res);
  bool AllowedOrigin(const std::string& origin) const;
  std::string ClientOf(const httplib::Request& req) const;
  void Log(const httplib::Request& req, const httplib::Response& res, double seconds);
  void LogEvent(const char* msg, const std::string& detail);
  void LogRejected(const RelayAck& ack);

  EdgeConfig config_;
  ReasonCatalogue catalogue_;
  TicketCheck check_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<Relay> relay_;  // declared after the outbox: stopped before it
  std::unique_ptr<LinkResolver> links_;  // with a centre: GET /api/v1/links/{code}
  std::unique_ptr<RateLimiter> limiter_;
  Metrics metrics_;
  httplib::Server http_;
  int port_ = 0;
  server::Listener listener_{http_};
  std::atomic<bool> stopping_{false};
  // When a rating was last refused because the disk is full (steady clock, ms; 0: never). For as
  // long as the Retry-After it sent (kStorageFullRetryS), /readyz says "not ready", so a load
  // balancer sends citizens to another edge; then it is ready again and the next write decides.
  std::atomic<int64_t> storage_full_at_ms_{0};
  std::mutex log_mu_;
};

}  // namespace hcp::edge
