#pragma once
// Where the centre's SMS to citizens go (docs/notifications.md): an interface with two adapters.
// HttpSmsGateway POSTs JSON to the operator's SMS platform with a bearer token and the message id
// as Idempotency-Key; FileSmsGateway appends JSON lines to a file for the demo and for trying the
// closed loop without a platform. The phone arrives here in clear (unsealed just before) and
// leaves only to the HTTP gateway: the file gets the masked number, and no log line ever has it.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "outbox_sender.h"

namespace hcp::central {

struct SmsMessage {
  std::string id;  // the outbox id: the Idempotency-Key
  std::string phone;
  std::string text;
  std::string case_id;
  int assess = 1;
  std::string kind;
};

class SmsGateway {
 public:
  virtual ~SmsGateway() = default;
  virtual Delivery Send(const SmsMessage& message) = 0;
};

// POST url, "Authorization: Bearer token" (when set), "Idempotency-Key: id",
// body {"id": "...", "phone": "13800138000", "text": "..."}; 2xx = sent.
class HttpSmsGateway : public SmsGateway {
 public:
  HttpSmsGateway(std::string url, std::string token, int timeout_ms)
      : url_(std::move(url)), token_(std::move(token)), timeout_ms_(timeout_ms) {}
  Delivery Send(const SmsMessage& message) override;

 private:
  std::string url_, token_;
  int timeout_ms_;
};

// One JSON line per message: {"id", "at", "case", "assess", "kind", "phone" (masked), "text"}.
class FileSmsGateway : public SmsGateway {
 public:
  explicit FileSmsGateway(std::string path, std::function<int64_t()> now_ms)
      : path_(std::move(path)), now_ms_(std::move(now_ms)) {}
  Delivery Send(const SmsMessage& message) override;

 private:
  std::string path_;
  std::function<int64_t()> now_ms_;
  std::mutex mu_;
};

// 13800138000 → 138****8000: the first 3 and last 4 characters kept when there are at least 8,
// everything else a *; shorter: all *.
std::string MaskPhone(std::string_view phone);

}  // namespace hcp::central
