#include "outbox_delivery.h"

#include "http_post.h"
#include "webhook_signature.h"

namespace hcp::central {
namespace {

bool Has(const Errors& errors, std::string_view id) {
  for (const auto& e : errors)
    if (e.id == id) return true;
  return false;
}

}  // namespace

Delivery DeliverSms(CentralStore& store, const ContactUnsealer& unsealer, SmsGateway& gateway, const OutboxMessage& m) {
  auto phone = unsealer.ContactFor(store, m.case_id, m.assess, ContactPurpose::Notice, "system");
  if (!phone) {
    // No contact left, or sealed to another key: no retry will find one. The store down: later.
    if (Has(phone.errors(), "server.unavailable")) return {DeliveryOutcome::Retry, "store unavailable"};
    return {DeliveryOutcome::GiveUp, phone.errors().front().id};
  }
  return gateway.Send(SmsMessage{m.id, *phone, m.body, m.case_id, m.assess, m.kind});
}

Delivery DeliverWebhook(CentralStore& store, const OutboxMessage& m, int timeout_ms, int64_t now_ms) {
  auto hook = store.FindUnitWebhook(m.unit);
  if (!hook) return {DeliveryOutcome::Retry, "store unavailable"};
  if (!*hook || (*hook)->url.empty()) return {DeliveryOutcome::GiveUp, "webhook.not_configured"};
  const std::string ts = std::to_string(now_ms / 1000);
  httplib::Headers headers{{std::string(kWebhookTimestampHeader), ts},
                           {std::string(kWebhookSignatureHeader), WebhookSignature((*hook)->secret, ts, m.body)},
                           {"Idempotency-Key", m.id},
                           {"X-HCP-Event", m.kind}};
  return PostJson((*hook)->url, headers, m.body, timeout_ms);
}

}  // namespace hcp::central
