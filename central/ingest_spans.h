#pragma once
// Where each rating's "claims" and "rating" objects lie in a POST /api/v1/ingest body, so the
// centre stores the bytes the edge signed instead of serialising its own parse of them again
// (that Dump was 6 % of the centre's CPU in a relay drain: docs/performance.md).
//
// For a body ParseJson has accepted only: the scan trusts that the bytes are valid JSON and does
// not check them again.
#include <string_view>
#include <vector>

namespace hcp::central {

struct RatingSpans {
  std::string_view claims;  // the member's value as received; empty when not found
  std::string_view rating;
};

// One entry per element of the top-level "ratings" array, in order. A duplicate key counts as
// the JSON parser counts it: the last one. A key written with escapes is not compared here: the
// element's spans (or, at the top level, all of them) are left empty, and the caller serialises
// its parse instead.
std::vector<RatingSpans> IngestRatingSpans(std::string_view body);

}  // namespace hcp::central
