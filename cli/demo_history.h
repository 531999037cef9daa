#pragma once
// hcp demo's history for the public page (/public/): a few hundred ratings over the last four
// months for the demo's units, stored through the centre's own ingest (as if its edge had relayed
// them, each on its day), and the bad ones handled through the closed loop (return visit,
// rectification, confirmation; one found untrue and reviewed by the office; the newest still
// open). Every case number starts with DEMO-HIST- and every comment with 【演示】, so the data is
// recognisably a demo's. Only into a store with no rating yet: a reused demo folder is left as it is.
#include <string>
#include <vector>

#include "central_store.h"
#include "hcp/calendar.h"
#include "hcp/case_machine.h"
#include "hcp/result.h"

namespace hcp::cli {

struct DemoHistoryUnit {
  std::string unit, unit_name, item, item_name, window;
  int ratings = 0;  // how many ratings this unit gets
};

// Answers how many ratings were stored (0: the store had ratings already). `edge_kid`: the demo
// edge's key id (its hall); `issuer_kid`: the ticket issuer's; `now_ms`: the centre's clock.
Result<int> SeedDemoHistory(central::CentralStore& store, const WorkingCalendar& calendar, const CaseLimits& limits,
                            const std::string& edge_kid, const std::string& issuer_kid,
                            const std::vector<DemoHistoryUnit>& units, int64_t now_ms);

}  // namespace hcp::cli
