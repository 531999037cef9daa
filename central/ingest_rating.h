#pragma once
// One element of a POST /api/v1/ingest batch's "ratings", read into what the store takes.
//
// What makes the whole batch unusable (it is not signed by a trusted edge, is not JSON, or an
// element has no string "id" to answer by) is refused as a whole before this, and the edge sends
// it again. What is wrong with one rating only (claims that do not parse, a member missing or of
// the wrong type, a level out of range) is not: the rating comes back with `invalid` set, and the
// store keeps it as rejected with that reason, so it holds back none of the ratings behind it and
// is not lost either (docs/relay.md, "The answer").
#include <string>

#include "central_store.h"
#include "hcp/wire.h"
#include "ingest_spans.h"

namespace hcp::central {

// `element` is an object with a string "id" (the caller has checked); `spans` are its members'
// bytes as received (IngestRatingSpans), empty where the scan could not tell. The claims and
// rating are kept as received either way; a valid rating also gets unit, channel, comment and
// RelayedRating::parsed. Not set here: `day` and `todo` (they need the centre's clock and rules).
RelayedRating ReadIngestedRating(const Json& element, const RatingSpans& spans);

}  // namespace hcp::central
