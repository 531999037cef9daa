#pragma once
// A fixed data set for the report, public-figure and export tests: March 2026 (the report month),
// February (the previous month) and January (for the repeat rule). Every expected figure in the
// tests was computed by hand from this table; docs/reports.md walks through some of them.
//
// March 2026, as of 2026-04-03:
//   U1 市市场监管局 at hall H1: W1 r1 5, r2 5, r3 4, r4 3 (default); W2 r5 4, r6 2 (valid, rectified on
//      time), r7 1 (valid, rectified late), r8 2 (pending, return-visit deadline 04-01 passed)
//   U2 市公安局 at H1/W3: r9 5, r10 5, r11 5, r12 4, r13 3 (default), r14 1 (invalid, closed),
//      r15 2 (appeal upheld: in no figure)
//   U3 市人社局 online: r16 5, r17 5, r18 4, r19 4, r20 2 (valid, deadline 03-31 passed, open)
// February: U1 at H1/W1 5,5,5,5,4,2 (valid, rectified); U2 at H1/W3 5,5,4,4; U3 5,5,5,4,1 (valid)
// January: U3 one 2 (valid, rectified)
#include <string>
#include <vector>

#include "hcp/rating_record.h"
#include "test_calendars.h"

namespace hcp::testing {

struct Where {
  const char* unit;
  const char* hall;
  const char* window;
  const char* item;
};

inline const Where kU1W1{"U1", "H1", "W1", "T1"};
inline const Where kU1W2{"U1", "H1", "W2", "T2"};
inline const Where kU2W3{"U2", "H1", "W3", "T3"};
inline const Where kU3{"U3", "", "", "T4"};

inline RatingRecord Rec(const std::string& id, const Where& w, const char* date, int level) {
  RatingRecord r;
  r.id = id;
  r.project_no = "BJ" + id;
  r.unit = w.unit;
  r.unit_name = r.unit == "U1" ? "市市场监管局" : r.unit == "U2" ? "市公安局" : "市人社局";
  r.dept_code = r.unit == "U1" ? "11330100002482345X" : r.unit == "U2" ? "113301000024823461" : "113301000024823478";
  r.hall = w.hall;
  r.hall_name = r.hall.empty() ? "" : "市民中心";
  r.window = w.window;
  r.window_name = r.window.empty() ? "" : std::string(w.window).substr(1) + "号窗口";
  r.item = w.item;
  r.item_name = r.item == "T1" ? "营业执照办理" : r.item == "T2" ? "食品经营许可" : r.item == "T3" ? "居民身份证换领" : "社保关系转移";
  r.area = "330100";
  r.channel = r.hall.empty() ? Channel::Pc : Channel::Tablet;
  r.level = static_cast<Level>(level);
  r.assessed_on = D(date);
  r.assessed_second = 9 * 3600 + 30 * 60;
  r.evaluator_id = "E-" + id;
  r.evaluator_name = "王小明";
  return r;
}

inline RatingRecord Default(RatingRecord r) {
  r.is_default = true;
  r.channel = Channel::SystemDefault;
  return r;
}

inline RatingRecord Valid(RatingRecord r, const char* deadline, const char* rectified = nullptr,
                          const char* closed = nullptr) {
  r.outcome = BadOutcome::Valid;
  r.deadline = D(deadline);
  if (rectified) r.rectified_on = D(rectified);
  if (closed) r.closed_on = D(closed);
  return r;
}

inline std::vector<RatingRecord> ReportFixture() {
  std::vector<RatingRecord> v;
  // March 2026
  v.push_back(Rec("r1", kU1W1, "2026-03-02", 5));
  v.push_back(Rec("r2", kU1W1, "2026-03-03", 5));
  v.push_back(Rec("r3", kU1W1, "2026-03-04", 4));
  v.push_back(Default(Rec("r4", kU1W1, "2026-03-09", 3)));
  v.push_back(Rec("r5", kU1W2, "2026-03-04", 4));
  {
    RatingRecord r = Valid(Rec("r6", kU1W2, "2026-03-05", 2), "2026-03-20", "2026-03-18", "2026-03-19");
    r.is_public = true;
    r.evaluator_name = "张三丰";
    r.reasons = {"208"};
    r.comment = "办事员态度差，我的电话13812345678，请回电";
    v.push_back(r);
  }
  {
    RatingRecord r = Valid(Rec("r7", kU1W2, "2026-03-10", 1), "2026-03-25", "2026-03-30", "2026-03-31");
    r.is_public = true;
    r.evaluator_kind = EvaluatorKind::Org;
    r.evaluator_name = "杭州某某科技有限公司";
    r.reasons = {"203", "210"};
    r.comment = "邮箱 zhangsan@163.com，车牌浙A12345";
    v.push_back(r);
  }
  {
    RatingRecord r = Rec("r8", kU1W2, "2026-03-27", 2);
    r.outcome = BadOutcome::Pending;
    r.deadline = D("2026-04-01");
    r.comment = "等了两个小时";
    v.push_back(r);
  }
  v.push_back(Rec("r9", kU2W3, "2026-03-02", 5));
  v.push_back(Rec("r10", kU2W3, "2026-03-03", 5));
  v.push_back(Rec("r11", kU2W3, "2026-03-11", 5));
  v.push_back(Rec("r12", kU2W3, "2026-03-11", 4));
  v.push_back(Default(Rec("r13", kU2W3, "2026-03-13", 3)));
  {
    RatingRecord r = Rec("r14", kU2W3, "2026-03-12", 1);
    r.outcome = BadOutcome::Invalid;
    r.deadline = D("2026-03-26");
    r.closed_on = D("2026-03-27");
    r.is_public = true;
    r.evaluator_name = "欧阳娜娜";
    r.comment = "身份证330106199001011234办不了";
    v.push_back(r);
  }
  {
    RatingRecord r = Valid(Rec("r15", kU2W3, "2026-03-16", 2), "2026-03-31");
    r.appeal_upheld = true;
    r.is_public = true;
    r.comment = "恶意差评";
    v.push_back(r);
  }
  v.push_back(Rec("r16", kU3, "2026-03-02", 5));
  v.push_back(Rec("r17", kU3, "2026-03-05", 5));
  v.push_back(Rec("r18", kU3, "2026-03-06", 4));
  v.push_back(Rec("r19", kU3, "2026-03-09", 4));
  {
    RatingRecord r = Valid(Rec("r20", kU3, "2026-03-16", 2), "2026-03-31");
    r.is_public = true;
    r.evaluator_name = "李四";
    r.reasons = {"206"};
    r.comment = "=HYPERLINK(\"http://x\")";
    v.push_back(r);
  }
  // February 2026
  for (int i = 0; i < 4; ++i) v.push_back(Rec("f1-" + std::to_string(i), kU1W1, "2026-02-03", 5));
  v.push_back(Rec("f1-4", kU1W1, "2026-02-04", 4));
  v.push_back(Valid(Rec("f1-5", kU1W1, "2026-02-05", 2), "2026-02-12", "2026-02-10", "2026-02-11"));
  v.push_back(Rec("f2-0", kU2W3, "2026-02-03", 5));
  v.push_back(Rec("f2-1", kU2W3, "2026-02-03", 5));
  v.push_back(Rec("f2-2", kU2W3, "2026-02-04", 4));
  v.push_back(Rec("f2-3", kU2W3, "2026-02-04", 4));
  v.push_back(Rec("f3-0", kU3, "2026-02-02", 5));
  v.push_back(Rec("f3-1", kU3, "2026-02-02", 5));
  v.push_back(Rec("f3-2", kU3, "2026-02-03", 5));
  v.push_back(Rec("f3-3", kU3, "2026-02-03", 4));
  v.push_back(Valid(Rec("f3-4", kU3, "2026-02-09", 1), "2026-02-27"));
  // January 2026
  v.push_back(Valid(Rec("j3-0", kU3, "2026-01-12", 2), "2026-01-26", "2026-01-20", "2026-01-21"));
  return v;
}

}  // namespace hcp::testing
