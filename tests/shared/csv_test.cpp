#include "hcp/csv.h"

#include <gtest/gtest.h>

#include "hcp/figure_format.h"

namespace hcp {
namespace {

TEST(Csv, QuotesPerRfc4180) {
  EXPECT_EQ(CsvText("市民中心"), "市民中心");
  EXPECT_EQ(CsvText("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvText("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvText("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvText("cr\rhere"), "\"cr\rhere\"");
  EXPECT_EQ(CsvText(""), "");
}

TEST(Csv, GuardsAgainstFormulaInjection) {
  EXPECT_EQ(CsvText("=1+2"), "'=1+2");
  EXPECT_EQ(CsvText("+86 138"), "'+86 138");
  EXPECT_EQ(CsvText("-2"), "'-2");
  EXPECT_EQ(CsvText("@SUM(A1:A9)"), "'@SUM(A1:A9)");
  EXPECT_EQ(CsvText("\t=cmd"), "'\t=cmd");
  EXPECT_EQ(CsvText("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(CsvText("a=b"), "a=b");  // only the first character matters
}

TEST(Csv, OurNumbersStayNumbersAndAnythingElseIsText) {
  EXPECT_EQ(CsvNumber("-2.5"), "-2.5");
  EXPECT_EQ(CsvNumber("19"), "19");
  EXPECT_EQ(CsvNumber("0.0"), "0.0");
  EXPECT_EQ(CsvNumber("=1"), "'=1");
  EXPECT_EQ(CsvNumber("-"), "'-");
  EXPECT_EQ(CsvNumber("1-2"), "1-2");
}

TEST(Csv, RowsEndWithCrLfAndFilesStartWithBom) {
  EXPECT_EQ(CsvTextRow({"a", "b,c", "=x"}), "a,\"b,c\",'=x\r\n");
  EXPECT_EQ(CsvRow({}), "\r\n");
  EXPECT_EQ(kUtf8Bom, "\xEF\xBB\xBF");
}

TEST(FigureFormat, RatesRoundHalfUpInWholeNumbers) {
  EXPECT_EQ(Permille({14, 19}), 737);   // 736.84
  EXPECT_EQ(Permille({5, 8}), 625);
  EXPECT_EQ(Permille({4, 7}), 571);     // 571.43
  EXPECT_EQ(Permille({1, 16}), 63);     // 62.5 rounds up
  EXPECT_EQ(Permille({0, 5}), 0);
  EXPECT_EQ(Permille({0, 0}), std::nullopt);
  EXPECT_EQ(Permille({2000000, 3000000}), 667);  // past 32-bit long in WASM
  EXPECT_EQ(Permille({1999999, 2000000}), 1000);
}

TEST(FigureFormat, SmallSamplesShowInsufficientSample) {
  EXPECT_EQ(FormatRate({14, 19}, 10), "73.7%");
  EXPECT_EQ(FormatRate({9, 9}, 10), "样本不足");
  EXPECT_EQ(FormatRate({9, 9}, 10, Lang::En), "insufficient sample");
  EXPECT_EQ(FormatRate({10, 10}, 10), "100.0%");
  EXPECT_EQ(FormatRate({0, 0}, 0), "—");
  EXPECT_EQ(FormatRate({1, 3}, 0), "33.3%");
}

TEST(FigureFormat, ChangesAndMedians) {
  EXPECT_EQ(FormatPermilleChange(-130), "-13.0");
  EXPECT_EQ(FormatPermilleChange(5), "+0.5");
  EXPECT_EQ(FormatPermilleChange(-5), "-0.5");
  EXPECT_EQ(FormatPermilleChange(0), "0.0");
  EXPECT_EQ(FormatPermille(1000), "100.0");
  EXPECT_EQ(FormatHalves(22), "11");
  EXPECT_EQ(FormatHalves(7), "3.5");
}

}  // namespace
}  // namespace hcp
