#include "hcp/pii_mask.h"

#include <gtest/gtest.h>

namespace hcp {
namespace {

struct Case {
  const char* in;
  const char* out;
};

void ExpectMasked(const std::vector<Case>& cases) {
  for (const auto& c : cases) EXPECT_EQ(MaskPersonalData(c.in), c.out) << c.in;
}

TEST(PiiMask, MobileNumbersKeepFirstThreeAndLastFour) {
  ExpectMasked({
      {"电话13812345678请回电", "电话138****5678请回电"},
      {"19912345678", "199****5678"},
      {"138 1234 5678", "138 **** 5678"},
      {"138-1234-5678", "138-****-5678"},
      {"+86 13812345678", "+86 138****5678"},
      {"+8613812345678", "+86138****5678"},
      {"１３８１２３４５６７８", "１３８****５６７８"},  // full-width digits from an IME
  });
}

TEST(PiiMask, LandlinesKeepAreaCodeAndLastFour) {
  ExpectMasked({
      {"0571-87654321", "0571-****4321"},
      {"010-12345678", "010-****5678"},
      {"(0571)87654321", "(0571)****4321"},
      {"（0571）87654321", "（0571）****4321"},
      {"057187654321", "0571****4321"},
      {"0571 8765432", "0571 ***5432"},
  });
}

TEST(PiiMask, IdNumbersKeepFirstTwoAndLastTwo) {
  ExpectMasked({
      {"身份证330106199001011234办不了", "身份证33**************34办不了"},
      {"33010619900101123X", "33**************3X"},
      {"33010619900101123x", "33**************3x"},
      {"老身份证330106900101123", "老身份证33***********23"},
  });
}

TEST(PiiMask, EmailsPlatesAndBankCards) {
  ExpectMasked({
      {"邮箱 zhangsan@163.com，谢谢", "邮箱 z***@163.com，谢谢"},
      {"QQ邮箱123456789@qq.com", "QQ邮箱1***@qq.com"},  // numeric local parts are common
      {"13812345678@163.com", "1***@163.com"},
      {"写信到a.b-c@mail.example.org.", "写信到a***@mail.example.org."},
      {"车牌浙A12345", "车牌浙A*****"},
      {"新能源车浙AD12345停车收费", "新能源车浙A******停车收费"},
      {"浙A·12345", "浙A·*****"},
      {"粤b12345", "粤b*****"},
      {"卡号6222021234567890123", "卡号6222***********0123"},
  });
}

TEST(PiiMask, OrdinaryTextAndNumbersAreLeftAlone) {
  ExpectMasked({
      {"2026年3月5日等了2个小时，收费120元", "2026年3月5日等了2个小时，收费120元"},
      {"办件号A13812345678", "办件号A13812345678"},  // part of a code with letters
      {"浙AB不是车牌", "浙AB不是车牌"},
      {"user@localhost", "user@localhost"},
      {"12345678", "12345678"},
      {"", ""},
  });
}

TEST(PiiMask, OutputIsAlwaysValidUtf8) {
  EXPECT_EQ(MaskPersonalData("a\xff" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(MaskPersonalData("\xE4\xB8"), "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(PiiMask, PersonNamesKeepTheSurname) {
  EXPECT_EQ(MaskName("张三", EvaluatorKind::Person), "张*");
  EXPECT_EQ(MaskName("张三丰", EvaluatorKind::Person), "张**");
  EXPECT_EQ(MaskName("欧阳修", EvaluatorKind::Person), "欧阳*");
  EXPECT_EQ(MaskName("欧阳娜娜", EvaluatorKind::Person), "欧阳**");
  EXPECT_EQ(MaskName("司马相如", EvaluatorKind::Person), "司马**");
  EXPECT_EQ(MaskName("欧阳", EvaluatorKind::Person), "欧*");  // two characters: surname 欧, given name 阳
  EXPECT_EQ(MaskName("王", EvaluatorKind::Person), "*");
  EXPECT_EQ(MaskName(" 李四　", EvaluatorKind::Person), "李*");
  EXPECT_EQ(MaskName("John Smith", EvaluatorKind::Person), "J***");
  EXPECT_EQ(MaskName("", EvaluatorKind::Person), "匿名");
  EXPECT_EQ(MaskName("   ", EvaluatorKind::Org), "匿名");
}

TEST(PiiMask, OrganisationNamesKeepRegionAndLegalForm) {
  EXPECT_EQ(MaskName("杭州某某科技有限公司", EvaluatorKind::Org), "杭州***有限公司");
  EXPECT_EQ(MaskName("浙江某某控股股份有限公司", EvaluatorKind::Org), "浙江***股份有限公司");
  EXPECT_EQ(MaskName("上饶市某某农业专业合作社", EvaluatorKind::Org), "上饶***合作社");
  EXPECT_EQ(MaskName("张三餐馆", EvaluatorKind::Org), "张三***");
  EXPECT_EQ(MaskName("某公司", EvaluatorKind::Org), "某公***");  // too short to keep the suffix apart
}

TEST(PiiMask, MaskingIsIdempotent) {
  for (const char* name : {"张*", "张**", "欧阳**", "*", "匿名"})
    EXPECT_EQ(MaskName(name, EvaluatorKind::Person), name);
  EXPECT_EQ(MaskName("杭州***有限公司", EvaluatorKind::Org), "杭州***有限公司");
  const std::string once = MaskPersonalData("13812345678 浙A12345 a@b.cn 330106199001011234");
  EXPECT_EQ(MaskPersonalData(once), once);
}

}  // namespace
}  // namespace hcp
