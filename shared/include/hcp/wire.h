#pragma once
// The JSON wire format shared by the edge, the centre, the CLI and the widget:
// the rating submission, the form definition and the one error shape
//   {"errors": [{"id": "...", "field": "...", "message": "中文", "message_en": "English"}]}
// Decoding never throws (nlohmann/json is used through its non-throwing entry points only).
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "hcp/catalogue.h"
#include "hcp/channel.h"
#include "hcp/rating.h"
#include "hcp/result.h"

namespace hcp {

using Json = nlohmann::json;

inline constexpr int kMaxJsonDepth = 32;

// Valid UTF-8, nesting at most `max_depth`, then a JSON parse: request.invalid_utf8,
// request.too_deep, request.invalid_json. The depth check comes first so that hostile nesting
// never reaches the recursive parser.
Result<Json> ParseJson(std::string_view text, int max_depth = kMaxJsonDepth);

// Serialises without ever failing: invalid UTF-8 inside strings is replaced, not thrown.
std::string Dump(const Json& j, int indent = -1);

Json ErrorToJson(const Error& e);
Json ErrorsToJson(const Errors& errors);  // the error shape above

// Decodes a submission body. Type errors (request.field_type, request.unknown_field,
// request.not_object) for each field are returned in `errors`; fields that decoded are filled in.
struct DecodedRating {
  RatingSubmission rating;
  Errors errors;
};
DecodedRating DecodeRating(const Json& body);
Json EncodeRating(const RatingSubmission& rating);

// Decode + ValidateRating, one error per fault: a field that failed to decode is not
// reported again by validation.
Errors CheckRating(const Json& body, const ReasonCatalogue& catalogue, const RatingLimits& limits = {},
                   std::optional<bool> online_channel = std::nullopt);
// The same for a body already decoded with DecodeRating (the edge decodes it once for both).
Errors CheckRating(const DecodedRating& decoded, const ReasonCatalogue& catalogue, const RatingLimits& limits = {},
                   std::optional<bool> online_channel = std::nullopt);

// What the widget needs to draw the form for one finished case.
struct FormDefinition {
  std::string item;
  std::string item_name;
  std::string unit;
  std::string unit_name;
  Channel channel = Channel::Pc;
  int assess = 1;              // 1 = first rating, 2 = the one follow-up rating (追评)
  bool already_rated = false;
  RatingLimits limits;
};
// Levels (best first), the catalogue's reasons and dimensions for this channel, the limits.
Json FormToJson(const FormDefinition& form, const ReasonCatalogue& catalogue);
// The widget's side: the definition and a catalogue holding exactly what the form offered.
struct DecodedForm {
  FormDefinition form;
  ReasonCatalogue catalogue;
};
Result<DecodedForm> FormFromJson(const Json& j);

}  // namespace hcp
