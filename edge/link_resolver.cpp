#include "link_resolver.h"

#include <httplib.h>

#include "hcp/wire.h"

namespace hcp::edge {
namespace {

// What a code may look like (base62, as the centre issues them); anything else is not asked for.
bool Plausible(const std::string& code) {
  if (code.empty() || code.size() > 32) return false;
  for (char c : code)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
  return true;
}

std::string ErrorBody(const char* id) { return Dump(ErrorsToJson({MakeError(id, "code")})); }

}  // namespace

LinkResolver::LinkResolver(std::string central_url, std::chrono::seconds ttl, std::chrono::seconds not_found_ttl)
    : central_url_(std::move(central_url)), ttl_(ttl), not_found_ttl_(not_found_ttl) {}

LinkResolver::Answer LinkResolver::Resolve(const std::string& code) {
  if (!Plausible(code)) return Answer{404, ErrorBody("link.not_found")};
  const auto now = Clock::now();
  {
    std::lock_guard lock(mu_);
    if (auto hit = cache_.find(code); hit != cache_.end() && hit->second.until > now) return hit->second.answer;
  }
  Answer answer = Ask(code);
  if (answer.status == 200 || answer.status == 404) {
    std::lock_guard lock(mu_);
    if (cache_.size() >= kMaxEntries) {
      for (auto it = cache_.begin(); it != cache_.end();) it = it->second.until <= now ? cache_.erase(it) : std::next(it);
      if (cache_.size() >= kMaxEntries) cache_.clear();  // a flood of distinct codes: start over
    }
    cache_[code] = Entry{answer, now + (answer.status == 200 ? ttl_ : not_found_ttl_)};
  }
  return answer;
}

LinkResolver::Answer LinkResolver::Ask(const std::string& code) {
  // One client per request: httplib's client is not meant to be shared between threads.
  httplib::Client client(central_url_);
  client.set_connection_timeout(3);
  client.set_read_timeout(5);
  client.set_write_timeout(5);
  auto res = client.Get("/api/v1/links/" + code);
  if (!res) return Answer{503, ErrorBody("server.unavailable")};
  if (res->status == 200) {
    auto body = ParseJson(res->body);
    if (body && body->is_object() && body->contains("ticket") && (*body)["ticket"].is_string())
      return Answer{200, Dump(Json{{"ticket", (*body)["ticket"]}})};
    return Answer{503, ErrorBody("server.unavailable")};
  }
  if (res->status == 404) return Answer{404, ErrorBody("link.not_found")};
  return Answer{503, ErrorBody("server.unavailable")};  // the centre's 429 or 5xx: try again later
}

}  // namespace hcp::edge
