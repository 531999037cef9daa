#include "ingest_rating.h"

#include "hcp/level.h"
#include "hcp/ticket_claims.h"

namespace hcp::central {
namespace {

// A member's text as received, or serialised from its parse when the scan did not find it; ""
// when the member is missing.
std::string AsReceived(std::string_view span, const Json& element, const char* key) {
  auto it = element.find(key);
  if (it == element.end()) return {};
  if (it->is_object() && span.size() >= 2 && span.front() == '{' && span.back() == '}') return std::string(span);
  return Dump(*it);
}

bool IsInteger(const Json& element, const char* key) {
  auto it = element.find(key);
  return it != element.end() && it->is_number_integer();
}

}  // namespace

RelayedRating ReadIngestedRating(const Json& r, const RatingSpans& spans) {
  RelayedRating rr;
  rr.id = r["id"].get<std::string>();
  rr.claims_json = AsReceived(spans.claims, r, "claims");
  rr.rating_json = AsReceived(spans.rating, r, "rating");
  if (IsInteger(r, "received_at_ms")) rr.received_at_ms = r["received_at_ms"].get<int64_t>();
  if (IsInteger(r, "satisfaction")) rr.satisfaction = r["satisfaction"].get<int>();
  // The case as the batch names it, so an operator can find a refused rating by case.
  if (auto it = r.find("case"); it != r.end() && it->is_string()) rr.case_id = it->get<std::string>();
  if (IsInteger(r, "assess")) rr.assess = r["assess"].get<int>();
  auto refuse = [&](std::string detail) {
    rr.invalid = "ingest.rating_invalid";
    rr.invalid_detail = std::move(detail);
    return rr;
  };

  const bool shaped = r.contains("claims") && r["claims"].is_object() && r.contains("rating") && r["rating"].is_object() &&
                      IsInteger(r, "satisfaction") && IsInteger(r, "received_at_ms");
  if (!shaped) return refuse("lacks claims, rating, satisfaction or received_at_ms, or one is of the wrong type");
  // The claims were verified by the edge, whose signature covers them; parsing them again
  // gives the centre the case, unit and channel from one definition.
  auto claims = ParseTicketClaims(r["claims"]);
  if (!claims) {
    const Error& e = claims.errors().front();
    return refuse("claims" + (e.field.empty() ? "" : "." + e.field) + ": " + e.message_en);
  }
  rr.case_id = claims->case_id;
  rr.assess = claims->assess;
  // A level outside 1–5 would be stored and counted nowhere: the statistics skip it.
  if (!FromCode(rr.satisfaction, CodeDirection::Deployed))
    return refuse("satisfaction " + std::to_string(rr.satisfaction) + " is not a level 1-5");
  rr.kid = claims->kid;
  rr.unit = claims->unit;
  rr.unit_name = claims->unit_name;
  rr.channel = std::string(ChannelKey(claims->channel));
  // A good rating's text becomes a suggestion to its unit (the closed loop, issue 6 part A).
  const Json& rating = r["rating"];
  if (auto it = rating.find("comment"); it != rating.end() && it->is_string()) rr.comment = it->get<std::string>();
  // What the public figures and the to-do event need, from what was just parsed.
  rr.parsed = RelayedRating::Parsed{claims->area, claims->item, claims->item_name, claims->window, false, {}};
  if (auto it = rating.find("public"); it != rating.end() && it->is_boolean()) rr.parsed->is_public = it->get<bool>();
  if (auto it = rating.find("reasons"); it != rating.end() && it->is_array())
    for (const auto& code : *it)
      if (code.is_string()) rr.parsed->reasons.push_back(code.get<std::string>());
  return rr;
}

}  // namespace hcp::central
