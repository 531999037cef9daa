#pragma once
// The "report" key of the centre's config file (docs/deploy.md): the options of the monthly and
// annual 通报, for the report the centre makes itself and for `hcp report --config`:
// {"report": {"min_sample": 10, "repeat": {"min_in_month": 3, "consecutive_months": 3,
// "count_invalid": false}}}. Absent keys keep the defaults of docs/reports.md §2–3.
#include "hcp/monthly_report.h"
#include "hcp/result.h"
#include "hcp/wire.h"

namespace hcp::central {

// Reads j["report"] (when present) into `options`; every problem at once, `config.invalid`
// naming the key.
Errors ApplyReportConfig(const Json& j, ReportOptions& options);

}  // namespace hcp::central
