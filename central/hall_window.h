#pragma once
// Where a rating was made inside a 政务服务大厅. Ticket claims v1 have no hall: a hall system that
// wants its windows counted per hall writes the window claim as "HALL/WINDOW" (`H1/W3`). Without a
// slash: no hall, the window alone. One rule for the 通报 (rating_source.cpp) and the public
// figures (public_tally.cpp), so a hall's row is the same in both (docs/reports.md §1).
#include <string>

namespace hcp::central {

inline void SplitHallWindow(const std::string& window_claim, std::string& hall, std::string& window) {
  const auto slash = window_claim.find('/');
  if (slash == std::string::npos) {
    hall.clear();
    window = window_claim;
    return;
  }
  hall = window_claim.substr(0, slash);
  window = window_claim.substr(slash + 1);
}

}  // namespace hcp::central
