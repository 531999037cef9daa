// bench_tickets: writes N request bodies for POST /api/v1/ratings, one JSON per line, each with
// a freshly signed ticket for its own case id (the edge answers 409 to a case rated twice).
//
//   bench_tickets --keys DIR --count N --out PREFIX [--shards S]
//
// Keys: DIR/issuer.key signs; if DIR holds no key set yet, one is written (as `hcp keygen` does),
// so the edge can trust DIR/issuer.pub. Lines go round-robin to PREFIX.0 … PREFIX.<S-1>, one
// file per wrk thread, each written by its own thread (signing costs ~20 µs a ticket).
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "hcp/ticket_claims.h"
#include "ticket/keys.h"
#include "ticket/ticket.h"

namespace {

using nlohmann::json;

constexpr const char* kUsage = "usage: bench_tickets --keys DIR --count N --out PREFIX [--shards S]\n";

int64_t NowUnix() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

json Claims(const std::string& case_id, int64_t now) {
  return json{{"case", case_id},
              {"item", "330100-0001"},
              {"item_name", "个体工商户设立登记"},
              {"unit", "11330100MB0000000X"},
              {"unit_name", "杭州市市场监督管理局"},
              {"area", "330100"},
              {"channel", "pc"},
              {"finished_at", hcp::FormatRfc3339(now - 3600, 480)},
              {"exp", hcp::FormatRfc3339(now + 24 * 3600, 480)},
              {"assess", 1},
              {"evaluator", {{"sub", "sub-" + case_id}, {"kind", "person"}, {"name", "张*"}}}};
}

// Writes lines shard, shard + shards, … of the run to `path`.
bool WriteShard(const hcp::SigningKey& key, const std::string& run, int64_t count, int shard, int shards,
                const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  const int64_t now = NowUnix();
  for (int64_t i = shard; i < count; i += shards) {
    auto ticket = hcp::IssueTicket(Claims("BENCH-" + run + "-" + std::to_string(i), now), key, std::nullopt);
    if (!ticket.ok()) {
      std::cerr << "bench_tickets: " << ticket.errors()[0].message_en << "\n";
      return false;
    }
    json body = {{"ticket", *ticket},
                 {"satisfaction", 5},
                 {"reasons", {"101"}},
                 {"comment", "办理很快，窗口人员态度很好。"},
                 {"public", true}};
    out << body.dump() << '\n';
  }
  out.close();
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  std::string keys, out;
  int64_t count = -1;
  int shards = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--keys") keys = value;
    else if (flag == "--out") out = value;
    else if (flag == "--count") count = std::atoll(value.c_str());
    else if (flag == "--shards") shards = std::atoi(value.c_str());
    else return std::cerr << "bench_tickets: unknown flag " << flag << "\n" << kUsage, 2;
  }
  if (argc % 2 == 0 || keys.empty() || out.empty() || count < 0 || shards < 1 || shards > 256) {
    std::cerr << kUsage;
    return 2;
  }

  const std::string key_path = (std::filesystem::path(keys) / "issuer.key").string();
  if (!std::filesystem::exists(key_path)) {
    auto written = hcp::WriteKeySet(keys, false);
    if (!written.ok()) return std::cerr << "bench_tickets: " << written.errors()[0].message_en << "\n", 1;
  }
  auto key = hcp::LoadSigningKey(key_path);
  if (!key.ok()) return std::cerr << "bench_tickets: " << key.errors()[0].message_en << "\n", 1;

  // Case ids differ from run to run, so bodies from two runs never collide in one outbox.
  const std::string run = std::to_string(NowUnix()) + "-" + std::to_string(::getpid());
  std::vector<std::thread> workers;
  std::vector<char> ok(static_cast<size_t>(shards), 0);
  for (int s = 0; s < shards; ++s)
    workers.emplace_back([&, s] { ok[s] = WriteShard(*key, run, count, s, shards, out + "." + std::to_string(s)); });
  for (auto& w : workers) w.join();
  for (char good : ok)
    if (!good) return std::cerr << "bench_tickets: could not write " << out << ".*\n", 1;
  return 0;
}
