#include "request_hash.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hcp::edge {
namespace {

// Rows stored by earlier versions hold hashes of Dump(body): a retry after an upgrade must still
// be recognised, so CanonicalBody must give Dump's bytes for every body, fast path or not.
TEST(RequestHash, CanonicalBodyIsTheDumpOfTheBody) {
  const std::vector<std::string> bodies = {
      R"({"ticket":"hcp1.eyJhIjoxfQ.c2ln","satisfaction":4,"reasons":["r1","r2"],"comment":"办事很快","public":true,)"
      R"("dimensions":{"speed":5},"client":{"ua":"x","v":2},"catalogue_version":"2026-1"})",
      R"({"ticket":"hcp1.a.b"})",
      R"({"satisfaction":3,"ticket":"a\"b\\c\n张\u0001"})",
      R"({"ticket":"hcp1.a.b","zzz":1})",  // a key after "ticket": the slow path
      R"({"ticket":5,"comment":""})",
      R"({"satisfaction":1.50,"comment":null})",
      R"({})",
      R"([1,2])",
  };
  for (const std::string& text : bodies) {
    const Json original = Json::parse(text);
    Json body = original;
    EXPECT_EQ(CanonicalBody(body), Dump(original)) << text;
  }
}

// Pinned: stored rows hold these hashes. (The offset is not FNV's standard basis, see the header.)
TEST(RequestHash, KeepsItsValues) {
  EXPECT_EQ(RequestHash(""), "14650fb0739d0383");
  EXPECT_EQ(RequestHash("a"), "44bd8ad473cd9906");
  EXPECT_EQ(RequestHash("foobar"), "88fad7c0a8ff07f2");
}

}  // namespace
}  // namespace hcp::edge
