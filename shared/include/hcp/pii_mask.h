#pragma once
// Masking personal data before anything is published (MoT 第十条: evaluator information is
// strictly protected; SR 第十一条: leaking it is punished). Published bad ratings show comments
// only through MaskPersonalData and evaluators only through MaskName. Masking errs on the side of
// hiding: a case number that looks like an ID number is masked too.
#include <string>
#include <string_view>

#include "hcp/channel.h"

namespace hcp {

// Replaces, in free text (full-width digits count as digits):
//   mobile numbers 1[3-9]x xxxx xxxx (also 3-4-4 with spaces or hyphens, and +86/86 in front)
//       → first 3 and last 4 digits kept: 138****5678
//   landlines with an area code 0xx(x)-xxxxxxx(x), (0xxx)xxxxxxxx, or 0 + 9..11 digits unbroken
//       → area code and last 4 kept: 0571-****4321
//   ID numbers, 18 characters (17 digits and a digit or X) or 15 digits (pre-1999)
//       → first 2 and last 2 kept: 33**************1X
//   other runs of 16..19 digits (bank cards) → first 4 and last 4 kept
//   e-mail addresses → first character of the local part, then ***@domain
//   vehicle plates 浙A12345, 浙AD12345 (new energy), 浙A·12345 → province and city letter kept: 浙A*****
// Invalid UTF-8 is replaced by U+FFFD, so the output is always valid UTF-8.
std::string MaskPersonalData(std::string_view text);

// The evaluator as the public may see them. Persons: the surname, one * per further character
// (张三 → 张*, 张三丰 → 张**); two-character compound surnames are kept (欧阳娜娜 → 欧阳**);
// Latin-script names keep the first letter (J***). Organisations: the first two characters
// (usually the region), *** and a legal-form suffix such as 有限公司 when there is one
// (杭州***有限公司). An empty name is 匿名. Masking a masked name changes nothing.
std::string MaskName(std::string_view name, EvaluatorKind kind);

}  // namespace hcp
