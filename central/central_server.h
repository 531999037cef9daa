#pragma once
// `hcp central`: ingest from edges exactly once, the statistics summary, the case registry and
// its short links. The closed loop, back office and public pages build on this (later issues).
#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "auth_api.h"
#include "case_registry.h"
#include "central_store.h"
#include "closed_loop.h"
#include "closed_loop_api.h"
#include "public_api.h"
#include "hcp/default_rating.h"
#include "listener.h"
#include "scheduler.h"
#include "metrics.h"
#include "notifier.h"
#include "rate_limiter.h"
#include "report_api.h"
#include "report_maker.h"
#include "ticket/keys.h"

namespace hcp::central {

struct CentralConfig {
  std::string listen_host = "127.0.0.1";
  int listen_port = 9090;
  int threads = 32;
  int64_t max_batch_bytes = 32 * 1024 * 1024;
  int max_clock_skew_s = 300;  // an edge's signature timestamp may differ this much
  std::string admin_token;     // Bearer token for the admin API
  // --seal-key: opens evaluators' contacts (ContactUnsealer) and seals the phones of reported cases.
  std::optional<SealKeyPair> seal;
  // --issuer-key: the centre issues the ticket for each reported case (POST /api/v1/cases).
  std::optional<SigningKey> issuer;
  RegistryConfig registry;
  int64_t case_body_max_bytes = 64 * 1024;
  double link_rate_per_second = 50;  // GET /api/v1/links/{code}, per client address (an edge is one)
  double link_rate_burst = 200;
  // ---- the closed loop (issue 6 part A) ----
  WorkingCalendar calendar;        // hcp central --calendar; with no year at all the embedded years are used
  CaseLimits case_limits;          // working-day limits of the closed loop (DOMAIN.md §2 defaults)
  DefaultRatingRule default_rating;
  int scheduler_interval_s = 0;    // the daily job runs at start and then this often; 0: never (hcp central: 3600)
  std::function<int64_t()> now_ms; // the centre's clock (its day is "today"); empty: the system clock
  PublicSettings public_settings;  // the public page and API: minimum sample, hot items (issue 7)
  AuthApiConfig auth;  // back-office sign-in: sessions, cookie, login limits (issue 6 part B)
  std::string admin_web_dir;  // the back office's pages (web/admin) served under /admin/; empty: none
  ReportOptions report_options;  // the monthly 通报 the centre makes (issue 7; docs/reports.md)
  NotifySettings notify;  // SMS to citizens, webhooks to units: gateway, templates, retries (docs/notifications.md)
};

class CentralServer {
 public:
  CentralServer(CentralConfig config, std::unique_ptr<CentralStore> store, std::vector<VerifyKey> trusted_edges);
  ~CentralServer();
  bool Bind();
  int port() const { return port_; }
  void Run();
  void Stop();
  CentralStore& store() { return *store_; }
  // The closed loop's daily job once, for `today` (the scheduler thread calls it; so may tests and
  // operators); its counts go to /metrics.
  Result<DailyCounts> RunDaily(Date today);

 private:
  void Routes();
  void HandleIngest(const httplib::Request& req, httplib::Response& res);
  void HandleSummary(const httplib::Request& req, httplib::Response& res);
  void HandleCase(const httplib::Request& req, httplib::Response& res);
  void HandleLink(const httplib::Request& req, httplib::Response& res);
  void SchedulerLoop();  // the closed loop's daily job, until Stop

  CentralConfig config_;
  std::unique_ptr<CentralStore> store_;
  std::map<std::string, VerifyKey> edges_;  // by kid
  std::unique_ptr<CaseRegistry> registry_;
  std::unique_ptr<server::RateLimiter> link_limiter_;
  std::unique_ptr<AuthApi> auth_api_;  // /api/v1/login, /logout, /me; auth_api_->Resolver() for access.h
  server::Metrics metrics_;
  httplib::Server http_;
  int port_ = 0;
  server::Listener listener_{http_};
  std::atomic<int64_t> ingested_{0};
  std::atomic<int64_t> rejected_{0};  // second ratings of a case (rating.already_rated)
  std::atomic<int64_t> invalid_{0};   // ratings refused as invalid (ingest.rating_invalid)
  std::atomic<int64_t> cases_registered_{0};
  std::atomic<int64_t> links_resolved_{0};
  // ---- the closed loop (issue 6 part A) ----
  std::unique_ptr<ClosedLoop> loop_;
  std::unique_ptr<ClosedLoopApi> loop_api_;
  std::unique_ptr<Scheduler> scheduler_;
  std::thread scheduler_thread_;
  std::mutex scheduler_mu_;
  std::condition_variable scheduler_wake_;
  bool stopping_ = false;
  std::atomic<int64_t> defaults_given_{0};
  std::atomic<int64_t> escalated_{0};
  std::atomic<int64_t> overdue_now_{0};
  std::atomic<int64_t> scheduler_failures_{0};
  // ---- reports and samples (issue 7) ----
  std::unique_ptr<ReportApi> report_api_;
  std::atomic<int64_t> reports_made_{0};
  std::unique_ptr<Notifier> notifier_;  // the SMS and webhook outboxes' senders (docs/notifications.md)
  std::unique_ptr<PublicApi> public_api_;  // the public disclosure (issue 7)
};

}  // namespace hcp::central
