#include "hcp/report_render.h"

#include <gtest/gtest.h>

#include "golden.h"
#include "report_fixture.h"

namespace hcp {
namespace {

using testing::D;

PeriodReport March() {
  static const auto records = testing::ReportFixture();
  ReportOptions o;
  o.min_sample = 5;
  return BuildMonthlyReport(records, 2026, 3, D("2026-04-03"), o);
}

TEST(ReportRender, CsvMatchesTheHandComputedGoldenFile) {
  ASSERT_TRUE(testing::Golden("monthly_2026-03.csv"));
  EXPECT_EQ(RenderReportCsv(March()), *testing::Golden("monthly_2026-03.csv"));
}

TEST(ReportRender, CsvIsExcelFriendly) {
  const std::string csv = RenderReport(March(), ReportFormat::Csv);
  ASSERT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_EQ(csv.find('\n'), csv.find("\r\n") + 1);  // CRLF line ends
  // A unit name that looks like a formula stays text.
  auto records = testing::ReportFixture();
  for (auto& r : records)
    if (r.unit == "U3") r.unit_name = "=cmd|' /C calc'!A0";
  const std::string hostile = RenderReportCsv(BuildMonthlyReport(records, 2026, 3, D("2026-04-03")));
  EXPECT_NE(hostile.find(",'=cmd|' /C calc'!A0,"), std::string::npos);
  EXPECT_EQ(hostile.find(",=cmd"), std::string::npos);
}

TEST(ReportRender, JsonCarriesFractionsAndSuppressedDisplays) {
  const Json j = ReportToJson(March());
  EXPECT_EQ(j["kind"], "monthly");
  EXPECT_EQ(j["title"], "2026年3月");
  EXPECT_EQ(j["total"]["ratings"], 19);
  EXPECT_EQ(j["total"]["good_rate"]["numerator"], 14);
  EXPECT_EQ(j["total"]["good_rate"]["denominator"], 19);
  EXPECT_EQ(j["total"]["good_rate"]["permille"], 737);
  EXPECT_EQ(j["total"]["good_rate"]["display"], "73.7%");
  EXPECT_EQ(j["total"]["rectification_rate"]["display"], "样本不足");
  EXPECT_TRUE(j["total"]["rectification_rate"]["numerator"].is_null());
  EXPECT_EQ(j["total"]["change"]["good_rate_points"], "-13.0");
  EXPECT_EQ(j["total"]["excluded_ratings"], 1);
  ASSERT_EQ(j["units"].size(), 3u);
  EXPECT_EQ(j["units"][1]["key"], "U3");
  EXPECT_EQ(j["units"][1]["repeat_bad"]["consecutive_months"], 3);
  EXPECT_EQ(j["units"][1]["repeat_bad"]["flagged"], true);
  EXPECT_EQ(j["units"][0]["repeat_bad"]["flagged"], false);
  EXPECT_TRUE(j["windows"][1]["rank"].is_null());
  EXPECT_EQ(j["repeat_rule"]["min_in_month"], 3);
  // The text form parses back.
  auto again = ParseJson(RenderReport(March(), ReportFormat::Json));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, j);
}

TEST(ReportRender, HtmlIsSelfContainedAndPrintable) {
  auto records = testing::ReportFixture();
  for (auto& r : records)
    if (r.unit == "U3") r.unit_name = "<script>alert(1)</script>";
  ReportOptions o;
  o.min_sample = 5;
  const std::string html = RenderReportHtml(BuildMonthlyReport(records, 2026, 3, D("2026-04-03"), o));
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
  EXPECT_NE(html.find("2026年3月政务服务“好差评”情况通报"), std::string::npos);
  EXPECT_NE(html.find("本期共收到评价 19 条（其中系统默认评价 2 条），好评率 73.7%"), std::string::npos);
  EXPECT_NE(html.find("市市场监管局：本月差评3条"), std::string::npos);
  // U2 at 83.3 %: a bar of 833·360/1000 = 299 px.
  EXPECT_NE(html.find("width=\"299\""), std::string::npos);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"));  // no external resource
}

TEST(ReportRender, AnnualReportRendersMonthsFlagged) {
  const auto records = testing::ReportFixture();
  ReportOptions o;
  o.min_sample = 5;
  const PeriodReport rep = BuildAnnualReport(records, 2026, D("2026-04-03"), o);
  EXPECT_EQ(ReportTitlePeriod(rep), "2026年");
  const std::string csv = RenderReportCsv(rep);
  // U3: 11 ratings, 8 good (72.7 %), 3 bad; no 2025 data, so the change equals the count.
  EXPECT_NE(csv.find("单位,U3,市人社局,11,0,8,3,72.7%,72.7%,3,1,1,0,2,0,样本不足,样本不足,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",1个月\r\n"), std::string::npos);
}

TEST(ReportRender, FormatsParse) {
  EXPECT_EQ(ParseReportFormat("html").value(), ReportFormat::Html);
  EXPECT_EQ(ParseReportFormat("csv").value(), ReportFormat::Csv);
  EXPECT_EQ(ParseReportFormat("json").value(), ReportFormat::Json);
  EXPECT_EQ(ParseReportFormat("xlsx").errors()[0].id, "report.format_unknown");
}

}  // namespace
}  // namespace hcp
