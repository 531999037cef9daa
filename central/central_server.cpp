#include "central_server.h"

#include <sys/socket.h>

#include <chrono>
#include <cstdlib>

#include "hcp/ticket_claims.h"
#include "hcp/json_text.h"
#include "hcp/wire.h"
#include "http_errors.h"
#include "admin_pages.h"
#include "api_key.h"
#include "centre_day.h"
#include "ingest_rating.h"
#include "ingest_spans.h"
#include "short_code.h"
#include "webhook_event.h"
#include "summary_json.h"

namespace hcp::central {
namespace {

using server::SendError;
using server::SendErrors;
using Clock = std::chrono::steady_clock;
thread_local Clock::time_point t_request_start;

// "HCP-Edge-Ed25519 kid=…,ts=…,sig=…" → its three parts.
bool ParseEdgeAuth(const std::string& header, std::string& kid, std::string& ts, std::string& sig) {
  const std::string scheme = "HCP-Edge-Ed25519 ";
  if (header.rfind(scheme, 0) != 0) return false;
  std::string rest = header.substr(scheme.size());
  size_t at = 0;
  while (at < rest.size()) {
    const size_t comma = rest.find(',', at);
    const std::string part = rest.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
    const size_t eq = part.find('=');
    if (eq != std::string::npos) {
      const std::string key = part.substr(0, eq), value = part.substr(eq + 1);
      if (key == "kid") kid = value;
      else if (key == "ts") ts = value;
      else if (key == "sig") sig = value;
    }
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
  return !kid.empty() && !ts.empty() && !sig.empty();
}

std::string RouteOf(const std::string& path) {
  for (const char* r : {"/api/v1/ingest", "/api/v1/stats/summary", "/api/v1/cases", "/healthz", "/readyz", "/metrics",
                        "/api/v1/login", "/api/v1/logout", "/api/v1/me"})
    if (path == r) return r;
  if (path.rfind("/api/v1/links/", 0) == 0) return "/api/v1/links/{code}";
  if (path.rfind("/admin", 0) == 0) return "/admin/*";  // the back office's pages
  if (auto r = ClosedLoopApi::RouteOf(path); !r.empty()) return r;  // the closed loop (issue 6 part A)
  if (auto r = ReportApi::RouteOf(path); !r.empty()) return r;  // reports and samples (issue 7)
  if (path == "/api/v1/public/stats" || path == "/api/v1/public/bad-ratings") return path;  // issue 7
  if (path.rfind("/public", 0) == 0) return "/public/";
  return "other";
}

int64_t NowUnix() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

CentralServer::CentralServer(CentralConfig config, std::unique_ptr<CentralStore> store, std::vector<VerifyKey> trusted_edges)
    : config_(std::move(config)), store_(std::move(store)) {
  for (auto& k : trusted_edges) edges_[k.kid] = k;
  registry_ = std::make_unique<CaseRegistry>(*store_, config_.registry, config_.seal, config_.issuer);
  link_limiter_ = std::make_unique<server::RateLimiter>(config_.link_rate_per_second, config_.link_rate_burst);
  // The closed loop (issue 6): who acts is the back-office session (auth_api.h) and nothing else;
  // the admin token is the operator's statistics key, not a person, so it opens no case.
  if (config_.calendar.Years().empty()) {
    if (auto embedded = WorkingCalendar::Embedded()) config_.calendar = std::move(embedded).value();
  }
  if (!config_.now_ms) {
    config_.now_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    };
  }
  loop_ = std::make_unique<ClosedLoop>(*store_, config_.calendar, config_.case_limits);
  auth_api_ = std::make_unique<AuthApi>(*store_, config_.auth);
  loop_api_ = std::make_unique<ClosedLoopApi>(*loop_, *store_, auth_api_->Resolver(), config_.now_ms, config_.seal);
  scheduler_ = std::make_unique<Scheduler>(*store_, *loop_, config_.calendar, config_.default_rating);
  loop_->SetSmsTemplates(config_.notify.templates);  // the outboxes (docs/notifications.md)
  notifier_ = std::make_unique<Notifier>(*store_, config_.notify, config_.seal, config_.now_ms);
  public_api_ = std::make_unique<PublicApi>(*store_, config_.calendar, config_.case_limits, config_.now_ms,
                                            config_.public_settings);  // the public disclosure (issue 7)
  // Cases counted by the backfill of migration 6 get their figures now (the store has no calendar).
  if (auto refreshed = public_api_->RefreshStale(); !refreshed)
    std::fprintf(stderr, "hcp central: public figures of older cases not computed: %s\n",
                 refreshed.errors().front().message_en.c_str());
  // Reports and samples (issue 7); who asks is the back-office session, so after auth_api_.
  report_api_ = std::make_unique<ReportApi>(*store_, auth_api_->Resolver(), config_.calendar, config_.case_limits,
                                            config_.now_ms, config_.seal);
  Routes();
}

CentralServer::~CentralServer() { Stop(); }

bool CentralServer::Bind() {
  port_ = listener_.Bind(config_.listen_host, config_.listen_port);
  return port_ > 0;
}

void CentralServer::Run() {
  {
    std::lock_guard lock(scheduler_mu_);
    if (config_.scheduler_interval_s > 0 && !stopping_ && !scheduler_thread_.joinable())
      scheduler_thread_ = std::thread([this] { SchedulerLoop(); });
    if (!stopping_) notifier_->Start();
  }
  listener_.Run();
}

void CentralServer::Stop() {
  listener_.Stop();
  // Stop may come from a signal thread and the destructor at once: one of them takes the thread.
  std::thread scheduler;
  {
    std::lock_guard lock(scheduler_mu_);
    stopping_ = true;
    scheduler = std::move(scheduler_thread_);
  }
  scheduler_wake_.notify_all();
  if (scheduler.joinable()) scheduler.join();
  notifier_->Stop();
}

// ---- the closed loop's daily job (issue 6 part A) ----
Result<DailyCounts> CentralServer::RunDaily(Date today) {
  auto counts = scheduler_->RunDaily(today, config_.now_ms());
  if (!counts) {
    ++scheduler_failures_;
    return counts;
  }
  defaults_given_ += counts->defaults_given;
  escalated_ += counts->escalated;
  overdue_now_ = counts->overdue;
  // The previous month's 通报, made once on the first working day of the month (issue 7).
  auto report = MakeMonthlyReportIfDue(*store_, today, config_.calendar, config_.case_limits, config_.report_options,
                                       config_.now_ms());
  if (!report) ++scheduler_failures_;
  else if (*report) ++reports_made_;
  return counts;
}

// Runs at start and then every interval: both parts are idempotent, so running more often than
// daily only makes a default rating or an escalation appear sooner after its day starts.
void CentralServer::SchedulerLoop() {
  std::unique_lock lock(scheduler_mu_);
  while (!stopping_) {
    lock.unlock();
    RunDaily(CentreDay(config_.now_ms()));
    lock.lock();
    scheduler_wake_.wait_for(lock, std::chrono::seconds(config_.scheduler_interval_s), [this] { return stopping_; });
  }
}

void CentralServer::Routes() {
  const size_t threads = static_cast<size_t>(config_.threads);
  http_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http_.set_tcp_nodelay(true);
  http_.set_read_timeout(30);
  http_.set_write_timeout(30);
  http_.set_payload_max_length(static_cast<size_t>(config_.max_batch_bytes));
  http_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    t_request_start = Clock::now();
    // A report of a case is small; the server-wide limit is sized for edges' batches. Refuse a
    // larger declared body before reading it, and close the connection (its body stays unread).
    if (req.path == "/api/v1/cases" && req.has_header("Content-Length") &&
        std::strtoll(req.get_header_value("Content-Length").c_str(), nullptr, 10) > config_.case_body_max_bytes) {
      SendError(res, MakeError("request.too_large", "", std::to_string(config_.case_body_max_bytes)));
      server::CloseAfterAnswer(res);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http_.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    res.set_header("X-Content-Type-Options", "nosniff");
  });
  http_.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty() && res.status == 404) SendError(res, MakeError("request.not_found"));
  });
  http_.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    metrics_.Observe(RouteOf(req.path), res.status, std::chrono::duration<double>(Clock::now() - t_request_start).count());
  });
  http_.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"status":"ok"})", "application/json");
  });
  http_.Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    const bool ready = store_->Healthy();
    res.status = ready ? 200 : 503;
    res.set_content(ready ? R"({"status":"ready"})" : R"({"status":"not ready"})", "application/json");
  });
  http_.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics_.Render(notifier_->WithSamples({{"hcp_ingest_stored_total", "Ratings acknowledged as stored since start.",
                                      static_cast<double>(ingested_), server::Metrics::kCounter},
                                     {"hcp_ingest_rejected_total", "Ratings refused as a second rating for a case.",
                                      static_cast<double>(rejected_), server::Metrics::kCounter},
                                     {"hcp_ingest_invalid_total", "Ratings refused as invalid (kept as rejected with the reason).",
                                      static_cast<double>(invalid_), server::Metrics::kCounter},
                                     {"hcp_cases_registered_total", "Cases newly registered since start (replays not counted).",
                                      static_cast<double>(cases_registered_), server::Metrics::kCounter},
                                     {"hcp_links_resolved_total", "Short links resolved to a ticket since start.",
                                      static_cast<double>(links_resolved_), server::Metrics::kCounter},
                                     // the closed loop (issue 6 part A)
                                     {"hcp_default_ratings_total", "Default ratings (基本满意, system default) given since start.",
                                      static_cast<double>(defaults_given_), server::Metrics::kCounter},
                                     {"hcp_cases_escalated_total", "Overdue handling deadlines escalated to the office since start.",
                                      static_cast<double>(escalated_), server::Metrics::kCounter},
                                     {"hcp_cases_overdue", "Open bad-rating cases past their deadline at the daily job's last run.",
                                      static_cast<double>(overdue_now_), !server::Metrics::kCounter},
                                     {"hcp_scheduler_failures_total", "Daily job runs that failed (the store was unavailable).",
                                      static_cast<double>(scheduler_failures_), server::Metrics::kCounter},
                                     {"hcp_reports_made_total", "Monthly reports the centre made and stored since start (issue 7).",
                                      static_cast<double>(reports_made_), server::Metrics::kCounter}})),
                    "text/plain; version=0.0.4");
  });
  http_.Post("/api/v1/ingest", [this](const httplib::Request& req, httplib::Response& res) { HandleIngest(req, res); });
  http_.Get("/api/v1/stats/summary", [this](const httplib::Request& req, httplib::Response& res) { HandleSummary(req, res); });
  http_.Post("/api/v1/cases", [this](const httplib::Request& req, httplib::Response& res) { HandleCase(req, res); });
  http_.Get(R"(/api/v1/links/([^/]*))", [this](const httplib::Request& req, httplib::Response& res) { HandleLink(req, res); });
  auth_api_->Mount(http_);  // back-office sign-in (issue 6 part B)
  loop_api_->Mount(http_);  // the closed loop (issue 6 part A)
  if (!config_.admin_web_dir.empty()) MountAdminPages(http_, config_.admin_web_dir);  // the back office (/admin/)
  report_api_->Mount(http_);  // reports and samples (issue 7)
  public_api_->Register(http_);  // the public disclosure (issue 7)
}

void CentralServer::HandleCase(const httplib::Request& req, httplib::Response& res) {
  // An integrating system's API key (hcp central apikey add): only its hash is looked up.
  const std::string auth = req.get_header_value("Authorization");
  const std::string scheme = "Bearer ";
  if (auth.rfind(scheme, 0) != 0 || auth.size() == scheme.size())
    return SendError(res, MakeError("auth.api_key_required", "Authorization", "no key"));
  auto source = store_->ApiKeyName(HashApiKey(std::string_view(auth).substr(scheme.size())));
  if (!source) return SendErrors(res, source.errors());
  if (!*source) return SendError(res, MakeError("auth.api_key_required", "Authorization", "unknown or revoked key"));
  if (static_cast<int64_t>(req.body.size()) > config_.case_body_max_bytes)
    return SendError(res, MakeError("request.too_large", "", std::to_string(config_.case_body_max_bytes)));
  auto body = ParseJson(req.body);
  if (!body) return SendErrors(res, body.errors());
  auto answer = registry_->Register(*body, **source, NowUnix());
  if (!answer) return SendErrors(res, answer.errors());
  res.status = 201;
  if (answer->created) ++cases_registered_;
  else res.set_header("Idempotent-Replayed", "true");
  res.set_content(Dump(answer->body), "application/json; charset=utf-8");
}

void CentralServer::HandleLink(const httplib::Request& req, httplib::Response& res) {
  // Codes are unguessable; the limit makes walking them slower still.
  if (auto wait = link_limiter_->Take(req.remote_addr)) {
    res.set_header("Retry-After", std::to_string(*wait));
    return SendError(res, MakeError("request.rate_limited", "", std::to_string(*wait)));
  }
  const std::string code = req.matches.size() > 1 ? req.matches[1].str() : "";
  if (!LooksLikeShortCode(code)) return SendError(res, MakeError("link.not_found", "code"));
  auto ticket = store_->TicketByShortCode(code);
  if (!ticket) return SendErrors(res, ticket.errors());
  if (!*ticket) return SendError(res, MakeError("link.not_found", "code"));
  ++links_resolved_;
  res.set_content(Dump(Json{{"ticket", **ticket}}), "application/json; charset=utf-8");
}

void CentralServer::HandleIngest(const httplib::Request& req, httplib::Response& res) {
  std::string kid, ts, sig;
  if (!ParseEdgeAuth(req.get_header_value("Authorization"), kid, ts, sig))
    return SendError(res, MakeError("ingest.unauthorized", "Authorization", "expected HCP-Edge-Ed25519 kid=…,ts=…,sig=…"));
  auto edge = edges_.find(kid);
  if (edge == edges_.end()) return SendError(res, MakeError("ingest.unknown_edge", "Authorization", kid));
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const int64_t when = std::strtoll(ts.c_str(), nullptr, 10);
  if (std::llabs(now - when) > config_.max_clock_skew_s) return SendError(res, MakeError("ingest.stale", "Authorization", ts));
  // The signature covers the exact bytes received, so nothing is parsed before it is checked.
  if (!VerifyDetached("hcp-ingest-v1\n" + ts + "\n" + req.body, sig, edge->second))
    return SendError(res, MakeError("ingest.unauthorized", "Authorization", "bad signature"));

  auto body = ParseJson(req.body, 8);
  if (!body) return SendErrors(res, body.errors());
  if (!body->is_object() || !body->contains("ratings") || !(*body)["ratings"].is_array())
    return SendError(res, MakeError("ingest.invalid", "ratings", "a list of ratings"));
  const auto& ratings = (*body)["ratings"];
  // Each rating is answered by its id: without one, nothing of the batch can be (the edge sends
  // an id with every rating; anything else wrong with a rating is answered for that rating alone).
  for (const Json& r : ratings)
    if (!r.is_object() || !r.contains("id") || !r["id"].is_string())
      return SendError(res, MakeError("ingest.invalid", "ratings", "a rating is not an object with a string id"));
  // The claims and rating are stored as the bytes received (which the signature covers), not
  // serialised again from the parse; where the scan cannot tell, they are (IngestRatingSpans).
  std::vector<RatingSpans> spans = IngestRatingSpans(req.body);
  if (spans.size() != ratings.size()) spans.assign(ratings.size(), RatingSpans{});
  std::vector<RelayedRating> batch;
  batch.reserve(ratings.size());
  const std::string today = CentreDay(config_.now_ms()).ToString();  // a bad rating's case opens today
  for (size_t i = 0; i < ratings.size(); ++i) {
    RelayedRating rr = ReadIngestedRating(ratings[i], spans[i]);
    if (rr.invalid.empty()) {
      rr.day = today;
      rr.todo = CaseOpenedEvent(rr, *Date::Parse(today), config_.case_limits, config_.calendar, config_.now_ms());
    }
    batch.push_back(std::move(rr));
  }
  auto results = store_->Ingest(kid, batch);
  if (!results) return SendErrors(res, results.errors());
  // The answer is written as text, the same bytes as Dump of its JSON (keys in order), rather than
  // built as a JSON object per rating first: nearly every result is a plain "stored".
  std::string out = "{\"results\":[";
  out.reserve(out.size() + results->size() * 48);
  for (size_t i = 0; i < results->size(); ++i) {
    const IngestResult& r = (*results)[i];
    if (i > 0) out += ',';
    if (r.status == IngestStatus::Stored) {
      ++ingested_;
      out += "{\"id\":";
      AppendJsonString(out, r.id);
      out += ",\"status\":\"stored\"}";
      continue;
    }
    ++(r.reason == "rating.already_rated" ? rejected_ : invalid_);
    Json j = {{"id", r.id}, {"status", "rejected"}, {"reason", r.reason}};
    if (!r.existing_id.empty()) j["existing_id"] = r.existing_id;
    if (!r.detail.empty()) j["detail"] = r.detail;
    out += Dump(j);
  }
  out += "]}";
  res.set_content(out, "application/json");
}

void CentralServer::HandleSummary(const httplib::Request& req, httplib::Response& res) {
  const std::string expected = "Bearer " + config_.admin_token;
  if (config_.admin_token.empty() || req.get_header_value("Authorization") != expected)
    return SendError(res, MakeError("auth.required", "Authorization"));
  auto summary = store_->StatsSummary();
  if (!summary) return SendErrors(res, summary.errors());
  res.set_content(Dump(SummaryToJson(*summary)), "application/json; charset=utf-8");
}

}  // namespace hcp::central
