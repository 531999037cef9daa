#include "hcp/error.h"

#include <array>

namespace hcp {
namespace {

struct Entry {
  std::string_view id;
  std::string_view zh;
  std::string_view en;
};

// The one table of error ids. Ids are API: add, reword, never rename or reuse.
constexpr std::array kTable = {
    // dates and the working-day calendar
    Entry{"date.invalid", "日期无效，应为 YYYY-MM-DD 格式的真实日期：{}", "Invalid date, expected a real YYYY-MM-DD date: {}"},
    Entry{"calendar.year_unknown", "{} 年没有节假日数据，已按周一至周五推算，结果可能不准确",
          "No holiday data for {}; counted Monday to Friday only, the result may be wrong"},
    Entry{"calendar.data_invalid", "工作日历数据有误：{}", "Invalid working-day calendar data: {}"},
    Entry{"calendar.range", "工作日数超出允许范围：{}", "Number of working days out of range: {}"},
    // levels and channels
    Entry{"level.code_out_of_range", "满意度代码应为 1 到 5：{}", "Satisfaction code must be 1 to 5: {}"},
    Entry{"level.direction_unknown", "未知的满意度代码方向（应为 deployed 或 gbt39046）：{}",
          "Unknown satisfaction code direction (deployed or gbt39046): {}"},
    Entry{"evaluator.kind_unknown", "未知的评价人类型（应为 person 或 org）：{}", "Unknown evaluator kind (person or org): {}"},
    Entry{"channel.unknown", "未知的评价渠道：{}", "Unknown rating channel: {}"},
    Entry{"channel.code_unmapped", "评价渠道在当前代码表中没有对应代码：{}", "Channel has no code in the current code table: {}"},
    Entry{"channel.table_invalid", "评价渠道代码表有误：{}", "Invalid channel code table: {}"},
    // reason catalogue
    Entry{"catalogue.invalid", "评价标签目录有误：{}", "Invalid reason catalogue: {}"},
    // rating validation
    Entry{"rating.satisfaction_required", "请选择满意度", "Please choose a satisfaction level"},
    Entry{"rating.satisfaction_out_of_range", "满意度应为 1 到 5 之间的整数", "Satisfaction must be a whole number from 1 to 5"},
    Entry{"rating.reason_required", "差评请至少勾选一项理由或填写评价内容",
          "A bad rating needs at least one reason or a written comment"},
    Entry{"rating.reason_unknown", "评价标签不存在：{}", "Unknown reason code: {}"},
    Entry{"rating.reason_not_for_level", "该评价标签不适用于所选满意度：{}", "This reason does not fit the chosen level: {}"},
    Entry{"rating.reason_not_for_channel", "该评价标签不适用于当前评价渠道：{}", "This reason does not fit this channel: {}"},
    Entry{"rating.reason_duplicate", "评价标签重复：{}", "Reason given twice: {}"},
    Entry{"rating.too_many_reasons", "评价标签过多，最多 {} 项", "Too many reasons, at most {}"},
    Entry{"rating.comment_too_long", "评价内容过长，最多 {} 个字", "Comment too long, at most {} characters"},
    Entry{"rating.comment_invalid_utf8", "评价内容包含无效字符", "Comment is not valid UTF-8"},
    Entry{"rating.dimension_unknown", "未知的评价指标：{}", "Unknown rating dimension: {}"},
    Entry{"rating.dimension_out_of_range", "评价指标分值应为 1 到 5：{}", "Dimension score must be 1 to 5: {}"},
    Entry{"rating.catalogue_version_mismatch", "评价标签目录版本不一致，请刷新页面后重试：{}",
          "Reason catalogue version differs, reload the page and try again: {}"},
    // request decoding (JSON wire format)
    Entry{"request.invalid_json", "请求内容不是有效的 JSON", "Request body is not valid JSON"},
    Entry{"request.invalid_utf8", "请求内容包含无效的 UTF-8 字符", "Request body is not valid UTF-8"},
    Entry{"request.too_deep", "JSON 嵌套层数过多，最多 {} 层", "JSON nested too deep, at most {} levels"},
    Entry{"request.not_object", "请求内容应为 JSON 对象", "Request body must be a JSON object"},
    Entry{"request.field_type", "字段类型错误，应为 {}", "Wrong field type, expected {}"},
    Entry{"request.unknown_field", "不认识的字段", "Unknown field"},
    Entry{"request.field_required", "缺少必填字段", "Required field missing"},
    // files and command-line use (adapters)
    Entry{"file.unreadable", "无法读取文件：{}", "Cannot read file: {}"},
    Entry{"file.exists", "文件已存在：{}", "File exists: {}"},
    Entry{"file.unwritable", "无法写入：{}", "Cannot write: {}"},
    Entry{"usage.invalid", "命令用法有误：{}", "Invalid command usage: {}"},
    // default ratings
    Entry{"default_rating.config_invalid", "默认评价规则配置有误：{}", "Invalid default-rating configuration: {}"},
    // keys and evaluation tickets (real-name rating, MoT 第十条)
    Entry{"key.invalid", "密钥文件无效：{}", "Invalid key file: {}"},
    Entry{"ticket.malformed", "评价凭证格式有误，请从办件页面重新进入评价", "The rating ticket is malformed; open the rating again from your case page"},
    Entry{"ticket.unknown_key", "评价凭证的签发方不受信任：{}", "The rating ticket was issued by an untrusted key: {}"},
    Entry{"ticket.bad_signature", "评价凭证签名无效", "The rating ticket's signature is invalid"},
    Entry{"ticket.expired", "评价凭证已过期，评价期限已过", "The rating ticket has expired; the rating period is over"},
    Entry{"ticket.claims_invalid", "评价凭证内容有误：{}", "The rating ticket's claims are invalid: {}"},
    Entry{"ticket.seal_failed", "联系方式加密失败：{}", "Could not seal the contact data: {}"},
    Entry{"ticket.open_failed", "联系方式无法解密：{}", "Could not open the sealed contact data: {}"},
    // the edge's HTTP API
    Entry{"request.too_large", "请求内容过大，最多 {} 字节", "Request body too large, at most {} bytes"},
    Entry{"request.unsupported_encoding", "不支持的内容编码：{}", "Unsupported content encoding: {}"},
    Entry{"request.idempotency_key_invalid", "Idempotency-Key 请求头无效（1 到 128 个可见 ASCII 字符）",
          "Invalid Idempotency-Key header (1 to 128 printable ASCII characters)"},
    Entry{"request.rate_limited", "请求过于频繁，请 {} 秒后再试", "Too many requests, try again in {} seconds"},
    Entry{"request.not_found", "没有这个接口", "No such endpoint"},
    Entry{"request.method_not_allowed", "不支持该请求方法，可用：{}", "Method not allowed, use: {}"},
    Entry{"request.too_many_headers", "请求头过多，最多 {} 个", "Too many request headers, at most {}"},
    Entry{"request.body_not_allowed", "此接口不接受请求体", "This endpoint takes no request body"},
    Entry{"request.origin_not_allowed", "该网页未获准嵌入评价组件", "This page's origin may not embed the rating widget"},
    Entry{"request.malformed", "请求格式错误", "Malformed HTTP request"},
    Entry{"request.body_unreadable", "请求体未能完整读取", "The request body could not be read completely"},
    Entry{"rating.already_rated", "该办件已经评价过了，感谢您的参与", "This case has already been rated, thank you"},
    Entry{"rating.idempotency_conflict", "同一 Idempotency-Key 已用于另一条评价", "This Idempotency-Key was already used for a different rating"},
    Entry{"server.storage_full", "服务器存储空间已满，评价未保存，请稍后再试", "The server's storage is full; the rating was not saved, please try again later"},
    Entry{"server.unavailable", "服务暂时不可用，请稍后再试", "Service temporarily unavailable, please try again later"},
    Entry{"server.internal", "服务器内部错误，评价未保存", "Internal server error; the rating was not saved"},
    Entry{"config.invalid", "配置有误：{}", "Invalid configuration: {}"},
    // the centre's API
    Entry{"ingest.unauthorized", "边缘节点签名缺失或无效：{}", "Missing or invalid edge signature: {}"},
    Entry{"ingest.unknown_edge", "不受信任的边缘节点：{}", "Untrusted edge: {}"},
    Entry{"ingest.stale", "边缘节点签名时间与中心时间相差过大：{}", "Edge signature timestamp too far from the centre's clock: {}"},
    Entry{"ingest.invalid", "批次内容有误：{}", "Invalid batch: {}"},
    // One rating of a batch the centre cannot store (the batch itself is fine): kept as rejected
    // with this reason and answered per rating, so it does not hold back the ratings behind it.
    Entry{"ingest.rating_invalid", "批次中的一条评价有误，未计入统计：{}", "A rating in the batch is invalid and not counted: {}"},
    Entry{"auth.required", "需要管理员令牌", "An administrator token is required"},
    Entry{"auth.api_key_required", "需要有效的接入密钥（Authorization: Bearer …）：{}",
          "A valid API key is required (Authorization: Bearer …): {}"},
    // the case registry and short links
    Entry{"registry.invalid", "办件信息有误：{}", "Invalid case data: {}"},
    Entry{"registry.conflict", "该办件已登记，且内容不同：{}", "This case was already registered with different data: {}"},
    Entry{"registry.no_seal_key", "中心未配置加密密钥，不能接收联系电话", "The centre has no seal key, so it cannot accept a phone number"},
    Entry{"link.not_found", "评价链接不存在或已失效", "This rating link does not exist or is no longer valid"},
    Entry{"contact.none", "该办件没有联系方式：{}", "No contact data for this case: {}"},
    // bad-rating case state machine
    Entry{"case.transition_not_allowed", "当前状态下不能执行该操作：{}", "This action is not allowed in the current state: {}"},
    Entry{"case.actor_not_allowed", "该角色不能执行此操作：{}", "This role may not take this action: {}"},
    Entry{"case.action_unknown", "未知的操作：{}", "Unknown action: {}"},
    Entry{"case.actor_unknown", "未知的角色：{}", "Unknown role: {}"},
    Entry{"case.field_required", "缺少必填内容：{}", "Required field missing: {}"},
    Entry{"case.field_invalid", "内容无效：{}", "Invalid value: {}"},
    Entry{"case.date_out_of_order", "操作日期早于上一步：{}", "Action dated before the previous step: {}"},
    Entry{"case.extension_not_later", "延期后的期限应晚于当前期限：{}", "The extended deadline must be later than the current one: {}"},
    Entry{"case.appeal_exists", "该差评已提出过申诉", "An appeal was already filed for this bad rating"},
    Entry{"case.no_pending_appeal", "没有待处理的申诉", "There is no pending appeal"},
    Entry{"case.config_invalid", "差评处置时限配置有误：{}", "Invalid case deadline configuration: {}"},
    // the closed loop at the centre (issue 6 part A)
    Entry{"case.not_found", "没有这个差评处置件：{}", "No such bad-rating case: {}"},
    Entry{"case.conflict", "该差评处置件刚被他人处理，请刷新后重试：{}",
          "Someone else acted on this case just now; reload and try again: {}"},
    // people and access: back-office users, sessions, CSRF, roles (issue 6 part B)
    Entry{"auth.login_failed", "用户名或密码错误", "Wrong user name or password"},
    Entry{"auth.session_required", "请先登录（会话不存在或已过期）", "Please sign in (no session, or it has expired)"},
    Entry{"auth.csrf_failed", "缺少或错误的 CSRF 令牌（X-CSRF-Token），请刷新页面后重试",
          "Missing or wrong CSRF token (X-CSRF-Token); reload the page and try again"},
    Entry{"auth.forbidden", "无权访问：{}", "Not allowed: {}"},
    Entry{"admin.invalid", "单位或用户信息有误：{}", "Invalid unit or user: {}"},
    Entry{"admin.exists", "已存在：{}", "Already exists: {}"},
    // reports, public figures, sampling and the national export (issue 7)
    Entry{"period.invalid", "统计期间有误，应为 YYYY-MM：{}", "Invalid period, expected YYYY-MM: {}"},
    Entry{"report.format_unknown", "未知的报表格式（应为 html、csv 或 json）：{}", "Unknown report format (html, csv or json): {}"},
    Entry{"report.config_invalid", "报表配置有误：{}", "Invalid report configuration: {}"},
    Entry{"sampling.size_invalid", "抽样数量应为 1 到 1000000 之间的整数：{}", "Sample size must be a whole number from 1 to 1000000: {}"},
    Entry{"sampling.seed_invalid", "随机种子应为 0 到 18446744073709551615 之间的整数：{}",
          "Seed must be a whole number from 0 to 18446744073709551615: {}"},
    Entry{"export.mapping_invalid", "上报映射配置有误：{}", "Invalid export mapping: {}"},
    Entry{"export.tag_unmapped", "评价标签在上报映射中没有对应代码：{}", "Reason tag has no code in the export mapping: {}"},
    Entry{"export.field_missing", "上报必填字段缺失：{}", "Field required for export is missing: {}"},
    Entry{"export.field_invalid", "上报字段取值无效：{}", "Invalid value for export: {}"},
    // the centre's reports, samples and export (issue 7: hcp report, hcp sample, hcp export)
    Entry{"report.record_invalid", "评价记录无法读取：{}", "A stored rating cannot be read: {}"},
    Entry{"report.not_found", "没有该报表：{}", "No such report: {}"},
    Entry{"sampling.conflict", "该月份和随机种子已抽过样，样本量不同：{}",
          "A sample with this month and seed was drawn already, with another size: {}"},
    Entry{"export.record_failed", "记录无法按上报映射导出：{}", "A record cannot be exported with the mapping: {}"},
    Entry{"export.push_config_invalid", "上报推送配置有误：{}", "Invalid push configuration: {}"},
    Entry{"export.push_refused", "接收方拒绝了批次：{}", "The receiver refused a batch: {}"},
    Entry{"export.push_failed", "多次重试后仍未送达：{}", "Not delivered after every retry: {}"},
};

void Replace(std::string& text, std::string_view arg) {
  // Concatenation, not std::string::replace: GCC 12 warns falsely (-Wrestrict) on the latter.
  if (auto at = text.find("{}"); at != std::string::npos)
    text = text.substr(0, at) + std::string(arg) + text.substr(at + 2);
}

}  // namespace

Error MakeError(std::string_view id, std::string field, std::string_view arg) {
  for (const auto& e : kTable) {
    if (e.id == id) {
      Error err{std::string(id), std::move(field), std::string(e.zh), std::string(e.en)};
      Replace(err.message, arg);
      Replace(err.message_en, arg);
      return err;
    }
  }
  return Error{std::string(id), std::move(field), std::string(id), std::string(id)};
}

std::vector<std::string_view> AllErrorIds() {
  std::vector<std::string_view> ids;
  for (const auto& e : kTable) ids.push_back(e.id);
  return ids;
}

}  // namespace hcp
