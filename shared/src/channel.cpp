#include "hcp/channel.h"

#include <nlohmann/json.hpp>

namespace hcp {

std::string_view ChannelKey(Channel c) {
  switch (c) {
    case Channel::Pc: return "pc";
    case Channel::Mobile: return "mobile";
    case Channel::Qr: return "qr";
    case Channel::Tablet: return "tablet";
    case Channel::Terminal: return "terminal";
    case Channel::Sms: return "sms";
    case Channel::Phone: return "phone";
    case Channel::SystemDefault: return "default";
  }
  return "";
}

Result<Channel> ParseChannel(std::string_view key) {
  for (Channel c : kAllChannels)
    if (ChannelKey(c) == key) return c;
  return MakeError("channel.unknown", "channel", key.substr(0, 40));
}

std::string_view ChannelName(Channel c, Lang lang) {
  const bool zh = lang == Lang::Zh;
  switch (c) {
    case Channel::Pc: return zh ? "PC端" : "PC";
    case Channel::Mobile: return zh ? "移动端" : "Mobile";
    case Channel::Qr: return zh ? "二维码" : "QR code";
    case Channel::Tablet: return zh ? "政务大厅平板电脑" : "Service hall tablet";
    case Channel::Terminal: return zh ? "政务大厅其他终端" : "Service hall terminal";
    case Channel::Sms: return zh ? "短信" : "SMS";
    case Channel::Phone: return zh ? "电话" : "Phone";
    case Channel::SystemDefault: return zh ? "系统默认评价" : "System default";
  }
  return "";
}

bool IsOnline(Channel c) {
  // An SMS invitation links to the online form; the hotline and everything in the hall is offline.
  return c == Channel::Pc || c == Channel::Mobile || c == Channel::Sms;
}

std::string_view EvaluatorKindKey(EvaluatorKind k) { return k == EvaluatorKind::Person ? "person" : "org"; }

Result<EvaluatorKind> ParseEvaluatorKind(std::string_view key) {
  if (key == "person") return EvaluatorKind::Person;
  if (key == "org") return EvaluatorKind::Org;
  return MakeError("evaluator.kind_unknown", "evaluator.kind", key.substr(0, 40));
}

ChannelCodeTable ChannelCodeTable::Zhejiang() {
  ChannelCodeTable t;
  t.codes_ = {{Channel::Pc, 1},       {Channel::Mobile, 2}, {Channel::Qr, 3},
              {Channel::Tablet, 4},   {Channel::Terminal, 5}, {Channel::Sms, 6},
              {Channel::SystemDefault, 7}};
  return t;
}

ChannelCodeTable ChannelCodeTable::Gbt39046() {
  ChannelCodeTable t;
  t.codes_ = {{Channel::Pc, 1},       {Channel::Mobile, 2}, {Channel::Qr, 3},
              {Channel::Tablet, 4},   {Channel::Terminal, 5}, {Channel::Phone, 6},
              {Channel::Sms, 7}};
  return t;
}

Result<ChannelCodeTable> ChannelCodeTable::FromConfig(std::string_view preset_or_json) {
  if (preset_or_json == "zhejiang") return Zhejiang();
  if (preset_or_json == "gbt39046") return Gbt39046();
  const auto doc = nlohmann::json::parse(preset_or_json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return MakeError("channel.table_invalid", "", "expected \"zhejiang\", \"gbt39046\" or a JSON object");
  ChannelCodeTable t;
  for (const auto& [key, code] : doc.items()) {
    auto c = ParseChannel(key);
    if (!c) return MakeError("channel.table_invalid", "", "unknown channel " + key);
    if (!code.is_number_integer() || code.get<int>() < 1 || code.get<int>() > 99)
      return MakeError("channel.table_invalid", "", "code for " + key + " must be 1..99");
    for (const auto& [other, used] : t.codes_)
      if (used == code.get<int>()) return MakeError("channel.table_invalid", "", "code used twice: " + key);
    t.codes_[*c] = code.get<int>();
  }
  return t;
}

Result<int> ChannelCodeTable::Code(Channel c) const {
  auto it = codes_.find(c);
  if (it == codes_.end()) return MakeError("channel.code_unmapped", "channel", ChannelKey(c));
  return it->second;
}

Result<Channel> ChannelCodeTable::FromCode(int code) const {
  for (const auto& [c, v] : codes_)
    if (v == code) return c;
  return MakeError("channel.code_unmapped", "pf", std::to_string(code));
}

}  // namespace hcp
