#include "citizen_notice.h"

#include <map>

namespace hcp::central {
namespace {

const char* const kPlaceholders[] = {"case", "assess", "unit_name", "new_due", "reason", "result", "resolution"};

bool Known(const std::string& name) {
  for (const char* p : kPlaceholders)
    if (name == p) return true;
  return false;
}

// `text` with every {name} of `values` replaced; anything else is copied as it is.
std::string Render(const std::string& text, const std::map<std::string, std::string>& values) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '{') {
      const size_t close = text.find('}', i + 1);
      if (close != std::string::npos) {
        const auto v = values.find(text.substr(i + 1, close - i - 1));
        if (v != values.end()) {
          out += v->second;
          i = close + 1;
          continue;
        }
      }
    }
    out += text[i++];
  }
  return out;
}

std::string_view ResolutionText(CaseResolution r) {
  switch (r) {
    case CaseResolution::Rectified: return "已整改";
    case CaseResolution::Invalid: return "经核实为无效评价";
    case CaseResolution::AppealUpheld: return "经申诉复核不计入统计";
    case CaseResolution::None: break;
  }
  return "已办结";
}

std::string Field(const CaseEvent& e, const char* name) {
  const auto it = e.fields.find(name);
  return it == e.fields.end() ? "" : it->second;
}

}  // namespace

Errors ValidateSmsTemplates(const SmsTemplates& t) {
  Errors errors;
  for (const auto& [name, text] : {std::pair<const char*, const std::string*>{"extended", &t.extended},
                                   {"rectified", &t.rectified}, {"closed", &t.closed}}) {
    const std::string field = std::string("sms.templates.") + name;
    if (text->empty()) errors.push_back(MakeError("config.invalid", field, field + " must not be empty"));
    for (size_t open = text->find('{'); open != std::string::npos; open = text->find('{', open + 1)) {
      const size_t close = text->find('}', open + 1);
      const std::string placeholder = close == std::string::npos ? "" : text->substr(open + 1, close - open - 1);
      if (!Known(placeholder))
        errors.push_back(MakeError("config.invalid", field,
                                   field + ": unknown placeholder {" + placeholder +
                                       "} (known: case, assess, unit_name, new_due, reason, result, resolution)"));
    }
  }
  return errors;
}

std::optional<OutboxMessage> CitizenNotice(const HandlingCase& record, const CaseState& before, const CaseState& after,
                                           const CaseEvent& event, int seq, const SmsTemplates& templates,
                                           int64_t now_ms) {
  const std::string* text = nullptr;
  std::string kind;
  if (after.status == CaseStatus::Closed && before.status != CaseStatus::Closed) {
    text = &templates.closed;
    kind = "closed";
  } else if (!after.history.empty() && after.history.back().notify_citizen) {
    // The case machine marks the steps the citizen must hear of: an extension, a rectification.
    if (event.action == CaseAction::Extend) {
      text = &templates.extended;
      kind = "extended";
    } else if (event.action == CaseAction::Rectify) {
      text = &templates.rectified;
      kind = "rectified";
    }
  }
  if (!text) return std::nullopt;
  const std::map<std::string, std::string> values = {
      {"case", record.case_id},
      {"assess", std::to_string(record.assess)},
      {"unit_name", record.unit_name},
      {"new_due", after.due && event.action == CaseAction::Extend ? after.due->ToString() : Field(event, "new_due")},
      {"reason", Field(event, "reason")},
      {"result", Field(event, "result")},
      {"resolution", std::string(ResolutionText(after.resolution))}};
  OutboxMessage m;
  m.id = "sms:" + record.case_id + ":" + std::to_string(record.assess) + ":" + std::to_string(seq);
  m.channel = "sms";
  m.case_id = record.case_id;
  m.assess = record.assess;
  m.unit = record.unit;
  m.kind = kind;
  m.body = Render(*text, values);
  m.next_at_ms = now_ms;
  m.created_at_ms = now_ms;
  return m;
}

}  // namespace hcp::central
