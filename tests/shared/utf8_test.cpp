#include "hcp/utf8.h"

#include <gtest/gtest.h>

namespace hcp {
namespace {

TEST(Utf8, AcceptsChineseAndEmoji) {
  EXPECT_TRUE(IsValidUtf8("办事效率高"));
  EXPECT_TRUE(IsValidUtf8("👍 good"));
  EXPECT_TRUE(IsValidUtf8(""));
}

TEST(Utf8, RejectsMalformedSequences) {
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // UTF-16 surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE5\x8A"));          // truncated 办
  EXPECT_FALSE(IsValidUtf8("\x80"));              // lone continuation
  EXPECT_FALSE(IsValidUtf8("abc\xFF"));
}

TEST(Utf8, CountsCodePointsNotBytes) {
  EXPECT_EQ(CodePointCount("办事"), 2u);
  EXPECT_EQ(CodePointCount("ab"), 2u);
  EXPECT_EQ(CodePointCount("👍"), 1u);
}

TEST(Utf8, TreatsIdeographicSpaceAsBlank) {
  EXPECT_TRUE(IsBlank(""));
  EXPECT_TRUE(IsBlank(" \t\n"));
  EXPECT_TRUE(IsBlank("\xE3\x80\x80\xE3\x80\x80"));  // two U+3000, what a Chinese IME types
  EXPECT_FALSE(IsBlank("　差"));
}

TEST(Utf8, TruncatesOnACharacterBoundary) {
  EXPECT_EQ(TruncateUtf8("abc", 10), "abc");
  EXPECT_EQ(TruncateUtf8("abc", 2), "ab");
  // 办 is three bytes: cutting at 1, 2 or 3 bytes keeps none of it or all of it, never a part.
  EXPECT_EQ(TruncateUtf8("a办b", 1), "a");
  EXPECT_EQ(TruncateUtf8("a办b", 2), "a");
  EXPECT_EQ(TruncateUtf8("a办b", 3), "a");
  EXPECT_EQ(TruncateUtf8("a办b", 4), "a办");
  EXPECT_EQ(TruncateUtf8("👍👍", 7), "👍");
  EXPECT_TRUE(IsValidUtf8(TruncateUtf8(std::string(100, 'x') + std::string(50, '\0') + "评价评价评价", 151)));
}

}  // namespace
}  // namespace hcp
