#include "hcp/rating.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace hcp {
namespace {

const ReasonCatalogue& Catalogue() {
  static const ReasonCatalogue cat = ReasonCatalogue::Embedded().value();
  return cat;
}

std::vector<std::string> Ids(const Errors& errors) {
  std::vector<std::string> ids;
  for (const auto& e : errors) ids.push_back(e.id);
  return ids;
}

RatingSubmission Rating(int satisfaction) {
  RatingSubmission r;
  r.satisfaction = satisfaction;
  return r;
}

TEST(ValidateRating, GoodRatingNeedsNothingMore) {
  EXPECT_TRUE(ValidateRating(Rating(5), Catalogue()).empty());
  EXPECT_TRUE(ValidateRating(Rating(3), Catalogue()).empty());
}

TEST(ValidateRating, BadRatingNeedsAReasonOrAComment) {
  for (int level : {1, 2}) {
    auto errors = ValidateRating(Rating(level), Catalogue());
    ASSERT_EQ(Ids(errors), std::vector<std::string>{"rating.reason_required"}) << level;
    EXPECT_EQ(errors[0].field, "reasons");
    EXPECT_EQ(errors[0].message, "差评请至少勾选一项理由或填写评价内容");
  }
  auto with_reason = Rating(1);
  with_reason.reasons = {"203"};
  EXPECT_TRUE(ValidateRating(with_reason, Catalogue()).empty());
  auto with_comment = Rating(2);
  with_comment.comment = "材料被退回三次";
  EXPECT_TRUE(ValidateRating(with_comment, Catalogue()).empty());
}

TEST(ValidateRating, BlankCommentIsNoReason) {
  auto r = Rating(1);
  r.comment = " \xE3\x80\x80\n";
  EXPECT_EQ(Ids(ValidateRating(r, Catalogue())), std::vector<std::string>{"rating.reason_required"});
}

TEST(ValidateRating, SatisfactionMustBePresentAndOneToFive) {
  RatingSubmission missing;
  EXPECT_EQ(Ids(ValidateRating(missing, Catalogue())), std::vector<std::string>{"rating.satisfaction_required"});
  for (int bad : {0, 6, -3}) {
    auto errors = ValidateRating(Rating(bad), Catalogue());
    ASSERT_EQ(Ids(errors), std::vector<std::string>{"rating.satisfaction_out_of_range"}) << bad;
    EXPECT_EQ(errors[0].field, "satisfaction");
  }
}

TEST(ValidateRating, ReasonsMustExistAndFitTheLevel) {
  auto r = Rating(5);
  r.reasons = {"101", "203", "999", "101"};
  auto errors = ValidateRating(r, Catalogue());
  ASSERT_EQ(Ids(errors), (std::vector<std::string>{"rating.reason_not_for_level", "rating.reason_unknown",
                                                   "rating.reason_duplicate"}));
  EXPECT_EQ(errors[0].field, "reasons[1]");
  EXPECT_EQ(errors[1].field, "reasons[2]");
  EXPECT_EQ(errors[2].field, "reasons[3]");
}

TEST(ValidateRating, ReasonsMustFitTheChannelWhenItIsKnown) {
  auto r = Rating(1);
  r.reasons = {"210"};  // 排队等候时间长: a hall tag
  EXPECT_TRUE(ValidateRating(r, Catalogue(), {}, false).empty());
  EXPECT_EQ(Ids(ValidateRating(r, Catalogue(), {}, true)), std::vector<std::string>{"rating.reason_not_for_channel"});
  EXPECT_TRUE(ValidateRating(r, Catalogue()).empty());
}

TEST(ValidateRating, CommentLimitCountsCharactersNotBytes) {
  auto r = Rating(4);
  std::string chinese;
  for (int i = 0; i < 500; ++i) chinese += "办";  // 500 characters, 1500 bytes
  r.comment = chinese;
  EXPECT_TRUE(ValidateRating(r, Catalogue()).empty());
  r.comment += "x";
  auto errors = ValidateRating(r, Catalogue());
  ASSERT_EQ(Ids(errors), std::vector<std::string>{"rating.comment_too_long"});
  EXPECT_NE(errors[0].message.find("500"), std::string::npos);
  RatingLimits tight;
  tight.comment_max = 10;
  r.comment = "一二三四五六七八九十";
  EXPECT_TRUE(ValidateRating(r, Catalogue(), tight).empty());
}

TEST(ValidateRating, CommentMustBeValidUtf8) {
  auto r = Rating(1);
  r.comment = "bad \xC3";
  // One fault, one error: the invalid comment is not also counted as missing.
  EXPECT_EQ(Ids(ValidateRating(r, Catalogue())), std::vector<std::string>{"rating.comment_invalid_utf8"});
}

TEST(ValidateRating, DimensionsMustBeKnownAndScoredOneToFive) {
  auto r = Rating(4);
  r.dimensions = {{"efficiency", 5}, {"speed", 3}, {"convenience", 7}};
  auto errors = ValidateRating(r, Catalogue());
  ASSERT_EQ(Ids(errors), (std::vector<std::string>{"rating.dimension_out_of_range", "rating.dimension_unknown"}));
  EXPECT_EQ(errors[0].field, "dimensions.convenience");
  EXPECT_EQ(errors[1].field, "dimensions.speed");
  r.dimensions = {{"service_attitude", 4}};
  EXPECT_EQ(Ids(ValidateRating(r, Catalogue(), {}, true)), std::vector<std::string>{"rating.dimension_unknown"});
  EXPECT_TRUE(ValidateRating(r, Catalogue(), {}, false).empty());
}

TEST(ValidateRating, ReportsEveryErrorAtOnce) {
  RatingSubmission r;
  r.reasons = {"999"};
  r.comment = std::string(600, 'a');
  r.catalogue_version = "old";
  r.dimensions = {{"efficiency", 0}};
  auto ids = Ids(ValidateRating(r, Catalogue()));
  for (const char* id : {"rating.satisfaction_required", "rating.reason_unknown", "rating.comment_too_long",
                         "rating.catalogue_version_mismatch", "rating.dimension_out_of_range"})
    EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id;
  EXPECT_EQ(ids.size(), 5u);
}

TEST(ValidateRating, CapsTheNumberOfReasons) {
  auto r = Rating(1);
  RatingLimits limits;
  limits.max_reasons = 2;
  r.reasons = {"201", "202", "203"};
  EXPECT_EQ(Ids(ValidateRating(r, Catalogue(), limits)), std::vector<std::string>{"rating.too_many_reasons"});
}

}  // namespace
}  // namespace hcp
