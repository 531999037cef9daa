#pragma once
// Push mode of the national export (hcp export national --push): the ratings after the durable
// cursor go to a configured HTTP endpoint in batches, each with an Idempotency-Key, retried with
// exponential backoff and full jitter. A batch is written down (range, key, body) before it is
// sent and the cursor moves only after a 2xx, so after a crash at any point exactly the batch in
// flight is sent again, byte for byte with the same key, and no acknowledged batch is sent again.
// docs/reports.md §7 defines the wire format and the configuration.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "central_store.h"
#include "hcp/calendar.h"
#include "hcp/case_machine.h"
#include "hcp/level.h"
#include "hcp/national_export.h"
#include "hcp/result.h"

namespace hcp::central {

struct PushConfig {
  std::string url;                 // http://host[:port]/path (https:// where cpp-httplib has TLS)
  std::string name = "national";   // the cursor's name: one cursor per receiver
  std::string token;               // sent as "Authorization: Bearer TOKEN" when set
  std::string mapping;             // a mapping file instead of the embedded national.json
  std::optional<CodeDirection> direction;  // overrides the mapping's satisfaction direction
  int batch_rows = 500;
  int max_attempts = 8;            // per batch and run; then the run stops, the batch stays pending
  int backoff_ms = 500;            // the first retry waits up to this long (full jitter),
  int backoff_max_ms = 60000;      // doubling up to this
  int timeout_ms = 10000;          // connect, write and read timeout of one attempt
};

// export.push_config_invalid naming the key, every problem at once.
Result<PushConfig> ParsePushConfig(std::string_view json_text);

enum class PushStop {
  Done,       // every rating up to the highest number at the start is acknowledged
  Record,     // a rating cannot be exported with the mapping (fix the mapping, run again)
  Refused,    // the receiver refused a batch for good (4xx other than 408/425/429)
  Exhausted,  // max_attempts failed; the batch stays pending and is sent first next time
};

struct PushReport {
  PushStop stop = PushStop::Done;
  int64_t batches = 0;  // acknowledged in this run
  int64_t rows = 0;
  int64_t acked = 0;    // the cursor after the run
  int64_t failed_attempts = 0;
  Errors errors;
};

// `sleep_ms` waits between attempts (tests pass a short one).
Result<PushReport> PushNational(CentralStore& store, const PushConfig& config, const ExportMapping& mapping,
                                const WorkingCalendar& calendar, const CaseLimits& limits,
                                const std::function<void(int)>& sleep_ms);

}  // namespace hcp::central
