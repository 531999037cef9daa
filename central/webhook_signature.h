#pragma once
// The signature on every webhook the centre sends to a unit's own system (docs/notifications.md
// has it for integrators, with a test vector): HMAC-SHA256 with the unit's secret over
// `timestamp + "." + body`, sent as
//   X-HCP-Timestamp: 1790000000            (Unix seconds when this attempt was sent)
//   X-HCP-Signature: v1=<64 lowercase hex>
// The timestamp is inside the signed bytes, so a receiver that refuses old timestamps (say more
// than 5 minutes off) cannot be fed a recorded request again later; the Idempotency-Key header
// (the event id) lets it drop a retry of an event it has already taken.
#include <string>
#include <string_view>

namespace hcp::central {

inline constexpr std::string_view kWebhookSignatureHeader = "X-HCP-Signature";
inline constexpr std::string_view kWebhookTimestampHeader = "X-HCP-Timestamp";

// HMAC-SHA256(key = secret's bytes, message = timestamp "." body), lowercase hex.
std::string WebhookHmacHex(std::string_view secret, std::string_view timestamp, std::string_view body);
// The X-HCP-Signature value: "v1=" + WebhookHmacHex(...).
std::string WebhookSignature(std::string_view secret, std::string_view timestamp, std::string_view body);
// What a receiver does: true when `header` (the X-HCP-Signature value) is the signature of
// `timestamp` and `body` under `secret`; compared in constant time.
bool VerifyWebhookSignature(std::string_view secret, std::string_view timestamp, std::string_view body,
                            std::string_view header);

}  // namespace hcp::central
