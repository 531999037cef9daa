#pragma once
// What the citizen who gave a bad rating is told by SMS as the case moves (MoT 第十五条, SR 第十三条:
// an extension needs a reason and a new date told to the evaluator; the rectification result is
// fed back; and the case's end): one outbox message per such event, its text from templates that
// are configuration (docs/notifications.md), in Chinese by default. The phone is not here: it is
// unsealed only when the message is sent.
#include <cstdint>
#include <optional>
#include <string>

#include "central_store.h"
#include "hcp/case_machine.h"
#include "hcp/result.h"

namespace hcp::central {

// Placeholders: {case} {assess} {unit_name} {new_due} {reason} (extended), {result} (rectified),
// {resolution} (closed: 已整改 / 经核实为无效评价 / 经申诉复核不计入统计).
struct SmsTemplates {
  std::string extended = "【好差评】您对办件{case}的评价，{unit_name}已申请延期整改，新的整改期限为{new_due}，原因：{reason}。";
  std::string rectified = "【好差评】您对办件{case}的评价，{unit_name}已完成整改：{result}。感谢您的监督。";
  std::string closed = "【好差评】您对办件{case}的评价已办结（{resolution}）。感谢您的监督。";
};

// config.invalid (field sms.templates.NAME) for an empty template or an unknown {placeholder}.
Errors ValidateSmsTemplates(const SmsTemplates& templates);

// The SMS that the event number `seq` (already applied: `before` → `after`) owes the citizen, or
// none. Its id "sms:{case}:{assess}:{seq}" makes it once per event.
std::optional<OutboxMessage> CitizenNotice(const HandlingCase& record, const CaseState& before, const CaseState& after,
                                           const CaseEvent& event, int seq, const SmsTemplates& templates, int64_t now_ms);

}  // namespace hcp::central
