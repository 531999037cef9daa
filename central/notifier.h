#pragma once
// The centre's two outbox senders, wired from the configuration (docs/notifications.md): SMS to
// citizens through the configured gateway (none, file or http), webhooks to units' own systems.
// central_server.cpp owns one, starts it with the server and stops it with it; /metrics gets its
// samples (backlog and failures of both outboxes).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "central_store.h"
#include "contact_unsealer.h"
#include "metrics.h"
#include "notify_config.h"
#include "outbox_sender.h"
#include "sms_gateway.h"
#include "ticket/keys.h"

namespace hcp::central {

class Notifier {
 public:
  // `seal`: the centre's seal key, to open the citizen's phone at send time; without it (or with
  // gateway "none") SMS wait in the outbox.
  Notifier(CentralStore& store, const NotifySettings& settings, const std::optional<SealKeyPair>& seal,
           std::function<int64_t()> now_ms);
  void Start();
  void Stop();
  // `samples` with the outboxes' appended (read from the store now, so never stale).
  std::vector<server::Metrics::Sample> WithSamples(std::vector<server::Metrics::Sample> samples);
  OutboxSender* sms() { return sms_.get(); }          // none when SMS are not sent
  OutboxSender& webhooks() { return *webhooks_; }

 private:
  CentralStore& store_;
  std::function<int64_t()> now_ms_;
  std::unique_ptr<SmsGateway> gateway_;
  std::unique_ptr<ContactUnsealer> unsealer_;
  std::unique_ptr<OutboxSender> sms_;
  std::unique_ptr<OutboxSender> webhooks_;
};

}  // namespace hcp::central
