#pragma once
// The statistics summary as JSON: the API (GET /api/v1/stats/summary) and `hcp central stats`
// print the same document.
#include "central_store.h"
#include "hcp/wire.h"

namespace hcp::central {

Json SummaryToJson(const Summary& summary);

}  // namespace hcp::central
