#include "widget_text.h"

namespace hcp::widget {

std::string_view T(Text id, Lang lang) {
  const bool zh = lang == Lang::Zh;
  switch (id) {
    case Text::Title: return zh ? "服务评价" : "Rate this service";
    case Text::ItemLabel: return zh ? "办理事项" : "Service";
    case Text::UnitLabel: return zh ? "办理单位" : "Office";
    case Text::ChooseLevel: return zh ? "您对本次服务满意吗？" : "How satisfied are you with this service?";
    case Text::Reasons: return zh ? "评价理由" : "Reasons";
    case Text::ReasonsRequired: return zh ? "（差评必选）" : " (required for a bad rating)";
    case Text::ReasonsOptional: return zh ? "（选填）" : " (optional)";
    case Text::Comment: return zh ? "评价内容（选填）" : "Comment (optional)";
    case Text::CommentHint: return zh ? "请输入您的意见或建议" : "Your comments or suggestions";
    case Text::Public: return zh ? "公开我的评价" : "Make my rating public";
    case Text::PublicHint: return zh ? "公开时不显示您的姓名和联系方式" : "Your name and contact are never shown";
    case Text::Submit: return zh ? "提交评价" : "Submit rating";
    case Text::Sending: return zh ? "正在提交…" : "Sending…";
    case Text::ChooseFirst: return zh ? "请先选择满意度" : "Please choose a satisfaction level first";
    case Text::Queued:
      return zh ? "网络暂时不可用，您的评价已保存在本机，恢复后将自动提交"
                : "The network is unavailable; your rating is saved here and will be sent automatically";
    case Text::Done: return zh ? "评价已提交" : "Rating submitted";
    case Text::AlreadyRated: return zh ? "您已评价过本次服务" : "You have already rated this service";
    case Text::Failed: return zh ? "评价未能提交" : "The rating could not be submitted";
    case Text::SwitchLang: return zh ? "English" : "中文";
    case Text::CharsLeft: return zh ? "字" : "characters";
  }
  return "";
}

}  // namespace hcp::widget
