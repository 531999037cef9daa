#pragma once
// Prometheus text-format metrics: requests by route and status, and a latency histogram by route.
// Gauges (the outbox backlog) are read at scrape time by the caller, so they are never stale.
#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace hcp::server {

class Metrics {
 public:
  static constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                       0.1,   0.25,   0.5,   1.0,  2.5};
  // A value read by the caller at scrape time: a gauge (can go down) or a counter (only rises).
  struct Sample {
    std::string name;
    std::string help;
    double value = 0;
    bool counter = false;
  };
  static constexpr bool kCounter = true;

  void Observe(const std::string& route, int status, double seconds);
  // `samples` are rendered after the request counters and latency histograms.
  std::string Render(const std::vector<Sample>& samples) const;

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
};

}  // namespace hcp::server
