#pragma once
// A citizen's rating as submitted, and the rules it must satisfy (MoT 第九条: 差评应勾选或填写理由).
// The same function runs in the browser (WASM) and on the server, so both say the same thing.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hcp/catalogue.h"
#include "hcp/error.h"

namespace hcp {

struct RatingLimits {
  int comment_max = 500;  // code points, not bytes
  int max_reasons = 12;
};

struct RatingSubmission {
  std::string ticket;                // opaque here; verified by the edge
  std::optional<int> satisfaction;   // 1..5, 5 = 非常满意 (deployed direction)
  std::vector<std::string> reasons;  // 3-digit catalogue codes
  std::string comment;
  bool is_public = false;            // SR 第八条: the evaluator may keep the rating unpublished
  std::map<std::string, int> dimensions;
  std::string catalogue_version;     // optional; when given it must match the catalogue in force
  std::string client;                // free-form client description ("widget/0.1 zh-CN"), not personal
};

// Every problem at once, each with field, id and message. `online_channel` unset skips the
// online/offline fit of reasons and dimensions (the channel comes from the ticket, when there is one).
Errors ValidateRating(const RatingSubmission& rating, const ReasonCatalogue& catalogue,
                      const RatingLimits& limits = {}, std::optional<bool> online_channel = std::nullopt);

}  // namespace hcp
