#include "case_registry.h"

#include <chrono>

#include "hcp/case_registration.h"
#include "short_code.h"
#include "ticket/ticket.h"

namespace hcp::central {
namespace {

std::string FormatUtcMs(int64_t ms) {
  std::string s = FormatRfc3339(ms / 1000);  // "…:SSZ"
  char frac[6];
  std::snprintf(frac, sizeof frac, ".%03dZ", static_cast<int>(ms % 1000));
  return s.substr(0, s.size() - 1) + frac;
}

}  // namespace

bool CaseRegistry::SameContact(const std::string& stored_sealed, const std::optional<std::string>& phone,
                               const std::string& sealed) const {
  const bool stored_has = !stored_sealed.empty();
  const bool new_has = phone.has_value() || !sealed.empty();
  if (stored_has != new_has) return false;
  if (!stored_has) return true;
  if (!phone && sealed == stored_sealed) return true;
  if (!seal_) return false;
  auto old_clear = OpenContact(stored_sealed, *seal_);
  if (!old_clear) return false;
  if (phone) return *old_clear == *phone;
  auto new_clear = OpenContact(sealed, *seal_);
  return new_clear && *new_clear == *old_clear;
}

Result<RegistryAnswer> CaseRegistry::Register(const Json& body, const std::string& source, int64_t now_unix) {
  auto reg = ParseCaseRegistration(body, now_unix, config_.ticket_days);
  if (!reg) return reg.errors();
  if (reg->phone && !seal_) return MakeError("registry.no_seal_key", "evaluator.phone");

  CaseRecord record;
  record.case_id = reg->parsed.case_id;
  record.assess = reg->parsed.assess;
  record.unit = reg->parsed.unit;
  record.unit_name = reg->parsed.unit_name;
  record.area = reg->parsed.area;
  record.channel = std::string(ChannelKey(reg->parsed.channel));
  record.finished_at_unix = reg->parsed.finished_at_unix;
  record.body = reg->canonical;
  record.source = source;
  record.registered_at_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  // The phone is sealed here and the clear text goes no further than this function.
  if (reg->phone) {
    auto sealed = SealContact(*reg->phone, seal_->pub);
    if (!sealed) return sealed.errors();
    record.contact = *sealed;
  } else {
    record.contact = reg->parsed.evaluator.contact;  // sealed by the integrator, or none
  }
  if (issuer_) {
    Json claims = reg->claims;
    if (!record.contact.empty()) claims["evaluator"]["contact"] = record.contact;
    auto ticket = IssueTicket(std::move(claims), *issuer_, std::nullopt);
    if (!ticket) return ticket.errors();
    record.ticket = *ticket;
    record.short_code = NewShortCode();
  }

  auto stored = store_.RegisterCase(record);
  if (!stored) return stored.errors();
  const CaseRecord& r = stored->record;
  if (!stored->created && (r.body != record.body || !SameContact(r.contact, reg->phone, reg->parsed.evaluator.contact)))
    return MakeError("registry.conflict", "case", r.case_id);

  RegistryAnswer answer;
  answer.created = stored->created;
  answer.body = Json{{"case", r.case_id}, {"assess", r.assess}, {"registered_at", FormatUtcMs(r.registered_at_ms)}};
  if (!r.ticket.empty()) {
    answer.body["ticket"] = r.ticket;
    answer.body["short_code"] = r.short_code;
    if (!config_.link_base.empty()) answer.body["short_url"] = config_.link_base + "/r/" + r.short_code;
  }
  return answer;
}

}  // namespace hcp::central
