#include "http_post.h"

namespace hcp::central {
namespace {

constexpr size_t kKeptAnswerBytes = 300;  // of a refusal's body, for the error column; the rest is read and dropped

bool SplitUrl(const std::string& url, std::string& origin, std::string& path) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return false;
  const std::string s = url.substr(0, scheme);
  if (s != "http" && s != "https") return false;
  const size_t slash = url.find('/', scheme + 3);
  origin = url.substr(0, slash);
  path = slash == std::string::npos ? "/" : url.substr(slash);
  return origin.size() > scheme + 3;
}

}  // namespace

bool IsDeliverableUrl(const std::string& url) {
  std::string origin, path;
  return SplitUrl(url, origin, path);
}

Delivery PostJson(const std::string& url, const httplib::Headers& headers, const std::string& body, int timeout_ms) {
  std::string origin, path;
  if (!SplitUrl(url, origin, path)) return {DeliveryOutcome::GiveUp, "not an http(s) URL"};
  httplib::Client client(origin);
  const time_t sec = timeout_ms / 1000, usec = (timeout_ms % 1000) * 1000;
  client.set_connection_timeout(sec, usec);
  client.set_read_timeout(sec, usec);
  client.set_write_timeout(sec, usec);
  client.set_follow_location(false);
  client.set_tcp_nodelay(true);
  httplib::Request req;
  req.method = "POST";
  req.path = path;
  req.headers = headers;
  req.headers.emplace("Content-Type", "application/json; charset=utf-8");
  req.body = body;
  std::string answer;
  req.content_receiver = [&answer](const char* data, size_t len, uint64_t, uint64_t) {
    if (answer.size() < kKeptAnswerBytes) answer.append(data, std::min(len, kKeptAnswerBytes - answer.size()));
    return true;
  };
  auto res = client.send(req);
  if (!res) return {DeliveryOutcome::Retry, "no answer: " + httplib::to_string(res.error())};
  const int status = res->status;
  if (status >= 200 && status < 300) return {DeliveryOutcome::Delivered, ""};
  const std::string why = "HTTP " + std::to_string(status) + (answer.empty() ? "" : ": " + answer);
  if (status == 408 || status == 425 || status == 429 || status >= 500) return {DeliveryOutcome::Retry, why};
  return {DeliveryOutcome::GiveUp, why};
}

}  // namespace hcp::central
