#pragma once
// Per-client token buckets. A client is its address as the edge sees it (or the first
// X-Forwarded-For hop when the edge is configured to trust its reverse proxy). Generous by
// default: many citizens share one carrier NAT address.
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace hcp::server {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  // per_second <= 0 turns limiting off.
  RateLimiter(double per_second, double burst) : rate_(per_second), burst_(burst) {}
  // Seconds to wait before retrying, or nothing when the request may go ahead.
  std::optional<int> Take(const std::string& client, Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens;
    Clock::time_point at;
  };
  double rate_;
  double burst_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace hcp::server
