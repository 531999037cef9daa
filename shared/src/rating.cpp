#include "hcp/rating.h"

#include <algorithm>
#include <string>

#include "hcp/level.h"
#include "hcp/utf8.h"

namespace hcp {

Errors ValidateRating(const RatingSubmission& rating, const ReasonCatalogue& catalogue,
                      const RatingLimits& limits, std::optional<bool> online_channel) {
  Errors errors;
  std::optional<Level> level;
  if (!rating.satisfaction) {
    errors.push_back(MakeError("rating.satisfaction_required", "satisfaction"));
  } else if (auto l = FromCode(*rating.satisfaction, CodeDirection::Deployed)) {
    level = *l;
  } else {
    errors.push_back(MakeError("rating.satisfaction_out_of_range", "satisfaction"));
  }

  if (!rating.catalogue_version.empty() && rating.catalogue_version != catalogue.version())
    errors.push_back(MakeError("rating.catalogue_version_mismatch", "catalogue_version", rating.catalogue_version));

  if (static_cast<int>(rating.reasons.size()) > limits.max_reasons)
    errors.push_back(MakeError("rating.too_many_reasons", "reasons", std::to_string(limits.max_reasons)));
  for (size_t i = 0; i < rating.reasons.size(); ++i) {
    const std::string& code = rating.reasons[i];
    const std::string field = "reasons[" + std::to_string(i) + "]";
    const std::string shown = IsValidUtf8(code) ? code.substr(0, 12) : "?";
    if (std::find(rating.reasons.begin(), rating.reasons.begin() + i, code) != rating.reasons.begin() + i) {
      errors.push_back(MakeError("rating.reason_duplicate", field, shown));
      continue;
    }
    const Reason* reason = catalogue.Find(code);
    if (!reason) {
      errors.push_back(MakeError("rating.reason_unknown", field, shown));
      continue;
    }
    if (level && !reason->Fits(*level)) errors.push_back(MakeError("rating.reason_not_for_level", field, code));
    if (online_channel && !reason->Fits(*online_channel))
      errors.push_back(MakeError("rating.reason_not_for_channel", field, code));
  }

  const bool comment_ok = IsValidUtf8(rating.comment);
  if (!comment_ok) {
    errors.push_back(MakeError("rating.comment_invalid_utf8", "comment"));
  } else if (CodePointCount(rating.comment) > static_cast<size_t>(limits.comment_max)) {
    errors.push_back(MakeError("rating.comment_too_long", "comment", std::to_string(limits.comment_max)));
  }

  // A bad rating must tick or write a reason. A blank comment is no reason; an invalid one is
  // already reported above, so do not pile a second error on the same fault.
  if (level && IsBad(*level) && rating.reasons.empty() && comment_ok && IsBlank(rating.comment))
    errors.push_back(MakeError("rating.reason_required", "reasons"));

  for (const auto& [key, score] : rating.dimensions) {
    const std::string field = "dimensions." + (IsValidUtf8(key) ? key.substr(0, 40) : std::string("?"));
    const Dimension* dim = catalogue.FindDimension(key);
    if (!dim || (online_channel && !dim->Fits(*online_channel))) {
      errors.push_back(MakeError("rating.dimension_unknown", field, IsValidUtf8(key) ? key.substr(0, 40) : "?"));
    } else if (score < 1 || score > 5) {
      errors.push_back(MakeError("rating.dimension_out_of_range", field, key));
    }
  }
  return errors;
}

}  // namespace hcp
