#include "outbox_sender.h"

#include <algorithm>
#include <random>

namespace hcp::central {

Errors ValidateOutboxPolicy(const OutboxPolicy& p, const std::string& field) {
  Errors errors;
  auto check = [&](const char* name, int value, int min, int max) {
    if (value < min || value > max)
      errors.push_back(MakeError("config.invalid", field + "." + name,
                                 field + "." + name + " must be from " + std::to_string(min) + " to " + std::to_string(max)));
  };
  check("max_attempts", p.max_attempts, 1, 1000);
  check("backoff_min_ms", p.backoff_min_ms, 1, 86400000);
  check("backoff_max_ms", p.backoff_max_ms, p.backoff_min_ms, 86400000);
  check("poll_ms", p.poll_ms, 1, 3600000);
  check("batch", p.batch, 1, 1000);
  check("timeout_ms", p.timeout_ms, 10, 600000);
  // A lease shorter than a batch's worst case would let another centre take a message still in hand.
  if (static_cast<int64_t>(p.lease_ms) < static_cast<int64_t>(p.batch) * p.timeout_ms)
    errors.push_back(MakeError("config.invalid", field + ".lease_ms",
                               field + ".lease_ms must be at least batch × timeout_ms (" +
                                   std::to_string(static_cast<int64_t>(p.batch) * p.timeout_ms) + ")"));
  return errors;
}

OutboxSender::OutboxSender(CentralStore& store, std::string channel, Deliver deliver, OutboxPolicy policy,
                           std::function<int64_t()> now_ms)
    : store_(store), channel_(std::move(channel)), deliver_(std::move(deliver)), policy_(policy), now_ms_(std::move(now_ms)) {}

OutboxSender::~OutboxSender() { Stop(); }

void OutboxSender::Start() {
  std::lock_guard lock(mu_);
  if (!thread_.joinable() && !stopping_) thread_ = std::thread([this] { Loop(); });
}

void OutboxSender::Stop() {
  // Stop may come from a signal thread and a destructor at once: one of them takes the thread.
  std::thread thread;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    thread = std::move(thread_);
  }
  wake_.notify_all();
  if (thread.joinable()) thread.join();
}

void OutboxSender::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  wake_.notify_all();
}

int64_t OutboxSender::RetryDelayMs(int attempts) {
  // Exponential backoff with full jitter: receivers coming back are not hit by every message at once.
  thread_local std::minstd_rand rng(std::random_device{}());
  const int64_t ceiling = std::min<int64_t>(policy_.backoff_max_ms,
                                            static_cast<int64_t>(policy_.backoff_min_ms) << std::min(attempts - 1, 20));
  return std::uniform_int_distribution<int64_t>(std::max<int64_t>(1, policy_.backoff_min_ms / 2),
                                                std::max<int64_t>(policy_.backoff_min_ms, ceiling))(rng);
}

int OutboxSender::RunOnce() {
  auto claimed = store_.ClaimOutbox(channel_, now_ms_(), policy_.lease_ms, policy_.batch);
  if (!claimed) {
    ++store_failures_;
    return 0;
  }
  int handled = 0;
  for (const auto& m : *claimed) {
    {
      std::lock_guard lock(mu_);
      // Stopping: the rest of the batch is handed back, due now, for the next start (or another
      // centre) instead of waiting out its lease. Only a crash leaves messages leased.
      if (stopping_) {
        store_.MarkOutboxRetry(m.id, m.attempts, now_ms_(), m.last_error, false);
        continue;
      }
    }
    const Delivery d = deliver_(m);
    const int attempts = m.attempts + 1;
    Result<bool> marked = true;
    if (d.outcome == DeliveryOutcome::Delivered) {
      marked = store_.MarkOutboxSent(m.id, attempts, now_ms_());
      if (marked) ++delivered_;
    } else {
      ++attempts_failed_;
      const bool give_up = d.outcome == DeliveryOutcome::GiveUp || attempts >= policy_.max_attempts;
      marked = store_.MarkOutboxRetry(m.id, attempts, now_ms_() + RetryDelayMs(attempts), d.error.substr(0, 500), give_up);
      if (marked && give_up) ++given_up_;
    }
    if (!marked) ++store_failures_;
    ++handled;
  }
  return handled;
}

void OutboxSender::Loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    // A full batch means there may be more due now: go on at once.
    const int handled = RunOnce();
    lock.lock();
    if (handled >= policy_.batch && !stopping_) continue;
    wake_.wait_for(lock, std::chrono::milliseconds(policy_.poll_ms), [this] { return stopping_ || woken_; });
    woken_ = false;
  }
}

}  // namespace hcp::central
