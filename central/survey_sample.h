#pragma once
// The return-visit sample (MoT 第十六条: 随机抽取评价人开展回访调查) drawn from the centre's store and
// handed to the units as survey to-dos: the draw is the shared core's (sampling.h, reproducible
// from month, size and seed); this file reads the month's ratings, stores the sample and its tasks
// once per month and seed, and reads them back.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "central_store.h"
#include "hcp/calendar.h"
#include "hcp/case_machine.h"
#include "hcp/period.h"
#include "hcp/result.h"
#include "hcp/sampling.h"
#include "hcp/wire.h"

namespace hcp::central {

struct SampleRequest {
  Period month;
  long size = 0;
  uint64_t seed = 0;
  std::string by;  // who asked: a back-office user, or "cli"
};

struct SampleOutcome {
  bool created = false;  // false: this month and seed were drawn before; the stored sample comes back
  SampleRecord sample;
  std::vector<SurveyTask> tasks;  // draw order
};

// Draws and stores the sample, or answers the stored one for the same month and seed (the same
// size again: the same people; another size: sampling.conflict, nothing changes).
Result<SampleOutcome> DrawSurveySample(CentralStore& store, const SampleRequest& request, const WorkingCalendar& calendar,
                                       const CaseLimits& limits, int64_t now_ms);
// A stored sample with its tasks (of one unit unless `unit` is empty); none when not drawn.
Result<std::optional<SampleOutcome>> LoadSurveySample(CentralStore& store, const std::string& month,
                                                      const std::string& seed, const std::string& unit);

Json SurveySampleToJson(const SampleOutcome& outcome);

}  // namespace hcp::central
