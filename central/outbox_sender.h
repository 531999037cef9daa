#pragma once
// Delivers one outbox channel's messages (central_store.h OutboxMessage) on a thread of its own:
// claims the due ones (leased, so two centres never work on one message at once), hands each to
// `deliver`, and marks it sent, or retried later with exponential backoff and full jitter (as the
// edge's relay does), or given up after `max_attempts` or a refusal for good. A message is marked
// sent only after the receiver said 2xx; a crash in between sends it again after the lease, with
// the same Idempotency-Key (its id), so the receiver can keep it once.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "central_store.h"

namespace hcp::central {

enum class DeliveryOutcome {
  Delivered,  // the receiver took it (2xx)
  Retry,      // not now: no answer, a timeout, 408/425/429/5xx, the store unavailable
  GiveUp,     // never: another 4xx, no contact, no webhook configured
};
struct Delivery {
  DeliveryOutcome outcome = DeliveryOutcome::Retry;
  std::string error;  // why not delivered (no personal data)
};
using Deliver = std::function<Delivery(const OutboxMessage&)>;

// Every limit of a channel's retries (docs/notifications.md: "sms": {"retry": …}, "webhooks": {"retry": …}).
struct OutboxPolicy {
  int max_attempts = 12;        // then the message is given up and counted as failed
  int backoff_min_ms = 2000;    // the first retry waits about this long,
  int backoff_max_ms = 900000;  // doubling up to this (15 min): 12 attempts span about an hour and a half
  int poll_ms = 1000;           // how often the sender looks for due messages when idle
  int batch = 8;                // messages claimed at once
  int timeout_ms = 5000;        // connect, write and read timeout of one attempt
  int lease_ms = 120000;        // a claimed message is this sender's for so long (>= batch × timeout)
};
// config.invalid naming `field`.NAME for each limit out of range.
Errors ValidateOutboxPolicy(const OutboxPolicy& policy, const std::string& field);

class OutboxSender {
 public:
  OutboxSender(CentralStore& store, std::string channel, Deliver deliver, OutboxPolicy policy,
               std::function<int64_t()> now_ms);
  ~OutboxSender();
  void Start();  // the thread; Stop ends it after the message in hand
  void Stop();
  void Wake();   // look now (after an enqueue), not at the next poll
  // One pass over what is due now: how many messages were handled (delivered, retried, given up).
  int RunOnce();

  int64_t delivered() const { return delivered_; }
  int64_t attempts_failed() const { return attempts_failed_; }  // attempts that did not deliver
  int64_t given_up() const { return given_up_; }
  int64_t store_failures() const { return store_failures_; }
  const std::string& channel() const { return channel_; }

 private:
  void Loop();
  int64_t RetryDelayMs(int attempts);

  CentralStore& store_;
  std::string channel_;
  Deliver deliver_;
  OutboxPolicy policy_;
  std::function<int64_t()> now_ms_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool woken_ = false;
  std::atomic<int64_t> delivered_{0}, attempts_failed_{0}, given_up_{0}, store_failures_{0};
};

}  // namespace hcp::central
