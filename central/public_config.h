#pragma once
// The public disclosure's settings (issue 7) and the "public" key of the centre's config file
// (docs/deploy.md): {"public": {"min_sample": 10, "hot_items": 10, "hall_names": {"HALL": "name"}}}.
#include <map>
#include <string>

#include "hcp/figure_format.h"
#include "hcp/result.h"
#include "hcp/wire.h"

namespace hcp::central {

struct PublicSettings {
  long min_sample = kDefaultMinSample;  // below it a rate shows 样本不足 (MoT: small counts suppressed)
  int hot_items = 10;
  int max_per_page = 50;
  // A hall is the HALL part of window claims "HALL/WINDOW" (docs/reports.md §1, hall_window.h);
  // these are the names the page shows for the hall codes.
  std::map<std::string, std::string> hall_names;
};

// Applies j["public"] when present; config.invalid naming each bad key (public.min_sample, …).
Errors ApplyPublicConfig(const Json& j, PublicSettings& settings);

}  // namespace hcp::central
