#pragma once
// The configuration of the centre's two outboxes (docs/notifications.md): SMS to citizens and
// webhooks to units. In the --config file:
//   "sms": {"gateway": "none" | "file" | "http", "url": "https://…", "token_file": "/etc/hcp/sms.token",
//           "file": "DATA/notifications.jsonl", "templates": {"extended": "…", "rectified": "…", "closed": "…"},
//           "retry": {"max_attempts": 12, "backoff_min_ms": 2000, "backoff_max_ms": 900000,
//                     "poll_ms": 1000, "batch": 8, "timeout_ms": 5000, "lease_ms": 120000}},
//   "webhooks": {"retry": {…the same keys…}}
// Units' webhook URLs and secrets live with the units (hcp admin unit add --webhook).
#include <string>

#include "citizen_notice.h"
#include "hcp/result.h"
#include "hcp/wire.h"
#include "outbox_sender.h"

namespace hcp::central {

struct NotifySettings {
  // "none": SMS wait in the outbox (counted in /metrics) until a gateway is configured;
  // "file": appended to `sms_file` with masked numbers (the demo); "http": POSTed to `sms_url`.
  std::string sms_gateway = "none";
  std::string sms_url;
  std::string sms_token_file;  // the bearer token, in a file of its own (mode 0600), not in the config
  std::string sms_token;       // its content, read at start
  std::string sms_file;        // "file": empty = DATA/notifications.jsonl
  SmsTemplates templates;
  OutboxPolicy sms_retry;
  OutboxPolicy webhook_retry;
};

// Reads "sms" and "webhooks" of the config file's object (absent keys keep their value); unknown
// keys and wrong types are refused, every problem at once.
Errors ApplyNotifyConfig(const Json& config, NotifySettings& settings);
// The whole after flags and file: ranges, templates, the gateway's URL.
Errors ValidateNotifySettings(const NotifySettings& settings);

}  // namespace hcp::central
