#pragma once
// The relay: sends the outbox to the centre in signed batches (POST /api/v1/ingest) and marks
// rows relayed only after the centre acknowledged them. The centre down for hours is normal:
// the edge keeps accepting, the backlog waits on disk, the relay retries with exponential
// backoff and jitter, and drains when the centre is back. docs/relay.md has the protocol.
#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "outbox.h"
#include "ticket/keys.h"

namespace hcp::edge {

struct RelayConfig {
  std::string central_url;  // "http://127.0.0.1:9090"
  SigningKey edge_key;      // edge.key: the edge's identity towards the centre
  size_t batch = 500;
  // Batches in flight at once. With one, the edge and the centre take turns (one reads and
  // signs while the other parses and commits); two overlap them (docs/performance.md).
  int lanes = 2;
  int backoff_min_ms = 200;
  int backoff_max_ms = 30000;
  int idle_poll_ms = 200;  // how often an empty outbox is looked at again
  // Told of every rating the centre answered "rejected", once it is marked so in the outbox
  // (the edge server logs it). Called from a relay lane's thread.
  std::function<void(const RelayAck&)> on_rejected;
};

class Relay {
 public:
  Relay(Outbox& outbox, RelayConfig config);
  ~Relay();  // stops the worker
  void Start();
  void Stop();
  void Nudge();  // new ratings were committed: look now rather than at the next poll

  int64_t relayed() const { return relayed_; }
  int64_t failures() const { return failures_; }  // batches that did not reach the centre
  // Ratings the centre settled as rejected since start (replays of a batch included): a second
  // rating of a case (rating.already_rated), and any other reason (ingest.rating_invalid).
  int64_t already_rated() const { return already_rated_; }
  int64_t invalid() const { return invalid_; }
  bool connected() const { return connected_; }

 private:
  // One lane: a worker thread with its own kept-alive connection and body buffer.
  struct Lane {
    std::thread worker;
    std::unique_ptr<httplib::Client> client;
    std::string body;  // the batch being sent, reused across batches
  };
  void Loop(Lane& lane);
  // Sends one batch; the number of rows acknowledged, or -1 when the centre was not reached.
  int SendBatch(Lane& lane);

  Outbox& outbox_;
  RelayConfig config_;
  std::vector<std::unique_ptr<Lane>> lanes_;
  // The last row handed to a lane: the next lane takes the rows after it. Set back to 0 after
  // any failure, so everything not yet acknowledged is sent again (the centre stores it once).
  std::mutex cursor_mu_;
  int64_t cursor_ = 0;
  std::mutex join_mu_;  // Stop may be called from two threads at once
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool nudged_ = false;
  std::atomic<int64_t> relayed_{0};
  std::atomic<int64_t> failures_{0};
  std::atomic<int64_t> already_rated_{0};
  std::atomic<int64_t> invalid_{0};
  std::atomic<bool> connected_{false};
};

// The bytes an edge signs for a batch: a fixed label, the timestamp and the body.
std::string IngestSigningInput(const std::string& timestamp, const std::string& body);

}  // namespace hcp::edge
