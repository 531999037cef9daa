#include "edge_server.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

#include <sys/socket.h>

#include "hcp/json_text.h"
#include "hcp/wire.h"
#include "http_errors.h"
#include "request_hash.h"
#include "static_files.h"

namespace hcp::edge {

using server::CloseAfterAnswer;
using server::SendError;
using server::SendErrors;

namespace {

using Clock = std::chrono::steady_clock;

// How long a client refused for a full disk is told to wait, and the edge says "not ready".
constexpr int64_t kStorageFullRetryS = 60;

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
}

// Set when a request's first handler runs; the logger, on the same thread, reads it.
thread_local Clock::time_point t_request_start;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string FormatUtcMs(int64_t ms) {
  std::string s = FormatRfc3339(ms / 1000);  // "...T..:..:..Z"
  const int frac = static_cast<int>(ms % 1000);
  s.back() = '.';
  s += static_cast<char>('0' + frac / 100);
  s += static_cast<char>('0' + frac / 10 % 10);
  s += static_cast<char>('0' + frac % 10);
  s += 'Z';
  return s;
}

// Unique across edges without coordination: time for ordering, 64 random bits for uniqueness.
std::string NewRatingId(int64_t now_ms) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[40];
  std::snprintf(buf, sizeof buf, "r-%011llx%016llx", static_cast<unsigned long long>(now_ms),
                static_cast<unsigned long long>(rng()));
  return buf;
}

bool ValidIdempotencyKey(const std::string& key) {
  if (key.empty() || key.size() > 128) return false;
  for (unsigned char c : key)
    if (c < 0x21 || c > 0x7e) return false;
  return true;
}

constexpr size_t kMaxHeaders = 100;

// How much of an oversized rating body is read and discarded to answer 413 on a live connection.
size_t DrainLimit(size_t cap) { return std::max<size_t>(cap * 8, 1 << 20); }

bool HasBody(const httplib::Request& req) {
  if (req.has_header("Transfer-Encoding")) return true;
  const std::string length = req.get_header_value("Content-Length");
  return !length.empty() && length.find_first_not_of('0') != std::string::npos;
}

// The methods each fixed route answers; nullptr for paths routed elsewhere.
const char* AllowedMethods(const std::string& path) {
  if (path == "/api/v1/ratings") return "POST, OPTIONS";
  if (path == "/api/v1/form" || path == "/healthz" || path == "/readyz" || path == "/metrics") return "GET, HEAD";
  return nullptr;
}

bool MethodIn(const std::string& method, std::string_view allowed) {
  size_t at = allowed.find(method);
  while (at != std::string_view::npos) {
    const size_t end = at + method.size();
    if ((at == 0 || allowed[at - 1] == ' ') && (end == allowed.size() || allowed[end] == ',')) return true;
    at = allowed.find(method, at + 1);
  }
  return false;
}

std::string RouteOf(const std::string& path) {
  for (const char* r : {"/api/v1/ratings", "/api/v1/form", "/healthz", "/readyz", "/metrics"})
    if (path == r) return r;
  // Routes with a variable part are counted together (a label per code would never end).
  for (const char* prefix : {"/api/v1/links/", "/widget/", "/r/"})
    if (path.rfind(prefix, 0) == 0) return std::string(prefix) + "*";
  return "other";
}

// The 201 answer: the same bytes as Dump of the equivalent object (keys sorted), written without
// building and serialising a JSON tree (that cost ~3 % of the edge's CPU per rating).
std::string StoredAnswer(const StoredRating& s) {
  std::string out = R"({"assess":)";
  out += std::to_string(s.assess);
  out += R"(,"case":)";
  AppendJsonString(out, s.case_id);  // escaped as Dump would
  out += R"(,"id":)";
  AppendJsonString(out, s.id);
  out += R"(,"message":"评价已收到，感谢您的参与","message_en":"Your rating was received, thank you","received_at":")";
  out += FormatUtcMs(s.received_at_ms);
  out += R"(","satisfaction":)";
  out += std::to_string(s.satisfaction);
  out += R"(,"status":"accepted"})";
  return out;
}

}  // namespace

std::unique_ptr<EdgeServer> EdgeServer::Create(const EdgeConfig& config, ReasonCatalogue catalogue, TicketCheck check,
                                               std::string& error, std::optional<RelayConfig> relay) {
  std::unique_ptr<EdgeServer> s(new EdgeServer());
  s->config_ = config;
  s->catalogue_ = std::move(catalogue);
  s->check_ = std::move(check);
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    error = "cannot create the data folder " + config.data_dir + ": " + ec.message();
    return nullptr;
  }
  Outbox::Options options;
  options.max_page_count = config.max_page_count;
  options.max_group = static_cast<size_t>(config.commit_group_max);
  s->outbox_ = Outbox::Open((std::filesystem::path(config.data_dir) / "outbox.db").string(), options, error);
  if (!s->outbox_) return nullptr;
  s->limiter_ = std::make_unique<RateLimiter>(config.rate_per_second, config.rate_burst);
  if (relay) {
    relay->on_rejected = [srv = s.get()](const RelayAck& a) { srv->LogRejected(a); };
    s->relay_ = std::make_unique<Relay>(*s->outbox_, std::move(*relay));
    s->relay_->Start();
  }
  if (!config.central_url.empty()) s->links_ = std::make_unique<LinkResolver>(config.central_url);
  s->Routes();
  return s;
}

EdgeServer::~EdgeServer() { Stop(); }

bool EdgeServer::Bind() {
  port_ = listener_.Bind(config_.listen_host, config_.listen_port);
  return port_ > 0;
}

void EdgeServer::Run() { listener_.Run(); }

void EdgeServer::Stop() {
  stopping_ = true;
  listener_.Stop();
  if (relay_) relay_->Stop();
}

void EdgeServer::Routes() {
  // Hardening (ENGINEERING.md): TCP_NODELAY is off by default and costs ~78x; the pool must
  // outnumber concurrent connections or slow clients stall everyone; every wait is bounded.
  const size_t threads = static_cast<size_t>(config_.threads);
  http_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http_.set_tcp_nodelay(true);
  http_.set_read_timeout(config_.read_timeout_s);
  http_.set_write_timeout(config_.write_timeout_s);
  http_.set_keep_alive_timeout(config_.keep_alive_s);
  http_.set_keep_alive_max_count(static_cast<size_t>(config_.keep_alive_max));
  // httplib's own cap would skip a declared body without a limit on time; HandleRating caps and
  // drains bodies itself (also chunked and compressed ones, which this check does not see).
  http_.set_payload_max_length(DrainLimit(config_.body_max_bytes));

  http_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    t_request_start = Clock::now();
    using Handled = httplib::Server::HandlerResponse;
    const bool has_body = HasBody(req);
    const bool rating_post = req.method == "POST" && req.path == "/api/v1/ratings";
    // Every refusal here leaves a body unread: the connection must close after it (see
    // CloseAfterAnswer). Only the rating route reads bodies, capped, in HandleRating.
    auto refuse = [&](const Error& error) {
      SendError(res, error);
      if (has_body) CloseAfterAnswer(res);
      return Handled::Handled;
    };
    // httplib has no header-count limit of its own; this counts every header line, Host included.
    if (req.headers.size() > kMaxHeaders) return refuse(MakeError("request.too_many_headers", "headers", std::to_string(kMaxHeaders)));
    const std::string origin = req.get_header_value("Origin");
    if (req.method == "OPTIONS") {
      if (!origin.empty() && AllowedOrigin(origin)) {
        res.status = 204;
        res.set_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        res.set_header("Access-Control-Allow-Headers", "Content-Type, Idempotency-Key, Content-Encoding");
        res.set_header("Access-Control-Max-Age", "600");
        if (has_body) CloseAfterAnswer(res);
        return Handled::Handled;
      }
      return refuse(MakeError("request.origin_not_allowed", "Origin"));
    }
    if (const char* allowed = AllowedMethods(req.path); allowed && !MethodIn(req.method, allowed)) {
      res.set_header("Allow", allowed);
      return refuse(MakeError("request.method_not_allowed", "", allowed));
    }
    // httplib would buffer any other body whole, without a cap when it is chunked.
    if (has_body && !rating_post) return refuse(MakeError("request.body_not_allowed"));
    // A rating's body is read first and limited in HandleRating, so the answer keeps the connection.
    if (!rating_post && req.path.rfind("/api/", 0) == 0) {
      if (auto wait = limiter_->Take(ClientOf(req))) {
        res.set_header("Retry-After", std::to_string(*wait));
        return refuse(MakeError("request.rate_limited", "", std::to_string(*wait)));
      }
    }
    return Handled::Unhandled;
  });
  // CORS on every answer to an allowed embedding page; never credentials, never a wildcard.
  http_.set_post_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    const std::string origin = req.get_header_value("Origin");
    if (!origin.empty() && AllowedOrigin(origin)) {
      res.set_header("Access-Control-Allow-Origin", origin);
      res.set_header("Access-Control-Expose-Headers", "Retry-After, Idempotent-Replayed");
    }
    res.set_header("Vary", "Origin");
    res.set_header("X-Content-Type-Options", "nosniff");
    // The widget's static files set their own caching (static_files.cpp); API answers are never cached.
    if (!res.has_header("Cache-Control")) res.set_header("Cache-Control", "no-store");
  });
  http_.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty() || res.content_length_ > 0) return;  // a handler already wrote its error
    if (res.status == 404) SendError(res, MakeError("request.not_found"));
    else if (res.status == 415) SendError(res, MakeError("request.unsupported_encoding", "Content-Encoding", "gzip, deflate"));
    else if (res.status == 400) SendError(res, MakeError("request.malformed"));
  });
  http_.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    SendError(res, MakeError("server.internal"));
  });
  http_.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    const double seconds = std::chrono::duration<double>(Clock::now() - t_request_start).count();
    metrics_.Observe(RouteOf(req.path), res.status, seconds);
    Log(req, res, seconds);
  });

  http_.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"status":"ok"})", "application/json");
  });
  http_.Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    const int64_t full_at = storage_full_at_ms_;
    if (full_at != 0 && SteadyMs() - full_at < kStorageFullRetryS * 1000) {
      res.status = 503;
      return res.set_content(R"({"status":"not ready","error":"server.storage_full"})", "application/json");
    }
    const bool ready = !stopping_ && outbox_->Healthy();
    res.status = ready ? 200 : 503;
    res.set_content(ready ? R"({"status":"ready"})" : R"({"status":"not ready"})", "application/json");
  });
  http_.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) { HandleMetrics(res); });
  if (!config_.web_dir.empty()) MountStaticFiles(http_, config_.web_dir);  // /widget/…, /r/<code>
  http_.Get("/api/v1/form", [this](const httplib::Request& req, httplib::Response& res) { HandleForm(req, res); });
  // Short links (/r/<code> pages): the centre holds the tickets; link_resolver.h asks and caches.
  http_.Get(R"(/api/v1/links/([^/]*))", [this](const httplib::Request& req, httplib::Response& res) {
    if (!links_) return SendError(res, MakeError("server.unavailable", "", "this edge has no centre configured"));
    const auto answer = links_->Resolve(req.matches[1].str());
    res.status = answer.status;
    res.set_content(answer.body, "application/json; charset=utf-8");
  });
  http_.Post("/api/v1/ratings",
             [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
               HandleRating(req, res, reader);
             });
}

bool EdgeServer::AllowedOrigin(const std::string& origin) const {
  for (const auto& o : config_.allow_origins)
    if (o == origin) return true;
  return false;
}

std::string EdgeServer::ClientOf(const httplib::Request& req) const {
  if (config_.trust_forwarded_for) {
    std::string xff = req.get_header_value("X-Forwarded-For");
    if (!xff.empty()) return xff.substr(0, xff.find(','));
  }
  return req.remote_addr;
}

void EdgeServer::HandleForm(const httplib::Request& req, httplib::Response& res) {
  const std::string ticket = req.get_param_value("ticket");
  if (ticket.empty()) return SendError(res, MakeError("ticket.malformed"));
  auto claims = check_(ticket, NowMs() / 1000);
  if (!claims) return SendErrors(res, claims.errors());
  FormDefinition form;
  form.item = claims->item;
  form.item_name = claims->item_name;
  form.unit = claims->unit;
  form.unit_name = claims->unit_name;
  form.channel = claims->channel;
  form.assess = claims->assess;
  form.limits = config_.rating_limits;
  form.already_rated = outbox_->FindByCase(claims->case_id, claims->assess).has_value();
  Json body = FormToJson(form, catalogue_);
  if (!claims->window.empty()) body["window"] = claims->window;
  body["evaluator_name"] = claims->evaluator.name;  // already masked by the issuer (张*)
  res.set_content(Dump(body), "application/json; charset=utf-8");
}

void EdgeServer::HandleRating(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
  // An oversized body is read on and thrown away up to drain_max, so that the 413 reaches the
  // client and the connection stays usable; beyond that (or a declared length beyond it) the
  // connection is closed after the answer instead of reading on.
  const size_t cap = config_.body_max_bytes;
  const size_t drain_max = DrainLimit(cap);
  const auto too_large_error = MakeError("request.too_large", "", std::to_string(cap));
  if (req.has_header("Content-Length") &&
      std::strtoull(req.get_header_value("Content-Length").c_str(), nullptr, 10) > drain_max) {
    SendError(res, too_large_error);
    return CloseAfterAnswer(res);
  }
  // Read the body ourselves, counting decoded bytes: chunked and gzip bodies bypass httplib's cap.
  std::string text;
  size_t seen = 0;
  const bool complete = reader([&](const char* data, size_t len) {
    seen += len;
    if (seen <= cap) text.append(data, len);
    return seen <= drain_max;
  });
  if (!complete) {
    SendError(res, seen > cap ? too_large_error : MakeError("request.body_unreadable"));
    return CloseAfterAnswer(res);
  }
  if (seen > cap) return SendError(res, too_large_error);
  if (auto wait = limiter_->Take(ClientOf(req))) {
    res.set_header("Retry-After", std::to_string(*wait));
    return SendError(res, MakeError("request.rate_limited", "", std::to_string(*wait)));
  }

  std::optional<std::string> key;
  if (req.has_header("Idempotency-Key")) {
    key = req.get_header_value("Idempotency-Key");
    if (!ValidIdempotencyKey(*key)) return SendError(res, MakeError("request.idempotency_key_invalid", "Idempotency-Key"));
  }
  auto body = ParseJson(text);
  if (!body) return SendErrors(res, body.errors());
  if (!body->is_object()) return SendError(res, MakeError("request.not_object"));

  // The ticket first: who may rate decides whether the content matters at all.
  if (!body->contains("ticket") || !(*body)["ticket"].is_string())
    return SendError(res, MakeError("ticket.malformed", "ticket"));
  const int64_t now_ms = NowMs();
  auto claims = check_((*body)["ticket"].get_ref<const std::string&>(), now_ms / 1000);
  if (!claims) return SendErrors(res, claims.errors());

  DecodedRating decoded = DecodeRating(*body);
  if (Errors errors = CheckRating(decoded, catalogue_, config_.rating_limits, IsOnline(claims->channel)); !errors.empty())
    return SendErrors(res, errors);
  decoded.rating.ticket.clear();  // the verified claims are stored instead
  const Json rating = EncodeRating(decoded.rating);

  NewRating row;
  row.id = NewRatingId(now_ms);
  row.idempotency_key = key;
  row.request_hash = RequestHash(CanonicalBody(body.value()));  // takes the ticket out of the body
  row.case_id = claims->case_id;
  row.assess = claims->assess;
  row.kid = claims->kid;
  row.claims_json = TicketClaimsToText(*claims);
  row.rating_json = Dump(rating);
  row.satisfaction = *decoded.rating.satisfaction;
  row.received_at_ms = now_ms;

  const SubmitResult result = outbox_->Submit(std::move(row));
  switch (result.status) {
    case SubmitStatus::Stored:
      if (relay_) relay_->Nudge();
      res.status = 201;
      res.set_content(StoredAnswer(result.rating), "application/json; charset=utf-8");
      return;
    case SubmitStatus::Replayed:
      res.status = 201;
      res.set_header("Idempotent-Replayed", "true");
      res.set_content(StoredAnswer(result.rating), "application/json; charset=utf-8");
      return;
    case SubmitStatus::KeyConflict:
      return SendError(res, MakeError("rating.idempotency_conflict", "Idempotency-Key"));
    case SubmitStatus::AlreadyRated: {
      SendError(res, MakeError("rating.already_rated"));
      Json out = ErrorsToJson({MakeError("rating.already_rated")});
      out["id"] = result.rating.id;
      res.set_content(Dump(out), "application/json; charset=utf-8");
      return;
    }
    case SubmitStatus::StorageFull:
      LogEvent("storage_full", result.error);
      storage_full_at_ms_ = std::max<int64_t>(1, SteadyMs());
      res.set_header("Retry-After", std::to_string(kStorageFullRetryS));
      return SendError(res, MakeError("server.storage_full"));
    case SubmitStatus::Failed:
      LogEvent("storage_failed", result.error);
      return SendError(res, MakeError("server.unavailable"));
  }
}

void EdgeServer::HandleMetrics(httplib::Response& res) {
  const auto oldest = outbox_->OldestUnrelayedMs();
  std::vector<Metrics::Sample> samples = {
      {"hcp_outbox_backlog", "Ratings accepted and not yet relayed to the centre.", static_cast<double>(outbox_->Backlog())},
      {"hcp_outbox_commits_total", "Group commits of the outbox (one fsync each).", static_cast<double>(outbox_->Commits()),
       Metrics::kCounter},
      {"hcp_relay_lag_seconds", "Age of the oldest rating not yet relayed (0 when none waits).",
       oldest ? static_cast<double>(NowMs() - *oldest) / 1000.0 : 0.0}};
  if (relay_) {
    samples.push_back({"hcp_relay_relayed_total", "Ratings acknowledged by the centre since start.",
                       static_cast<double>(relay_->relayed()), Metrics::kCounter});
    samples.push_back({"hcp_relay_failures_total", "Relay batches that did not reach the centre.",
                       static_cast<double>(relay_->failures()), Metrics::kCounter});
    samples.push_back({"hcp_relay_connected", "1 when the last batch reached the centre.", relay_->connected() ? 1.0 : 0.0});
    samples.push_back({"hcp_relay_already_rated_total",
                       "Ratings the centre kept as rejected since start: another rating of the case came first.",
                       static_cast<double>(relay_->already_rated()), Metrics::kCounter});
    samples.push_back({"hcp_relay_invalid_total",
                       "Ratings the centre kept as rejected since start as invalid (not counted; see the log).",
                       static_cast<double>(relay_->invalid()), Metrics::kCounter});
  }
  res.set_content(metrics_.Render(samples), "text/plain; version=0.0.4");
}

void EdgeServer::Log(const httplib::Request& req, const httplib::Response& res, double seconds) {
  if (!config_.access_log) return;
  // Never the query string (it carries the ticket), the body, or the client address.
  Json line = {{"ts", FormatUtcMs(NowMs())}, {"level", res.status >= 500 ? "error" : "info"}, {"msg", "request"},
               {"method", req.method}, {"route", RouteOf(req.path)}, {"status", res.status},
               {"ms", static_cast<int64_t>(seconds * 1e6) / 1000.0}};
  const std::string out = Dump(line) + "\n";
  std::lock_guard lock(log_mu_);
  std::fwrite(out.data(), 1, out.size(), stderr);
}

// A rating the centre settled as rejected: the outbox row says so too (relay_status, relay_reason,
// relay_detail). A second rating of a case is the citizen's doing; an invalid one is a defect
// (an edge of another version, a damaged row) and an error.
void EdgeServer::LogRejected(const RelayAck& a) {
  const bool duplicate = a.reason == "rating.already_rated";
  Json line = {{"ts", FormatUtcMs(NowMs())}, {"level", duplicate ? "info" : "error"}, {"msg", "relay_rejected"},
               {"id", a.id}, {"reason", a.reason}};
  if (!a.detail.empty()) line["detail"] = a.detail;
  const std::string out = Dump(line) + "\n";
  std::lock_guard lock(log_mu_);
  std::fwrite(out.data(), 1, out.size(), stderr);
}

void EdgeServer::LogEvent(const char* msg, const std::string& detail) {
  const std::string out =
      Dump(Json{{"ts", FormatUtcMs(NowMs())}, {"level", "error"}, {"msg", msg}, {"detail", detail}}) + "\n";
  std::lock_guard lock(log_mu_);
  std::fwrite(out.data(), 1, out.size(), stderr);
}

}  // namespace hcp::edge
