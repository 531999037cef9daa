#include "http_errors.h"

#include <string_view>

#include "hcp/wire.h"

namespace hcp::server {

int HttpStatusFor(const std::string& id) {
  struct Entry {
    std::string_view id;
    int status;
  };
  static constexpr Entry kExact[] = {
      {"ticket.malformed", 401},          {"ticket.bad_signature", 401},     {"ticket.claims_invalid", 401},
      {"ticket.unknown_key", 403},        {"ticket.expired", 410},           {"request.too_large", 413},
      {"request.unsupported_encoding", 415}, {"request.rate_limited", 429},  {"request.not_found", 404},
      {"request.method_not_allowed", 405}, {"request.too_many_headers", 431}, {"request.origin_not_allowed", 403}, {"rating.already_rated", 409},    {"server.storage_full", 503},
      {"server.unavailable", 503},        {"server.internal", 500},          {"request.field_type", 422},
      {"request.unknown_field", 422},     {"request.field_required", 422},   {"ingest.unauthorized", 401},
      {"ingest.unknown_edge", 403},       {"ingest.stale", 401},             {"ingest.invalid", 400},
      {"auth.required", 401},             {"auth.api_key_required", 401},    {"registry.invalid", 422},
      {"registry.conflict", 409},         {"registry.no_seal_key", 422},     {"link.not_found", 404},
      {"contact.none", 404},
      // the closed loop (issue 6 part A): the case machine's refusals and the centre's own
      {"case.not_found", 404},            {"case.conflict", 409},            {"case.transition_not_allowed", 409},
      {"case.actor_not_allowed", 403},    {"case.action_unknown", 422},      {"case.field_required", 422},
      {"case.field_invalid", 422},        {"case.date_out_of_order", 409},   {"case.extension_not_later", 422},
      {"case.appeal_exists", 409},        {"case.no_pending_appeal", 409},   {"case.config_invalid", 500},
      // people and access (issue 6 part B)
      {"auth.login_failed", 401},         {"auth.session_required", 401},   {"auth.csrf_failed", 403},
      {"auth.forbidden", 403},            {"admin.invalid", 422},           {"admin.exists", 409},
      // reports and return-visit samples at the centre (issue 7)
      {"report.not_found", 404},          {"report.format_unknown", 422},   {"period.invalid", 422},
      {"sampling.size_invalid", 422},     {"sampling.seed_invalid", 422},   {"sampling.conflict", 409},
  };
  for (const auto& e : kExact)
    if (e.id == id) return e.status;
  // Everything about the content of a well-formed rating is unprocessable; the rest of request.*
  // (invalid JSON, UTF-8, nesting, headers) is a bad request.
  if (id.rfind("rating.", 0) == 0) return 422;
  if (id.rfind("request.", 0) == 0) return 400;
  return 500;
}

void SendErrors(httplib::Response& res, const Errors& errors) {
  res.status = errors.empty() ? 500 : HttpStatusFor(errors.front().id);
  res.set_content(Dump(ErrorsToJson(errors)), "application/json; charset=utf-8");
}

void SendError(httplib::Response& res, const Error& error) { SendErrors(res, Errors{error}); }

void CloseAfterAnswer(httplib::Response& res) {
  auto body = std::make_shared<std::string>(std::move(res.body));
  if (body->empty()) *body = "{}";
  std::string type = res.get_header_value("Content-Type");
  if (type.empty()) type = "application/json; charset=utf-8";
  res.body.clear();
  res.headers.erase("Content-Type");  // set_content_provider adds it again
  res.set_header("Connection", "close");
  res.set_content_provider(body->size(), type, [body](size_t offset, size_t length, httplib::DataSink& sink) {
    sink.write(body->data() + offset, length);
    return false;  // written in full; "failed" makes httplib close instead of reading on
  });
}

}  // namespace hcp::server
