#pragma once
// Short rating links at the edge: a QR code or an SMS carries https://EDGE/r/<code>; the landing
// page asks GET /api/v1/links/<code> for the ticket. The tickets live at the centre (the case
// registry issued them), so the edge asks its centre and keeps the answer briefly: a hall's queue
// of citizens scanning the same window's codes costs the centre one request per code and minute.
// Unknown codes are remembered for a few seconds only, so a link issued a moment ago works soon.
#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace hcp::edge {

class LinkResolver {
 public:
  using Clock = std::chrono::steady_clock;
  struct Answer {
    int status = 200;  // 200 {"ticket": …}; 404 link.not_found; 503 when the centre is unreachable
    std::string body;  // JSON: the centre's answer, or the one error shape
  };

  explicit LinkResolver(std::string central_url, std::chrono::seconds ttl = std::chrono::seconds(60),
                        std::chrono::seconds not_found_ttl = std::chrono::seconds(5));
  Answer Resolve(const std::string& code);

 private:
  Answer Ask(const std::string& code);

  struct Entry {
    Answer answer;
    Clock::time_point until;
  };
  static constexpr size_t kMaxEntries = 50000;
  const std::string central_url_;
  const std::chrono::seconds ttl_;
  const std::chrono::seconds not_found_ttl_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> cache_;
};

}  // namespace hcp::edge
