#include "rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace hcp::server {

std::optional<int> RateLimiter::Take(const std::string& client, Clock::time_point now) {
  if (rate_ <= 0) return std::nullopt;
  std::lock_guard lock(mu_);
  // Bound memory under a flood of distinct addresses: forget clients whose bucket is full again.
  if (buckets_.size() > 100000) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      const double refill = std::chrono::duration<double>(now - it->second.at).count() * rate_;
      it = it->second.tokens + refill >= burst_ ? buckets_.erase(it) : std::next(it);
    }
  }
  auto [it, fresh] = buckets_.try_emplace(client, Bucket{burst_, now});
  Bucket& b = it->second;
  if (!fresh) {
    b.tokens = std::min(burst_, b.tokens + std::chrono::duration<double>(now - b.at).count() * rate_);
    b.at = now;
  }
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return std::nullopt;
  }
  return std::max(1, static_cast<int>(std::ceil((1 - b.tokens) / rate_)));
}

}  // namespace hcp::server
