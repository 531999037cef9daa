#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hcp/ticket_claims.h"

namespace hcp {
namespace {

using Json = nlohmann::json;

Json ValidClaims() {
  return Json::parse(R"({
    "v": 1, "kid": "0123456789abcdef", "case": "SR2026112000123", "item": "000105001000",
    "item_name": "道路运输经营许可", "unit": "11360000MB1234567X", "unit_name": "上饶市交通运输局",
    "area": "361100", "window": "A07", "staff": "S0042", "channel": "qr",
    "finished_at": "2026-11-20T10:00:00+08:00", "exp": "2026-12-20T10:00:00+08:00", "assess": 1,
    "evaluator": {"sub": "u-7f3a9c", "kind": "person", "name": "张*"}})",
                     nullptr, false);
}

// The one error a claims set must produce, on the given field.
void ExpectInvalid(const Json& claims, const std::string& field) {
  auto r = ParseTicketClaims(claims);
  ASSERT_FALSE(r.ok()) << field;
  bool found = false;
  for (const auto& e : r.errors()) {
    EXPECT_EQ(e.id, "ticket.claims_invalid");
    if (e.field == field) found = true;
  }
  EXPECT_TRUE(found) << "no error on " << field << ", first was on " << r.errors()[0].field;
}

TEST(Rfc3339, ParsesOffsetsToTheSameInstant) {
  EXPECT_EQ(*ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*ParseRfc3339("2026-11-20T10:00:00+08:00"), 1795140000);
  EXPECT_EQ(*ParseRfc3339("2026-11-20T02:00:00Z"), 1795140000);
  EXPECT_EQ(*ParseRfc3339("2026-11-19T21:00:00-05:00"), 1795140000);
  EXPECT_EQ(*ParseRfc3339("2026-11-20T02:00:00.999Z"), 1795140000);  // fraction truncated
  EXPECT_EQ(*ParseRfc3339("2024-02-29T23:59:59+00:00"), 1709251199);
}

TEST(Rfc3339, RequiresAnOffsetAndRejectsAnythingLoose) {
  for (const char* bad : {"2026-11-20T10:00:00", "2026-11-20 10:00:00+08:00", "2026-11-20t10:00:00Z",
                          "2026-11-20T10:00:00z", "2026-11-20T24:00:00Z", "2026-11-20T10:60:00Z",
                          "2026-11-20T10:00:60Z", "2026-02-30T10:00:00Z", "2026-11-20T10:00:00+0800",
                          "2026-11-20T10:00:00+24:00", "2026-11-20T10:00:00.Z", "2026-11-20T10:00Z",
                          "2026-11-20T10:00:00+08:00 ", "2026-11-20", "", "2026-11-20T1a:00:00Z"}) {
    auto r = ParseRfc3339(bad, "finished_at");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.errors()[0].id, "date.invalid");
    EXPECT_EQ(r.errors()[0].field, "finished_at");
  }
}

TEST(Rfc3339, FormatsBackAtAnyOffset) {
  EXPECT_EQ(FormatRfc3339(1795140000), "2026-11-20T02:00:00Z");
  EXPECT_EQ(FormatRfc3339(1795140000, 480), "2026-11-20T10:00:00+08:00");
  EXPECT_EQ(FormatRfc3339(1795140000, -300), "2026-11-19T21:00:00-05:00");
  EXPECT_EQ(*ParseRfc3339(FormatRfc3339(1709251199, 480)), 1709251199);
}

TEST(TicketClaims, ParsesEveryClaim) {
  auto r = ParseTicketClaims(ValidClaims());
  ASSERT_TRUE(r.ok()) << r.errors()[0].field << ": " << r.errors()[0].message_en;
  const TicketClaims& c = *r;
  EXPECT_EQ(c.v, 1);
  EXPECT_EQ(c.kid, "0123456789abcdef");
  EXPECT_EQ(c.case_id, "SR2026112000123");
  EXPECT_EQ(c.item_name, "道路运输经营许可");
  EXPECT_EQ(c.unit, "11360000MB1234567X");
  EXPECT_EQ(c.area, "361100");
  EXPECT_EQ(c.window, "A07");
  EXPECT_EQ(c.staff, "S0042");
  EXPECT_EQ(c.channel, Channel::Qr);
  EXPECT_EQ(c.finished_at, "2026-11-20T10:00:00+08:00");
  EXPECT_EQ(c.finished_at_unix, 1795140000);
  EXPECT_EQ(c.exp_unix, 1795140000 + 30 * 86400);
  EXPECT_EQ(c.assess, 1);
  EXPECT_EQ(c.evaluator.sub, "u-7f3a9c");
  EXPECT_EQ(c.evaluator.kind, EvaluatorKind::Person);
  EXPECT_EQ(c.evaluator.name, "张*");
  EXPECT_TRUE(c.evaluator.contact.empty());
}

TEST(TicketClaims, RoundTripsThroughJson) {
  Json in = ValidClaims();
  in["evaluator"]["contact"] = std::string(80, 'A');
  auto r = ParseTicketClaims(in);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(TicketClaimsToJson(*r), in);
}

// The edge stores claims as TicketClaimsToText: the bytes must stay Dump's of the tree, with and
// without the optional claims, and with names that need escaping.
TEST(TicketClaims, TextIsTheDumpOfTheJson) {
  std::vector<Json> cases;
  Json full = ValidClaims();
  full["evaluator"]["contact"] = std::string(80, 'A');
  cases.push_back(full);
  Json bare = ValidClaims();
  bare.erase("window");
  bare.erase("staff");
  bare["assess"] = 2;
  bare["channel"] = "terminal";
  bare["evaluator"] = Json{{"sub", "org-42"}, {"kind", "org"}, {"name", "上饶某某运输有限公司"}};
  cases.push_back(bare);
  Json odd = ValidClaims();
  odd["item_name"] = "引号\"和\\反斜杠😀";
  odd["unit_name"] = "a/b <c>";
  odd["window"] = "窗口\"7\"";
  odd["finished_at"] = "2026-11-20T02:00:00.250Z";
  cases.push_back(odd);
  Json only_staff = ValidClaims();
  only_staff.erase("window");
  cases.push_back(only_staff);
  Json only_window = ValidClaims();
  only_window.erase("staff");
  cases.push_back(only_window);
  for (const Json& in : cases) {
    auto r = ParseTicketClaims(in);
    ASSERT_TRUE(r.ok()) << in.dump();
    EXPECT_EQ(TicketClaimsToText(*r), TicketClaimsToJson(*r).dump()) << in.dump();
  }
}

TEST(TicketClaims, OptionalClaimsMayBeAbsentAndVersionDefaultsToOne) {
  Json in = ValidClaims();
  in.erase("window");
  in.erase("staff");
  in.erase("v");
  in["evaluator"] = Json{{"sub", "org-42"}, {"kind", "org"}, {"name", "上饶某某运输有限公司"}};
  auto r = ParseTicketClaims(in);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->v, 1);
  EXPECT_EQ(r->evaluator.kind, EvaluatorKind::Org);
  const Json out = TicketClaimsToJson(*r);
  EXPECT_FALSE(out.contains("window"));
  EXPECT_FALSE(out.contains("staff"));
  EXPECT_FALSE(out["evaluator"].contains("contact"));
}

TEST(TicketClaims, EveryRequiredClaimIsRequired) {
  for (const char* key : {"kid", "case", "item", "item_name", "unit", "unit_name", "area", "channel", "finished_at",
                          "exp", "assess", "evaluator"}) {
    Json in = ValidClaims();
    in.erase(key);
    ExpectInvalid(in, key);
  }
  for (const char* key : {"sub", "kind", "name"}) {
    Json in = ValidClaims();
    in["evaluator"].erase(key);
    ExpectInvalid(in, std::string("evaluator.") + key);
  }
}

TEST(TicketClaims, ReportsEveryProblemAtOnce) {
  Json in = ValidClaims();
  in["channel"] = "wechat";
  in["assess"] = 3;
  in["evaluator"]["kind"] = "robot";
  auto r = ParseTicketClaims(in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors().size(), 3u);
}

TEST(TicketClaims, RejectsWrongValues) {
  struct Case {
    const char* pointer;
    Json value;
    const char* field;
  };
  const Case cases[] = {
      {"/v", 2, "v"},
      {"/kid", "0123456789ABCDEF", "kid"},
      {"/kid", "0123", "kid"},
      {"/case", "", "case"},
      {"/case", 12345, "case"},
      {"/item_name", std::string(129, 'x'), "item_name"},
      {"/unit_name", "上饶\n交通", "unit_name"},
      {"/window", "", "window"},
      {"/channel", "default", "channel"},
      {"/channel", "wechat", "channel"},
      {"/finished_at", "2026-11-20T10:00:00", "finished_at"},
      {"/exp", "2026-11-20T10:00:00+08:00", "exp"},  // not after finished_at
      {"/exp", 1795140000, "exp"},
      {"/assess", 0, "assess"},
      {"/assess", 3, "assess"},
      {"/assess", "1", "assess"},
      {"/assess", 1.5, "assess"},
      {"/evaluator", "张*", "evaluator"},
      {"/evaluator/kind", "individual", "evaluator.kind"},
      {"/evaluator/name", "张三", "evaluator.name"},  // a person's name travels masked
      {"/evaluator/name", std::string(33, 'x') + "*", "evaluator.name"},
      {"/evaluator/sub", "36110219900101123X", "evaluator.sub"},  // an ID-card number
      {"/evaluator/sub", "110105199001011", "evaluator.sub"},    // the old 15-digit one
      {"/evaluator/sub", "13800138000", "evaluator.sub"},        // a mobile number
      {"/evaluator/contact", "13800138000", "evaluator.contact"},
      {"/evaluator/contact", std::string(70, 'A') + "@x.cn", "evaluator.contact"},
      {"/evaluator/contact", std::string(257, 'A'), "evaluator.contact"},
      {"/extra", "x", "extra"},
  };
  for (const auto& c : cases) {
    Json in = ValidClaims();
    in[Json::json_pointer(c.pointer)] = c.value;
    ExpectInvalid(in, c.field);
  }
  ExpectInvalid(Json::array(), "");
}

TEST(TicketClaims, RefusesPersonalDataInClearInTheEvaluator) {
  for (const char* key : {"phone", "mobile", "id_card", "idcard"}) {
    Json in = ValidClaims();
    in["evaluator"][key] = "13800138000";
    auto r = ParseTicketClaims(in);
    ASSERT_FALSE(r.ok()) << key;
    EXPECT_EQ(r.errors()[0].id, "ticket.claims_invalid");
    EXPECT_EQ(r.errors()[0].field, std::string("evaluator.") + key);
    EXPECT_NE(r.errors()[0].message_en.find("clear"), std::string::npos);
  }
}

TEST(TicketClaims, NamesCountCharactersNotBytes) {
  Json in = ValidClaims();
  in["item_name"] = std::string();
  for (int i = 0; i < kMaxClaimChars; ++i) in["item_name"] = in["item_name"].get<std::string>() + "许";
  EXPECT_TRUE(ParseTicketClaims(in).ok());
  in["evaluator"]["name"] = "欧阳**";
  EXPECT_TRUE(ParseTicketClaims(in).ok());
}

}  // namespace
}  // namespace hcp
