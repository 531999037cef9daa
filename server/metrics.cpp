#include "metrics.h"

#include <cstdio>
#include <sstream>

namespace hcp::server {

void Metrics::Observe(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{route, status}];
  Histogram& h = latency_[route];
  for (size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

std::string Metrics::Render(const std::vector<Sample>& samples) const {
  std::ostringstream out;
  std::lock_guard lock(mu_);
  out << "# HELP hcp_http_requests_total HTTP requests by route and status.\n"
         "# TYPE hcp_http_requests_total counter\n";
  for (const auto& [key, n] : requests_)
    out << "hcp_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second << "\"} " << n << "\n";
  out << "# HELP hcp_http_request_duration_seconds Time from request read to response, by route.\n"
         "# TYPE hcp_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    // Prometheus buckets are cumulative; Observe counts each bucket an observation fits, so they are.
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      char le[32];
      std::snprintf(le, sizeof le, "%g", kBuckets[i]);
      out << "hcp_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"" << le << "\"} " << h.buckets[i] << "\n";
    }
    out << "hcp_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} " << h.count << "\n";
    out << "hcp_http_request_duration_seconds_sum{route=\"" << route << "\"} " << h.sum << "\n";
    out << "hcp_http_request_duration_seconds_count{route=\"" << route << "\"} " << h.count << "\n";
  }
  for (const auto& [name, help, value, counter] : samples) {
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << (counter ? " counter\n" : " gauge\n") << name
        << " " << value << "\n";
  }
  return out.str();
}

}  // namespace hcp::server
