// `hcp report monthly|annual`: the 通报 from the centre's store (docs/reports.md §4 and §11).
#include <chrono>
#include <iostream>
#include <optional>

#include "centre_access.h"
#include "centre_day.h"
#include "commands.h"
#include "hcp/period.h"
#include "hcp/report_render.h"
#include "report_maker.h"

namespace hcp::cli {
namespace {

constexpr const char* kHelp = R"(usage: hcp report monthly --month YYYY-MM --format html|csv|json --out FILE [options]
       hcp report annual --year YYYY --format html|csv|json --out FILE [options]

The monthly 通报 by hall, unit and window (counts, 好评率 with and without default ratings, bad
ratings, rectified on time and late, overdue, units bad-rated repeatedly, rankings, change from
the previous month), or each unit's figures for a year, from the centre's store. Every figure is
defined in docs/reports.md.

options:
  --month YYYY-MM      the month (monthly)
  --year YYYY          the year (annual)
  --format F           html (charts as inline SVG, prints well), csv (Excel: UTF-8 with BOM), json
  --out FILE           where to write it ("-": standard output); written whole or not at all
  --unit CODE          only this unit's ratings
  --area CODE          only ratings of this 行政区划
  --as-of YYYY-MM-DD   the day the report is made: what is overdue is judged on it (default
                       today in China); the same store and --as-of give the same report
  --min-sample N       below N a rate shows 样本不足 (default: the config file's report.min_sample,
                       else 10); the config's report.repeat sets 反复被差评 (docs/deploy.md)
  --data DIR | --db URL | --config FILE   which centre (as hcp central)
  --calendar DIR       working-day calendar year files over the embedded ones

exit codes: 0 written; 2 usage (a missing or bad option: month, year, format, date);
            3 the output file cannot be written; 4 the centre's store cannot be opened or read
)";

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

int ReportCommand(const Args& args) {
  std::vector<std::string> known = {"month", "year", "format", "out", "unit", "area", "as-of", "min-sample"};
  known.insert(known.end(), kCentreOptions.begin(), kCentreOptions.end());
  auto parsed = ParseArgs(args, known);
  if (!parsed) return kExitUsage;
  if (parsed->help) {
    std::cout << kHelp;
    return kExitOk;
  }
  const auto& p = parsed->positional;
  if (p.size() != 1 || (p[0] != "monthly" && p[0] != "annual")) {
    std::cerr << kHelp;
    return kExitUsage;
  }
  central::ReportRequest request;
  request.kind = p[0] == "monthly" ? ReportKind::Monthly : ReportKind::Annual;
  Errors errors;
  if (request.kind == ReportKind::Monthly) {
    auto month = ParseMonth(parsed->Get("month").value_or(""), "month");
    if (!month) errors.insert(errors.end(), month.errors().begin(), month.errors().end());
    else {
      request.year = month->first.year();
      request.month = month->first.month();
    }
  } else {
    const std::string year = parsed->Get("year").value_or("");
    auto y = ParseMonth(year + "-01", "year");
    if (!y || year.size() != 4) errors.push_back(MakeError("period.invalid", "year", year));
    else request.year = y->first.year();
  }
  auto format = ParseReportFormat(parsed->Get("format").value_or(""));
  if (!format) errors.insert(errors.end(), format.errors().begin(), format.errors().end());
  const auto out = parsed->Get("out");
  if (!out || out->empty()) errors.push_back(MakeError("report.config_invalid", "out", "--out FILE is required"));
  request.as_of = central::CentreDay(NowMs());
  if (auto a = parsed->Get("as-of")) {
    auto d = Date::Parse(*a, "as-of");
    if (!d) errors.insert(errors.end(), d.errors().begin(), d.errors().end());
    else request.as_of = *d;
  }
  std::optional<long> min_sample;  // over the config file's report.min_sample
  if (auto m = parsed->Get("min-sample")) {
    char* end = nullptr;
    const long n = std::strtol(m->c_str(), &end, 10);
    if (m->empty() || *end != '\0' || n < 0 || n > 1000000)
      errors.push_back(MakeError("report.config_invalid", "min-sample", "--min-sample: a whole number from 0"));
    else min_sample = n;
  }
  request.unit = parsed->Get("unit").value_or("");
  request.area = parsed->Get("area").value_or("");
  if (!errors.empty()) {
    PrintErrors(errors);
    return kExitUsage;
  }

  int code = kExitOk;
  auto centre = OpenCentre("report", *parsed, code);
  if (!centre) return code;
  request.options = centre->report_options;
  if (min_sample) request.options.min_sample = *min_sample;
  auto report = central::MakeReport(*centre->store, request, centre->calendar, centre->limits);
  if (!report) {
    PrintErrors(report.errors());
    return kExitStore;
  }
  const std::string text = RenderReport(*report, *format);
  if (*out == "-") {
    std::cout << text;
  } else {
    std::string error;
    if (!WriteFileAtomically(*out, text, error)) {
      std::cerr << "hcp report: " << error << "\n";
      return kExitOutput;
    }
  }
  std::cerr << "hcp report: " << ReportTitlePeriod(*report) << " as of " << report->as_of.ToString() << ": "
            << report->total.tally.Total() << " rating(s), " << report->units.size() << " unit(s)"
            << (*out == "-" ? "" : " -> " + *out) << "\n";
  return kExitOk;
}

}  // namespace hcp::cli
