#include "notifier.h"

#include "outbox_delivery.h"

namespace hcp::central {

Notifier::Notifier(CentralStore& store, const NotifySettings& s, const std::optional<SealKeyPair>& seal,
                   std::function<int64_t()> now_ms)
    : store_(store), now_ms_(now_ms) {
  if (s.sms_gateway == "http") gateway_ = std::make_unique<HttpSmsGateway>(s.sms_url, s.sms_token, s.sms_retry.timeout_ms);
  else if (s.sms_gateway == "file") gateway_ = std::make_unique<FileSmsGateway>(s.sms_file, now_ms);
  if (gateway_ && seal) {
    unsealer_ = std::make_unique<ContactUnsealer>(*seal);
    sms_ = std::make_unique<OutboxSender>(
        store, "sms", [this](const OutboxMessage& m) { return DeliverSms(store_, *unsealer_, *gateway_, m); }, s.sms_retry,
        now_ms);
  }
  const int timeout_ms = s.webhook_retry.timeout_ms;
  webhooks_ = std::make_unique<OutboxSender>(
      store, "webhook",
      [this, timeout_ms, now_ms](const OutboxMessage& m) { return DeliverWebhook(store_, m, timeout_ms, now_ms()); },
      s.webhook_retry, now_ms);
}

void Notifier::Start() {
  if (sms_) sms_->Start();
  webhooks_->Start();
}

void Notifier::Stop() {
  if (sms_) sms_->Stop();
  webhooks_->Stop();
}

std::vector<server::Metrics::Sample> Notifier::WithSamples(std::vector<server::Metrics::Sample> samples) {
  using server::Metrics;
  for (const auto& [channel, sender] : {std::pair<const char*, OutboxSender*>{"sms", sms_.get()}, {"webhook", webhooks_.get()}}) {
    const std::string prefix = std::string("hcp_") + channel + "_outbox_";
    const std::string what = std::string(channel) == "sms" ? "SMS to citizens" : "webhooks to units";
    // The store's counts: the backlog survives restarts, so it is read, not counted.
    auto stats = store_.OutboxStatsOf(channel);
    if (stats) {
      samples.push_back({prefix + "pending", "Outbox " + what + " not delivered yet.", static_cast<double>(stats->pending), !Metrics::kCounter});
      samples.push_back({prefix + "failed", "Outbox " + what + " given up (retries exhausted or refused).",
                         static_cast<double>(stats->failed), !Metrics::kCounter});
      const double age = stats->pending > 0 ? static_cast<double>(now_ms_() - stats->oldest_pending_ms) / 1000.0 : 0.0;
      samples.push_back({prefix + "oldest_pending_age_seconds", "Age of the oldest undelivered message; 0: none.",
                         age > 0 ? age : 0.0, !Metrics::kCounter});
    }
    samples.push_back({prefix + "delivered_total", "Outbox " + what + " delivered since start.",
                       static_cast<double>(sender ? sender->delivered() : 0), Metrics::kCounter});
    samples.push_back({prefix + "attempts_failed_total", "Delivery attempts of " + what + " that failed since start.",
                       static_cast<double>(sender ? sender->attempts_failed() : 0), Metrics::kCounter});
    samples.push_back({prefix + "store_failures_total", "Outbox " + what + ": store calls that failed since start.",
                       static_cast<double>(sender ? sender->store_failures() : 0), Metrics::kCounter});
  }
  return samples;
}

}  // namespace hcp::central
