#pragma once
// Rating channels (评价渠道, `pf`), the evaluator kind (个人/法人), and the code tables used when
// reporting upward. Regions disagree on codes 6 and 7 (Zhejiang: 6 短信, 7 系统默认评价; others:
// 6 电话, 7 短信), so the table is configuration with named presets.
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "hcp/result.h"

namespace hcp {

enum class Channel {
  Pc,             // PC端 (网厅)
  Mobile,         // 移动端 (app, H5, mini program)
  Qr,             // 二维码 (scanned at a window)
  Tablet,         // 政务大厅平板电脑 (window evaluator device)
  Terminal,       // 政务大厅其他终端 (self-service terminal)
  Sms,            // 短信
  Phone,          // 电话 (12345 hotline)
  SystemDefault,  // 系统默认评价: never chosen by a citizen
};

inline constexpr Channel kAllChannels[] = {Channel::Pc,       Channel::Mobile, Channel::Qr,
                                           Channel::Tablet,   Channel::Terminal, Channel::Sms,
                                           Channel::Phone,    Channel::SystemDefault};

std::string_view ChannelKey(Channel c);  // "pc", "mobile", "qr", "tablet", "terminal", "sms", "phone", "default"
Result<Channel> ParseChannel(std::string_view key);  // `channel.unknown`
std::string_view ChannelName(Channel c, Lang lang);

// 线上 (online: rated in a system, "一事一评") vs 线下 (offline: at the hall, "一次一评").
// Decides which reason tags and dimensions the widget shows.
bool IsOnline(Channel c);

enum class EvaluatorKind { Person = 1, Org = 2 };  // 个人 = 1, 法人 = 2 (userProp)
std::string_view EvaluatorKindKey(EvaluatorKind k);  // "person" | "org"
Result<EvaluatorKind> ParseEvaluatorKind(std::string_view key);  // `evaluator.kind_unknown`
inline int EvaluatorKindCode(EvaluatorKind k) { return static_cast<int>(k); }

// Channel → `pf` code. A channel without a code is an error when exported, not a guess.
class ChannelCodeTable {
 public:
  static ChannelCodeTable Zhejiang();  // 1 PC 2 移动 3 二维码 4 平板 5 其他终端 6 短信 7 系统默认
  static ChannelCodeTable Gbt39046();  // 1 PC 2 移动 3 二维码 4 平板 5 其他终端 6 电话 7 短信
  // "zhejiang", "gbt39046", or a JSON object {"pc": 1, ...} (text), for configuration.
  static Result<ChannelCodeTable> FromConfig(std::string_view preset_or_json);

  Result<int> Code(Channel c) const;  // `channel.code_unmapped`
  Result<Channel> FromCode(int code) const;
  void Set(Channel c, int code) { codes_[c] = code; }

 private:
  std::map<Channel, int> codes_;
};

}  // namespace hcp
