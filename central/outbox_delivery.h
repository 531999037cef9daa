#pragma once
// How each outbox channel's message reaches its receiver (OutboxSender's `deliver`):
// an SMS: the citizen's contact unsealed now (recorded as a "notice" opening), then the gateway;
// a webhook: the unit's URL and secret read now (so a changed URL applies to what is waiting),
// the body signed (webhook_signature.h) and POSTed.
#include <cstdint>
#include <functional>

#include "central_store.h"
#include "contact_unsealer.h"
#include "outbox_sender.h"
#include "sms_gateway.h"

namespace hcp::central {

Delivery DeliverSms(CentralStore& store, const ContactUnsealer& unsealer, SmsGateway& gateway, const OutboxMessage& m);

// Headers: X-HCP-Timestamp (now, Unix seconds), X-HCP-Signature, Idempotency-Key (the event id),
// X-HCP-Event (its type).
Delivery DeliverWebhook(CentralStore& store, const OutboxMessage& m, int timeout_ms, int64_t now_ms);

}  // namespace hcp::central
