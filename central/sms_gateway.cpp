#include "sms_gateway.h"

#include <fcntl.h>
#include <unistd.h>

#include "hcp/ticket_claims.h"
#include "hcp/wire.h"
#include "http_post.h"

namespace hcp::central {

std::string MaskPhone(std::string_view phone) {
  if (phone.size() < 8) return std::string(phone.size(), '*');
  return std::string(phone.substr(0, 3)) + std::string(phone.size() - 7, '*') + std::string(phone.substr(phone.size() - 4));
}

Delivery HttpSmsGateway::Send(const SmsMessage& m) {
  httplib::Headers headers{{"Idempotency-Key", m.id}};
  if (!token_.empty()) headers.emplace("Authorization", "Bearer " + token_);
  return PostJson(url_, headers, Dump(Json{{"id", m.id}, {"phone", m.phone}, {"text", m.text}}), timeout_ms_);
}

Delivery FileSmsGateway::Send(const SmsMessage& m) {
  const std::string line = Dump(Json{{"id", m.id},
                                     {"at", FormatRfc3339(now_ms_() / 1000, 480)},
                                     {"case", m.case_id},
                                     {"assess", m.assess},
                                     {"kind", m.kind},
                                     {"phone", MaskPhone(m.phone)},
                                     {"text", m.text}}) +
                           "\n";
  std::lock_guard lock(mu_);
  // One write with O_APPEND: a line is never interleaved with another process's.
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0) return {DeliveryOutcome::Retry, "cannot open " + path_};
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return {DeliveryOutcome::Retry, "cannot write " + path_};
  return {DeliveryOutcome::Delivered, ""};
}

}  // namespace hcp::central
