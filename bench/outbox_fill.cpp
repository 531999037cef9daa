// bench_outbox_fill: writes N accepted ratings straight into an edge's outbox, as if the edge had
// taken them while the centre was down, so bench/relay_drain measures the relay alone.
//
//   bench_outbox_fill --data DIR --issuer-pub FILE --count N [--threads T]
//
// Rows are what the edge stores for a real rating: the verified claims (ParseTicketClaims and
// TicketClaimsToJson, as the edge does) and the encoded rating, each for its own case.
// Submitting through Outbox itself keeps the schema and the durability path the real ones.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "hcp/ticket_claims.h"
#include "hcp/wire.h"
#include "outbox.h"
#include "ticket/keys.h"

namespace {

using nlohmann::json;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

json Claims(const std::string& case_id, const std::string& kid, int64_t now_s) {
  return json{{"case", case_id},
              {"item", "330100-0001"},
              {"item_name", "个体工商户设立登记"},
              {"unit", "11330100MB0000000X"},
              {"unit_name", "杭州市市场监督管理局"},
              {"area", "330100"},
              {"channel", "pc"},
              {"finished_at", hcp::FormatRfc3339(now_s - 3600, 480)},
              {"exp", hcp::FormatRfc3339(now_s + 24 * 3600, 480)},
              {"assess", 1},
              {"kid", kid},
              {"evaluator", {{"sub", "sub-" + case_id}, {"kind", "person"}, {"name", "张*"}}}};
}

}  // namespace

int main(int argc, char** argv) {
  std::string data, issuer_pub;
  int64_t count = 0;
  int threads = 64;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--data") data = value;
    else if (flag == "--issuer-pub") issuer_pub = value;
    else if (flag == "--count") count = std::atoll(value.c_str());
    else if (flag == "--threads") threads = std::atoi(value.c_str());
  }
  if (data.empty() || issuer_pub.empty() || count <= 0 || threads <= 0) {
    std::cerr << "usage: bench_outbox_fill --data DIR --issuer-pub FILE --count N [--threads T]\n";
    return 2;
  }
  auto issuer = hcp::LoadVerifyKey(issuer_pub);
  if (!issuer) {
    std::cerr << "bench_outbox_fill: " << issuer.errors()[0].message_en << "\n";
    return 2;
  }
  const std::string kid = issuer->kid;
  std::string error;
  auto box = hcp::edge::Outbox::Open(data + "/outbox.db", {}, error);
  if (!box) {
    std::cerr << "bench_outbox_fill: " << error << "\n";
    return 1;
  }
  const int64_t start_ms = NowMs();
  // Many submitters, so the outbox commits in groups as it does under real load.
  std::atomic<int64_t> next{0}, failed{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int64_t i; (i = next++) < count;) {
        const std::string case_id = "DRAIN-" + std::to_string(start_ms) + "-" + std::to_string(i);
        auto claims = hcp::ParseTicketClaims(Claims(case_id, kid, start_ms / 1000));
        if (!claims) {
          ++failed;
          continue;
        }
        hcp::edge::NewRating r;
        char id[40];
        std::snprintf(id, sizeof id, "r-%011llx%016llx", static_cast<unsigned long long>(start_ms),
                      static_cast<unsigned long long>(i));
        r.id = id;
        r.request_hash = "bench";
        r.case_id = claims->case_id;
        r.assess = claims->assess;
        r.kid = claims->kid;
        r.claims_json = hcp::Dump(hcp::TicketClaimsToJson(*claims));
        const int satisfaction = 1 + static_cast<int>(i % 5);
        r.rating_json = hcp::Dump(json{{"satisfaction", satisfaction},
                                       {"reasons", satisfaction <= 2 ? json{"203"} : json::array()},
                                       {"comment", "办理很快，工作人员态度很好"},
                                       {"public", false}});
        r.satisfaction = satisfaction;
        r.received_at_ms = NowMs();
        if (box->Submit(std::move(r)).status != hcp::edge::SubmitStatus::Stored) ++failed;
      }
    });
  }
  for (auto& w : workers) w.join();
  const double seconds = (NowMs() - start_ms) / 1000.0;
  std::cerr << "bench_outbox_fill: " << count - failed << " ratings in " << seconds << " s ("
            << box->Commits() << " commits)\n";
  return failed == 0 ? 0 : 1;
}
