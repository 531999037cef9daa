#pragma once
// Everything `hcp edge` can be told: flags for the essentials, a JSON file for the rest
// (docs/deploy.md documents every key). A bad configuration stops the edge with what to fix.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hcp/rating.h"
#include "hcp/result.h"

namespace hcp::edge {

struct EdgeConfig {
  std::string listen_host = "127.0.0.1";
  int listen_port = 8080;
  std::string data_dir;                    // holds outbox.db
  std::vector<std::string> issuer_keys;    // trusted issuer public key files (issuer.pub)
  std::vector<std::string> allow_origins;  // pages allowed to embed the widget (CORS)
  std::optional<std::string> catalogue;    // reason catalogue file; default: compiled in
  RatingLimits rating_limits;
  size_t body_max_bytes = 64 * 1024;       // decoded bytes, also for chunked and gzip bodies
  double rate_per_second = 20;             // per client; 0 turns limiting off
  double rate_burst = 60;
  bool trust_forwarded_for = false;        // only behind your own reverse proxy
  int threads = 128;                       // one per open connection: keep it above peak connections
  int read_timeout_s = 5;
  int write_timeout_s = 5;
  int keep_alive_s = 5;
  int keep_alive_max = 1000;
  long max_page_count = 0;                 // SQLite page cap; for tests of a full disk
  std::string central_url;                 // where the relay sends the outbox; empty = keep it here
  std::string edge_key;                    // edge.key: signs relay batches (required with central_url)
  int relay_batch = 500;                   // ratings per relay batch
  int relay_lanes = 2;                     // relay batches in flight at once (docs/relay.md)
  int relay_backoff_max_ms = 30000;        // longest wait between attempts while the centre fails
  int commit_group_max = 256;              // ratings per fsync at most; 1 = a transaction per rating
  bool access_log = true;                  // one JSON line per request on stderr (no personal data)
  std::string web_dir;                     // the widget's files, served at /widget/ and /r/<code>; empty: none
};

// Reads the JSON config file's text into `config` (keys absent keep their value).
// `config.invalid` errors name the key and what is wrong; unknown keys are refused.
Errors ApplyEdgeConfigFile(std::string_view json_text, EdgeConfig& config);
// "HOST:PORT", "[::1]:PORT" or ":PORT".
Errors ApplyListen(std::string_view listen, EdgeConfig& config);
// Checks the whole configuration: every problem at once.
Errors ValidateEdgeConfig(const EdgeConfig& config);

}  // namespace hcp::edge
