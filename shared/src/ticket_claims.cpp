#include "hcp/ticket_claims.h"

#include <algorithm>
#include <cstdio>

#include "hcp/date.h"
#include "hcp/json_text.h"
#include "hcp/utf8.h"

namespace hcp {
namespace {

using Json = nlohmann::json;

Error Invalid(std::string field, std::string_view what) {
  return MakeError("ticket.claims_invalid", std::move(field), what);
}

bool Digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Reads `n` decimal digits at `at`; false if any is not a digit.
bool ReadNumber(std::string_view s, size_t at, size_t n, int& out) {
  if (at + n > s.size() || !Digits(s.substr(at, n))) return false;
  out = 0;
  for (size_t i = at; i < at + n; ++i) out = out * 10 + (s[i] - '0');
  return true;
}

bool IsBase64Url(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

bool IsLowerHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// An 18-character resident ID (17 digits and a check digit or X), the old 15-digit one, or an
// 11-digit mobile number: what an integrator might wrongly use as the subject id.
bool LooksPersonal(std::string_view s) {
  if (s.size() == 18) return Digits(s.substr(0, 17)) && (Digits(s.substr(17)) || s[17] == 'X' || s[17] == 'x');
  if (s.size() == 15) return Digits(s);
  if (s.size() == 11) return s[0] == '1' && Digits(s);
  return false;
}

// Evaluator keys that mean personal data in clear. Unknown keys are refused anyway; these get a
// message that says why and what to do instead.
constexpr std::string_view kClearPersonalKeys[] = {"phone", "mobile", "tel", "telephone", "email",
                                                   "id_card", "idcard", "id_number", "id_no", "cert_no"};

// A required (or optional, when present) string claim: valid UTF-8, no control characters,
// 1..max code points. Returns false and records an error otherwise.
bool ReadText(const Json& obj, std::string_view key, const std::string& field, bool required, int max,
              std::string& out, Errors& errors) {
  const auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) errors.push_back(Invalid(field, "required"));
    return !required;
  }
  if (!it->is_string()) {
    errors.push_back(Invalid(field, "must be a string"));
    return false;
  }
  const auto& s = it->get_ref<const std::string&>();
  if (s.empty()) {
    errors.push_back(Invalid(field, "must not be empty"));
    return false;
  }
  if (!IsValidUtf8(s) || std::any_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; })) {
    errors.push_back(Invalid(field, "contains invalid or control characters"));
    return false;
  }
  if (CodePointCount(s) > static_cast<size_t>(max)) {
    errors.push_back(Invalid(field, "too long, at most " + std::to_string(max) + " characters"));
    return false;
  }
  out = s;
  return true;
}

bool ReadTime(const Json& obj, std::string_view key, std::string& text, int64_t& unix_seconds, Errors& errors) {
  const std::string field(key);
  if (!ReadText(obj, key, field, true, 40, text, errors)) return false;
  auto t = ParseRfc3339(text, field);
  if (!t) {
    errors.push_back(Invalid(field, "expected an RFC 3339 time with offset, e.g. 2026-11-20T10:00:00+08:00"));
    return false;
  }
  unix_seconds = *t;
  return true;
}

void ReadEvaluator(const Json& j, TicketClaims::Evaluator& ev, Errors& errors) {
  if (!j.is_object()) {
    errors.push_back(Invalid("evaluator", "must be an object {sub, kind, name[, contact]}"));
    return;
  }
  for (const auto& [key, value] : j.items()) {
    const bool personal = std::find(std::begin(kClearPersonalKeys), std::end(kClearPersonalKeys), key) !=
                          std::end(kClearPersonalKeys);
    if (personal)
      errors.push_back(Invalid("evaluator." + key,
                               "personal data must not travel in clear; seal the contact into evaluator.contact "
                               "(hcp ticket issue seals evaluator.phone)"));
    else if (key != "sub" && key != "kind" && key != "name" && key != "contact")
      errors.push_back(Invalid("evaluator." + key, "unknown claim"));
  }
  if (ReadText(j, "sub", "evaluator.sub", true, kMaxClaimChars, ev.sub, errors) && LooksPersonal(ev.sub))
    errors.push_back(Invalid("evaluator.sub", "must be a pseudonymous id, not an ID-card or phone number"));

  std::string kind;
  if (ReadText(j, "kind", "evaluator.kind", true, 16, kind, errors)) {
    if (auto k = ParseEvaluatorKind(kind)) ev.kind = *k;
    else errors.push_back(Invalid("evaluator.kind", "must be person (个人) or org (法人)"));
  }
  // A person's name travels masked (张*); an organisation's name is public.
  if (ReadText(j, "name", "evaluator.name", true, kMaxNameChars, ev.name, errors) &&
      ev.kind == EvaluatorKind::Person && ev.name.find('*') == std::string::npos)
    errors.push_back(Invalid("evaluator.name", "a person's name must be masked, e.g. 张*"));

  if (ReadText(j, "contact", "evaluator.contact", false, kMaxContactChars, ev.contact, errors) &&
      !ev.contact.empty() && (ev.contact.size() < static_cast<size_t>(kMinContactChars) || !IsBase64Url(ev.contact))) {
    errors.push_back(Invalid("evaluator.contact",
                             "must be sealed to the centre's seal key (base64url of crypto_box_seal); "
                             "hcp ticket issue seals a clear evaluator.phone"));
    ev.contact.clear();
  }
}

}  // namespace

Result<int64_t> ParseRfc3339(std::string_view text, std::string field) {
  auto bad = [&]() { return MakeError("date.invalid", std::move(field), text.substr(0, 40)); };
  if (text.size() < 20 || text.size() > 40) return bad();
  auto date = Date::Parse(text.substr(0, 10));
  int hour = 0, minute = 0, second = 0;
  if (!date || text[10] != 'T' || !ReadNumber(text, 11, 2, hour) || text[13] != ':' ||
      !ReadNumber(text, 14, 2, minute) || text[16] != ':' || !ReadNumber(text, 17, 2, second) || hour > 23 ||
      minute > 59 || second > 59)
    return bad();
  size_t at = 19;
  if (text[at] == '.') {
    const size_t from = ++at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
    if (at == from || at - from > 9) return bad();
  }
  int offset_seconds = 0;
  const std::string_view zone = text.substr(at);
  if (zone != "Z") {
    int oh = 0, om = 0;
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || !ReadNumber(zone, 1, 2, oh) || zone[3] != ':' ||
        !ReadNumber(zone, 4, 2, om) || oh > 23 || om > 59)
      return bad();
    offset_seconds = (zone[0] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
  }
  return static_cast<int64_t>(date->DayNumber()) * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
}

std::string FormatRfc3339(int64_t unix_seconds, int offset_minutes) {
  const int64_t local = unix_seconds + static_cast<int64_t>(offset_minutes) * 60;
  const int64_t days = (local >= 0 ? local : local - 86399) / 86400;  // floor
  const int64_t rest = local - days * 86400;
  const Date d = Date::FromDayNumber(static_cast<long>(days));
  char buf[48];
  if (offset_minutes == 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", d.year(), d.month(), d.day(),
                  static_cast<int>(rest / 3600), static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  } else {
    const int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", d.year(), d.month(), d.day(),
                  static_cast<int>(rest / 3600), static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60),
                  offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  }
  return buf;
}

Result<TicketClaims> ParseTicketClaims(const Json& j) {
  if (!j.is_object()) return Invalid("", "claims must be a JSON object");
  TicketClaims c;
  Errors errors;
  static constexpr std::string_view kKnown[] = {"v",       "kid",    "case",        "item",  "item_name",
                                                "unit",    "unit_name", "area",     "window", "staff",
                                                "channel", "finished_at", "exp",    "assess", "evaluator"};
  for (const auto& [key, value] : j.items())
    if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown))
      errors.push_back(Invalid(key, "unknown claim"));

  if (const auto v = j.find("v"); v != j.end() && !(v->is_number_integer() && v->get<int64_t>() == kTicketClaimsVersion))
    errors.push_back(Invalid("v", "unsupported version, expected 1"));

  if (ReadText(j, "kid", "kid", true, 16, c.kid, errors) && (c.kid.size() != 16 || !IsLowerHex(c.kid)))
    errors.push_back(Invalid("kid", "must be 16 lowercase hex characters"));
  ReadText(j, "case", "case", true, kMaxClaimChars, c.case_id, errors);
  ReadText(j, "item", "item", true, kMaxClaimChars, c.item, errors);
  ReadText(j, "item_name", "item_name", true, kMaxClaimChars, c.item_name, errors);
  ReadText(j, "unit", "unit", true, kMaxClaimChars, c.unit, errors);
  ReadText(j, "unit_name", "unit_name", true, kMaxClaimChars, c.unit_name, errors);
  ReadText(j, "area", "area", true, kMaxClaimChars, c.area, errors);
  ReadText(j, "window", "window", false, kMaxClaimChars, c.window, errors);
  ReadText(j, "staff", "staff", false, kMaxClaimChars, c.staff, errors);

  std::string channel;
  if (ReadText(j, "channel", "channel", true, 16, channel, errors)) {
    auto ch = ParseChannel(channel);
    // The system's default rating is never a ticket's channel: nobody is invited to rate through it.
    if (ch && *ch != Channel::SystemDefault) c.channel = *ch;
    else errors.push_back(Invalid("channel", "must be one of pc, mobile, qr, tablet, terminal, sms, phone"));
  }

  const bool finished_ok = ReadTime(j, "finished_at", c.finished_at, c.finished_at_unix, errors);
  const bool exp_ok = ReadTime(j, "exp", c.exp, c.exp_unix, errors);
  if (finished_ok && exp_ok && c.exp_unix <= c.finished_at_unix)
    errors.push_back(Invalid("exp", "must be later than finished_at"));

  if (const auto a = j.find("assess"); a == j.end()) errors.push_back(Invalid("assess", "required"));
  else if (a->is_number_integer() && (a->get<int64_t>() == 1 || a->get<int64_t>() == 2)) c.assess = a->get<int>();
  else errors.push_back(Invalid("assess", "must be 1 (first rating) or 2 (the follow-up rating, 追评)"));

  if (const auto ev = j.find("evaluator"); ev == j.end()) errors.push_back(Invalid("evaluator", "required"));
  else ReadEvaluator(*ev, c.evaluator, errors);

  if (!errors.empty()) return errors;
  return c;
}

nlohmann::json TicketClaimsToJson(const TicketClaims& c) {
  Json ev = {{"sub", c.evaluator.sub}, {"kind", std::string(EvaluatorKindKey(c.evaluator.kind))}, {"name", c.evaluator.name}};
  if (!c.evaluator.contact.empty()) ev["contact"] = c.evaluator.contact;
  Json j = {{"v", c.v},
            {"kid", c.kid},
            {"case", c.case_id},
            {"item", c.item},
            {"item_name", c.item_name},
            {"unit", c.unit},
            {"unit_name", c.unit_name},
            {"area", c.area},
            {"channel", std::string(ChannelKey(c.channel))},
            {"finished_at", c.finished_at},
            {"exp", c.exp},
            {"assess", c.assess},
            {"evaluator", std::move(ev)}};
  if (!c.window.empty()) j["window"] = c.window;
  if (!c.staff.empty()) j["staff"] = c.staff;
  return j;
}

std::string TicketClaimsToText(const TicketClaims& c) {
  std::string out;
  out.reserve(512);
  // "key":"value", in the order nlohmann's std::map keeps keys (bytewise), as Dump writes them.
  auto text = [&out](std::string_view key, std::string_view value) {
    out += '"';
    out += key;
    out += "\":";
    AppendJsonString(out, value);
    out += ',';
  };
  out += '{';
  text("area", c.area);
  out += "\"assess\":" + std::to_string(c.assess) + ",";
  text("case", c.case_id);
  text("channel", ChannelKey(c.channel));
  out += "\"evaluator\":{";
  if (!c.evaluator.contact.empty()) text("contact", c.evaluator.contact);
  text("kind", EvaluatorKindKey(c.evaluator.kind));
  text("name", c.evaluator.name);
  out += "\"sub\":";
  AppendJsonString(out, c.evaluator.sub);
  out += "},";
  text("exp", c.exp);
  text("finished_at", c.finished_at);
  text("item", c.item);
  text("item_name", c.item_name);
  text("kid", c.kid);
  if (!c.staff.empty()) text("staff", c.staff);
  text("unit", c.unit);
  text("unit_name", c.unit_name);
  out += "\"v\":" + std::to_string(c.v);
  if (!c.window.empty()) {
    out += ",\"window\":";
    AppendJsonString(out, c.window);
  }
  out += '}';
  return out;
}

}  // namespace hcp
