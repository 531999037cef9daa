// `hcp sample`: the reproducible, stratified return-visit sample of a month's evaluators, stored
// at the centre as survey to-dos for the units (docs/reports.md §6).
#include <chrono>
#include <iostream>

#include "centre_access.h"
#include "commands.h"
#include "hcp/period.h"
#include "hcp/sampling.h"
#include "hcp/wire.h"
#include "survey_sample.h"

namespace hcp::cli {
namespace {

constexpr const char* kHelp = R"(usage: hcp sample --month YYYY-MM --size N --seed S [--out FILE] (--data DIR | --db URL)

Draws a random sample of the evaluators who rated in the month, stratified by unit (proportional
allocation), and stores it at the centre as survey to-dos: each unit's handlers see their unit's
tasks in the back office and may open the evaluator's contact, each opening logged. The same
month, size and seed give the same people on every machine (docs/reports.md §6); running it
again answers the stored sample ("created": false).

options:
  --month YYYY-MM   the month whose evaluators are sampled
  --size N          how many (1..1000000; more than there are: everyone)
  --seed S          0..18446744073709551615; write it down, it repeats the draw
  --out FILE        write the JSON there instead of standard output
  --data DIR | --db URL | --config FILE   which centre;  --calendar DIR as hcp central

exit codes: 0 drawn (or the same sample again); 1 this month and seed were drawn with another
            size; 2 usage; 3 the output file cannot be written; 4 the store cannot be read
)";

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

int SampleCommand(const Args& args) {
  std::vector<std::string> known = {"month", "size", "seed", "out"};
  known.insert(known.end(), kCentreOptions.begin(), kCentreOptions.end());
  auto parsed = ParseArgs(args, known);
  if (!parsed) return kExitUsage;
  if (parsed->help) {
    std::cout << kHelp;
    return kExitOk;
  }
  if (!parsed->positional.empty()) {
    std::cerr << kHelp;
    return kExitUsage;
  }
  Errors errors;
  central::SampleRequest request;
  request.by = "cli";
  auto month = ParseMonth(parsed->Get("month").value_or(""), "month");
  if (!month) errors.insert(errors.end(), month.errors().begin(), month.errors().end());
  else request.month = *month;
  const std::string size = parsed->Get("size").value_or("");
  char* end = nullptr;
  const long n = std::strtol(size.c_str(), &end, 10);
  if (size.empty() || *end != '\0' || n < 1 || n > kMaxSampleSize) errors.push_back(MakeError("sampling.size_invalid", "size", size));
  else request.size = n;
  auto seed = ParseSeed(parsed->Get("seed").value_or(""));
  if (!seed) errors.insert(errors.end(), seed.errors().begin(), seed.errors().end());
  else request.seed = *seed;
  if (!errors.empty()) {
    PrintErrors(errors);
    return kExitUsage;
  }
  int code = kExitOk;
  auto centre = OpenCentre("sample", *parsed, code);
  if (!centre) return code;
  auto outcome = central::DrawSurveySample(*centre->store, request, centre->calendar, centre->limits, NowMs());
  if (!outcome) {
    PrintErrors(outcome.errors());
    return outcome.errors().front().id == "sampling.conflict" ? 1 : kExitStore;
  }
  const std::string text = Dump(central::SurveySampleToJson(*outcome), 2) + "\n";
  if (auto out = parsed->Get("out")) {
    std::string error;
    if (!WriteFileAtomically(*out, text, error)) {
      std::cerr << "hcp sample: " << error << "\n";
      return kExitOutput;
    }
  } else {
    std::cout << text;
  }
  std::cerr << "hcp sample: " << outcome->sample.month << " seed " << outcome->sample.seed << ": "
            << outcome->tasks.size() << " of " << outcome->sample.population << " evaluator(s)"
            << (outcome->created ? "" : " (drawn before)") << "\n";
  return kExitOk;
}

}  // namespace hcp::cli
