#pragma once
// One rating as the reports, the sampling and the national export see it: a plain snapshot that
// the centre's stores fill in (joining the rating, its case and the unit/hall/window/item names).
// Only what these computations need; nothing here is read from a clock or a database.
#include <optional>
#include <string>
#include <vector>

#include "hcp/channel.h"
#include "hcp/date.h"
#include "hcp/level.h"
#include "hcp/statistics.h"

namespace hcp {

// Where the bad-rating case stands (MoT 第十五条). `None` for good ratings.
enum class BadOutcome {
  None,
  Pending,  // not yet verified by the return visit (回访核实)
  Valid,    // 有效差评: verified true, or a failed review of an invalid claim
  Invalid,  // 无效差评 claimed by the unit (closed once the office's review confirms it)
};

struct RatingRecord {
  std::string id;          // the rating's id in the centre
  std::string project_no;  // 办件编号 (projectNo)
  std::string unit;        // 承办单位 key
  std::string unit_name;
  std::string dept_code;   // the unit's 18-char 统一社会信用代码 (deptCode)
  std::string hall;        // 政务服务大厅 key; empty for purely online services
  std::string hall_name;
  std::string window;      // 窗口 key; empty when not rated at a window
  std::string window_name;
  std::string item;        // 事项编码 (taskCode)
  std::string item_name;
  std::string area;        // 行政区划代码 (areaCode)
  Channel channel = Channel::Pc;
  Level level = Level::Basic;
  bool is_default = false;  // 系统默认评价: no rating within the period after 办结
  int assess = 1;           // 1 = first rating, 2 = the follow-up rating (追评)
  Date assessed_on;
  int assessed_second = 0;  // seconds after local midnight, 0..86399
  bool is_public = false;   // the evaluator agreed to publication (SR 第八条)
  std::vector<std::string> reasons;  // 3-digit catalogue codes
  std::string comment;
  // The evaluator. `evaluator_id` is an opaque, stable key (sampling needs one per person); empty
  // for an anonymous rating. The name is published only through MaskName, never as stored.
  std::string evaluator_id;
  std::string evaluator_name;
  EvaluatorKind evaluator_kind = EvaluatorKind::Person;
  // The bad-rating case, when there is one.
  BadOutcome outcome = BadOutcome::None;
  bool appeal_upheld = false;          // mistaken or malicious: in no figure, counted apart
  std::optional<Date> deadline;        // the deadline in force (extensions included), inclusive
  std::optional<Date> rectified_on;    // rectification fed back to the citizen
  std::optional<Date> closed_on;       // the case was closed (rectified and confirmed, or invalid)
};

// What the record contributes to the shared tallies of statistics.h, so the reports count
// exactly as the back office does.
RatingFacts RatingFactsOf(const RatingRecord& r);
// `as_of` decides what is overdue: a case that is neither rectified nor closed, with a deadline
// before `as_of`. Good ratings give an all-false CaseFacts.
CaseFacts CaseFactsOf(const RatingRecord& r, Date as_of);
// Fills outcome, deadline, rectified_on, closed_on and appeal_upheld from the case machine's
// state, for stores that keep events rather than snapshots.
void ApplyCaseState(RatingRecord& r, const CaseState& state);

}  // namespace hcp
