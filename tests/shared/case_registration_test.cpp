// Reading a finished case reported to the centre's registry: the ticket's claims rules, every
// problem at once under registry.invalid, the phone taken out, and a canonical form that makes
// "the same report again" independent of member order.
#include <gtest/gtest.h>

#include <set>

#include "hcp/case_registration.h"
#include "hcp/wire.h"

namespace hcp {
namespace {

constexpr int64_t kNow = 1795000000;  // 2026-11-18

Json Report() {
  return Json::parse(R"({"case": "SR-1", "item": "000105001000", "item_name": "道路运输经营许可",
    "unit": "11361100MB1234567X", "unit_name": "上饶市交通运输局", "area": "361100", "channel": "sms",
    "finished_at": "2026-11-17T10:00:00+08:00",
    "evaluator": {"sub": "u-1", "kind": "person", "name": "张*", "phone": "+86-13800138000"}})",
                     nullptr, false);
}

std::set<std::string> Fields(const Errors& errors) {
  std::set<std::string> out;
  for (const auto& e : errors) {
    EXPECT_EQ(e.id, "registry.invalid") << e.field;
    out.insert(e.field);
  }
  return out;
}

TEST(CaseRegistration, AValidReportBecomesClaimsWithoutThePhone) {
  auto reg = ParseCaseRegistration(Report(), kNow, 30);
  ASSERT_TRUE(reg) << reg.errors()[0].message_en;
  ASSERT_TRUE(reg->phone.has_value());
  EXPECT_EQ(*reg->phone, "+86-13800138000");
  EXPECT_FALSE(reg->claims["evaluator"].contains("phone"));
  EXPECT_FALSE(reg->claims.contains("kid"));  // the issuer's, added when signing
  EXPECT_EQ(reg->claims["assess"], 1);
  EXPECT_EQ(reg->parsed.exp_unix, kNow + 30 * 86400);
  EXPECT_EQ(reg->parsed.channel, Channel::Sms);
  EXPECT_EQ(reg->canonical.find("13800138000"), std::string::npos);
  EXPECT_EQ(reg->canonical.find("exp"), std::string::npos);  // defaults are not part of the report
}

TEST(CaseRegistration, MemberOrderDoesNotChangeTheCanonicalForm) {
  const auto a = ParseCaseRegistration(Report(), kNow, 30);
  const auto b = ParseCaseRegistration(
      Json::parse(R"({"evaluator": {"name": "张*", "sub": "u-1", "phone": "13900139000", "kind": "person"},
        "finished_at": "2026-11-17T10:00:00+08:00", "channel": "sms", "area": "361100",
        "unit_name": "上饶市交通运输局", "unit": "11361100MB1234567X", "item_name": "道路运输经营许可",
        "item": "000105001000", "case": "SR-1"})",
                  nullptr, false),
      kNow + 100, 7);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->canonical, b->canonical);  // the phones differ: compared apart, opened
  Json changed = Report();
  changed["window"] = "W-01";
  EXPECT_NE(ParseCaseRegistration(changed, kNow, 30)->canonical, a->canonical);
}

TEST(CaseRegistration, EveryProblemIsListed) {
  Json j = Report();
  j.erase("item");
  j["unit_name"] = 7;
  j["channel"] = "fax";
  j["colour"] = "blue";
  j["v"] = 1;
  j["assess"] = 3;
  j["evaluator"]["name"] = "张三";
  j["evaluator"]["phone"] = "call me";
  auto reg = ParseCaseRegistration(j, kNow, 30);
  ASSERT_FALSE(reg);
  EXPECT_EQ(Fields(reg.errors()), (std::set<std::string>{"item", "unit_name", "channel", "colour", "v", "assess",
                                                          "evaluator.name", "evaluator.phone"}));
  for (const auto& e : reg.errors()) {
    EXPECT_EQ(e.message_en.find("The rating ticket"), std::string::npos) << e.message_en;  // speaks of the case
    EXPECT_NE(e.message.find("办件信息有误"), std::string::npos);
  }
}

TEST(CaseRegistration, PhoneAndSealedContactAreExclusiveAndAPhoneIsAPhone) {
  Json both = Report();
  both["evaluator"]["contact"] = std::string(70, 'A');
  auto reg = ParseCaseRegistration(both, kNow, 30);
  ASSERT_FALSE(reg);
  EXPECT_EQ(Fields(reg.errors()), std::set<std::string>{"evaluator.contact"});
  for (const char* bad : {"1234", "138 0013 8000", "13800138000+", "phone:138"}) {
    Json j = Report();
    j["evaluator"]["phone"] = bad;
    auto r = ParseCaseRegistration(j, kNow, 30);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(Fields(r.errors()), std::set<std::string>{"evaluator.phone"}) << bad;
  }
  Json no_phone = Report();
  no_phone["evaluator"].erase("phone");
  auto r = ParseCaseRegistration(no_phone, kNow, 30);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->phone.has_value());
}

TEST(CaseRegistration, ARatingPeriodInThePastIsRefused) {
  Json j = Report();
  j["exp"] = "2026-11-17T12:00:00+08:00";  // after finished_at, before now
  auto reg = ParseCaseRegistration(j, kNow, 30);
  ASSERT_FALSE(reg);
  EXPECT_EQ(Fields(reg.errors()), std::set<std::string>{"exp"});
  EXPECT_FALSE(ParseCaseRegistration(Json::array(), kNow, 30));
  EXPECT_EQ(ParseCaseRegistration(Json::array(), kNow, 30).errors()[0].id, "request.not_object");
}

}  // namespace
}  // namespace hcp
