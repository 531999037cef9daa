#pragma once
// The widget's own labels in zh-CN and en. Server messages (error ids, confirmations) come from the
// shared core's table (shared/src/error.cpp), so the browser and the edge say the same words.
// Every character here ends up in the CJK font subset (widget/font/make_font_subset.py scans this
// file), so a label added here is always drawable.
#include <string_view>

#include "hcp/error.h"

namespace hcp::widget {

enum class Text {
  Title,            // the panel's heading
  ItemLabel,        // 办理事项
  UnitLabel,        // 办理单位
  ChooseLevel,      // prompt above the five levels
  Reasons,          // heading of the reason tags
  ReasonsRequired,  // suffix when reasons are required
  ReasonsOptional,
  Comment,          // heading of the comment box
  CommentHint,      // placeholder in the comment box
  Public,           // 公开我的评价
  PublicHint,
  Submit,
  Sending,
  ChooseFirst,      // why submit is inactive before a level is chosen
  Queued,           // offline: kept in the browser, will be sent
  Done,             // confirmation heading
  AlreadyRated,
  Failed,
  SwitchLang,       // the label of the language switch (names the other language)
  CharsLeft,        // "{} 字" counter suffix
};

std::string_view T(Text id, Lang lang);

}  // namespace hcp::widget
