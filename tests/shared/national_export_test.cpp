#include "hcp/national_export.h"

#include <gtest/gtest.h>

#include "golden.h"
#include "report_fixture.h"

namespace hcp {
namespace {

// r1, r4, r6, r7, r14, r15, r20 of the fixture; the golden files were written by hand from the
// fixture's table (see tests/shared/golden/), not from this code's output.
std::vector<RatingRecord> ExportFixture() {
  std::vector<RatingRecord> out;
  for (auto r : testing::ReportFixture()) {
    if (r.id == "r1") r.reasons = {"101", "106"};
    for (const char* id : {"r1", "r4", "r6", "r7", "r14", "r15", "r20"})
      if (r.id == id) out.push_back(r);
  }
  return out;
}

ExportMapping Mapping() {
  auto m = ExportMapping::Embedded();
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.errors()[0].message_en);
  return m.ok() ? *m : ExportMapping();
}

std::string Jsonl(const ExportBatch& b) {
  std::string out;
  for (const auto& row : b.rows) out += NationalJsonLine(row);
  return out;
}

TEST(NationalExport, DeployedDirectionMatchesGoldenJsonl) {
  const auto records = ExportFixture();
  const ExportBatch b = ExportRatings(records, Mapping());
  ASSERT_TRUE(b.errors.empty()) << b.errors[0].id << " " << b.errors[0].field;
  ASSERT_TRUE(testing::Golden("national_deployed.jsonl"));
  EXPECT_EQ(Jsonl(b), *testing::Golden("national_deployed.jsonl"));
}

TEST(NationalExport, Gbt39046DirectionMatchesGoldenJsonl) {
  const auto records = ExportFixture();
  ExportMapping m = Mapping();
  m.SetDirection(CodeDirection::Gbt39046);
  const ExportBatch b = ExportRatings(records, m);
  ASSERT_TRUE(b.errors.empty());
  ASSERT_TRUE(testing::Golden("national_gbt39046.jsonl"));
  EXPECT_EQ(Jsonl(b), *testing::Golden("national_gbt39046.jsonl"));
  // The one fact that differs: 非常满意 is 1 in GB/T 39046.
  EXPECT_EQ(b.rows[0]["satisfaction"], 1);
}

TEST(NationalExport, CsvMatchesGoldenAndGuardsFormulas) {
  const auto records = ExportFixture();
  const ExportBatch b = ExportRatings(records, Mapping());
  std::string csv = NationalCsvHeader();
  for (const auto& row : b.rows) csv += NationalCsvLine(row);
  ASSERT_TRUE(testing::Golden("national_deployed.csv"));
  EXPECT_EQ(csv, *testing::Golden("national_deployed.csv"));
  EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"http://x\"\")\""), std::string::npos);
}

TEST(NationalExport, MappingFileDecidesDirectionChannelsAndTags) {
  auto m = ExportMapping::Parse(R"({"version": "t", "satisfaction": "gbt39046", "channels": {"tablet": 9, "default": 8},
      "user_prop": {"person": 0, "org": 1}, "pro_status": 9, "comment": "masked", "tags": {"208": "018"}})");
  ASSERT_TRUE(m.ok()) << m.errors()[0].message_en;
  const auto records = ExportFixture();
  auto row = ExportRating(records[2], *m);  // r6
  ASSERT_TRUE(row.ok());
  EXPECT_EQ((*row)["satisfaction"], 4);
  EXPECT_EQ((*row)["pf"], 9);
  EXPECT_EQ((*row)["userProp"], 0);
  EXPECT_EQ((*row)["proStatus"], 9);
  EXPECT_EQ((*row)["evalDetail"], "018");
  EXPECT_EQ((*row)["writingEvaluation"], "办事员态度差，我的电话138****5678，请回电");
  auto def = ExportRating(records[1], *m);  // r4, a default rating
  EXPECT_EQ((*def)["pf"], 8);
  auto explicit_levels = ExportMapping::Parse(R"({"version": "t", "tags": {},
      "satisfaction": {"very_satisfied": 10, "satisfied": 20, "basic": 30, "dissatisfied": 40, "very_dissatisfied": 50}})");
  ASSERT_TRUE(explicit_levels.ok());
  EXPECT_EQ(explicit_levels->SatisfactionCode(Level::Dissatisfied).value(), 40);
}

TEST(NationalExport, WhatTheMappingCannotExpressIsAnErrorPerRecord) {
  auto m = ExportMapping::Parse(R"({"version": "t", "channels": "gbt39046", "tags": {"101": "101"}})");
  ASSERT_TRUE(m.ok());
  auto records = ExportFixture();
  records[2].dept_code = "";        // r6
  records[3].dept_code = "U1";      // r7: a unit key is not a credit code
  records[4].assessed_second = 86400;  // r14: not a time of day
  const ExportBatch b = ExportRatings(records, *m);
  // Each record with a fault is refused with every fault listed; the others still export.
  std::vector<std::string> seen;
  for (const auto& e : b.errors) seen.push_back(e.id + "@" + e.field);
  const std::vector<std::string> expected = {
      "export.tag_unmapped@[0].evalDetail",      // r1: 106
      "channel.code_unmapped@[1].pf",            // r4: gbt39046 has no code for a system default
      "export.field_missing@[2].deptCode",       // r6
      "export.tag_unmapped@[2].evalDetail",      // r6: 208
      "export.field_invalid@[3].deptCode",       // r7
      "export.tag_unmapped@[3].evalDetail",      // r7: 203
      "export.tag_unmapped@[3].evalDetail",      // r7: 210
      "export.field_invalid@[4].assessTime",     // r14
      "export.tag_unmapped@[6].evalDetail",      // r20: 206
  };
  EXPECT_EQ(seen, expected);
  ASSERT_EQ(b.rows.size(), 1u);  // r15 carries no tags and nothing else is wrong with it
  EXPECT_EQ(b.rows[0]["projectNo"], "BJr15");
  EXPECT_EQ(b.rows[0]["satisfaction"], 2);  // the mapping's default direction: deployed
  EXPECT_EQ(b.rows[0]["verifyResult"], 4);  // appeal upheld
}

TEST(NationalExport, ShippedMappingCoversTheShippedCatalogue) {
  // A tag added to shared/data/catalogue/default.json must be added to the export mapping too, or
  // every rating carrying it would fail to report upward.
  auto catalogue = ReasonCatalogue::Embedded();
  ASSERT_TRUE(catalogue.ok());
  const ExportMapping m = Mapping();
  for (const auto& r : catalogue->reasons()) EXPECT_TRUE(m.TagCode(r.code).ok()) << r.code;
  for (Channel c : kAllChannels) {
    if (c != Channel::Phone) {  // Zhejiang has no code for 电话
      EXPECT_TRUE(m.ChannelCode(c).ok()) << ChannelKey(c);
    }
  }
}

TEST(NationalExport, BadMappingsAreRefused) {
  for (const char* bad : {
           "[]", "{}", R"({"version": "t"})", R"({"version": "t", "tags": {"1": "101"}})",
           R"({"version": "t", "tags": {}, "satisfaction": "upside_down"})",
           R"({"version": "t", "tags": {}, "satisfaction": {"very_satisfied": 1}})",
           R"({"version": "t", "tags": {}, "channels": {"pc": 1, "qr": 1}})",
           R"({"version": "t", "tags": {}, "comment": "raw"})"}) {
    auto m = ExportMapping::Parse(bad);
    ASSERT_FALSE(m.ok()) << bad;
    EXPECT_EQ(m.errors()[0].id, "export.mapping_invalid") << bad;
  }
}

}  // namespace
}  // namespace hcp
