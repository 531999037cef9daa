// The scan that finds each rating's claims and rating in an ingest body, so the centre stores the
// bytes received (central/ingest_spans.h). It must agree with the JSON parser or step aside.
#include <gtest/gtest.h>

#include "hcp/json_text.h"
#include "hcp/wire.h"
#include "ingest_spans.h"

namespace hcp::central {
namespace {

TEST(IngestSpans, FindsEachRatingsClaimsAndRatingAsWritten) {
  const std::string body =
      "{\"edge\":\"e\",\"ratings\":[{\"assess\":1,\"claims\":{\"case\":\"a\\\"}{\",\"n\":[1,{\"x\":\"]\"}]},"
      "\"id\":\"r1\",\"rating\":{\"satisfaction\":5},\"received_at_ms\":1},\n"
      " { \"rating\" : { \"reasons\" : [ \"203\" ] } , \"claims\" : {\"case\":\"b\"} , \"x\":-1.5e3 } ],\"z\":true}";
  ASSERT_TRUE(ParseJson(body));
  const auto spans = IngestRatingSpans(body);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].claims, "{\"case\":\"a\\\"}{\",\"n\":[1,{\"x\":\"]\"}]}");
  EXPECT_EQ(spans[0].rating, "{\"satisfaction\":5}");
  EXPECT_EQ(spans[1].claims, "{\"case\":\"b\"}");
  EXPECT_EQ(spans[1].rating, "{ \"reasons\" : [ \"203\" ] }");
  // Every span is the text of the parser's own value.
  const Json parsed = *ParseJson(body);
  for (size_t i = 0; i < spans.size(); ++i) {
    EXPECT_EQ(*ParseJson(spans[i].claims), parsed["ratings"][i]["claims"]);
    EXPECT_EQ(*ParseJson(spans[i].rating), parsed["ratings"][i]["rating"]);
  }
}

TEST(IngestSpans, TakesTheLastOfDuplicateKeysAsTheParserDoes) {
  const std::string body = "{\"ratings\":[],\"ratings\":[{\"claims\":{\"n\":1},\"claims\":{\"n\":2},\"rating\":{}}]}";
  const Json parsed = *ParseJson(body);
  const auto spans = IngestRatingSpans(body);
  ASSERT_EQ(spans.size(), parsed["ratings"].size());
  EXPECT_EQ(*ParseJson(spans[0].claims), parsed["ratings"][0]["claims"]);
}

TEST(IngestSpans, StepsAsideWhereAKeyIsEscaped) {
  // "\u0063laims" is "claims" to the parser, which keeps it (the last) over the plain one.
  const auto inner = IngestRatingSpans("{\"ratings\":[{\"claims\":{\"n\":1},\"\\u0063laims\":{\"n\":2},\"rating\":{}}]}");
  ASSERT_EQ(inner.size(), 1u);
  EXPECT_TRUE(inner[0].claims.empty());
  EXPECT_TRUE(inner[0].rating.empty());
  EXPECT_TRUE(IngestRatingSpans("{\"ratings\":[{\"claims\":{}}],\"\\u0072atings\":[]}").empty());
  EXPECT_TRUE(IngestRatingSpans("[1]").empty());
}

// The string scan behind both the spans and ParseJson's depth check: a quote after an odd run of
// backslashes is escaped, after an even one it ends the string.
TEST(IngestSpans, AStringEndsAtTheFirstQuoteNotEscaped) {
  EXPECT_EQ(JsonStringEnd(R"("abc",1)", 0), 5u);
  EXPECT_EQ(JsonStringEnd(R"(x"a\\"b")", 1), 6u) << "two backslashes: the quote ends the string";
  EXPECT_EQ(JsonStringEnd(R"("a\"b",)", 0), 6u) << "one backslash: the quote is escaped";
  EXPECT_EQ(JsonStringEnd(R"("a\\\"b\\\\")", 0), 12u);
  EXPECT_EQ(JsonStringEnd(R"("")", 0), 2u);
  EXPECT_EQ(JsonStringEnd(R"("\")", 0), 3u) << "no closing quote: the end of the text";
  EXPECT_EQ(JsonStringEnd(R"("abc)", 0), 4u);
  // Every string of a body with quotes and backslashes in its values is read as the parser reads it.
  const std::string body = R"({"ratings":[{"claims":{"a":"\\","b":"\"}","c":"\\\"]"},"rating":{"d":"x\\\\"}}]})";
  ASSERT_TRUE(ParseJson(body));
  const Json parsed = *ParseJson(body);
  const auto spans = IngestRatingSpans(body);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(*ParseJson(spans[0].claims), parsed["ratings"][0]["claims"]);
  EXPECT_EQ(*ParseJson(spans[0].rating), parsed["ratings"][0]["rating"]);
}

// The relay's batch and the centre's answer write strings without the JSON library where they
// can: the bytes must be Dump's, whatever the string.
TEST(IngestSpans, AppendJsonStringWritesWhatDumpWrites) {
  for (const std::string& v : std::vector<std::string>{"", "r-1a20846fe7b5d0c9e8f7a6b5c43", "SR2026112000123", "引号\"和\\反斜杠", "tab\there",
                              std::string("nul\0x", 5), "\x7f", "上饶市交通运输局", "a/b", "😀张*",
                              // invalid UTF-8, which Dump replaces: a bad byte, a cut sequence, an
                              // overlong form, a surrogate, a code point beyond U+10FFFF
                              "\xff", "张\xe5\xbc", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "ok\x80"}) {
    std::string out = "[";
    AppendJsonString(out, v);
    EXPECT_EQ(out, "[" + Dump(Json(v))) << v;
  }
}

}  // namespace
}  // namespace hcp::central
