// `hcp export national`: ratings in the national platform's field set (docs/reports.md §7), to a
// file after a watermark, or pushed to a configured endpoint from a durable cursor.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <thread>

#include "centre_access.h"
#include "commands.h"
#include "hcp/national_export.h"
#include "hcp/wire.h"
#include "national_feed.h"
#include "national_push.h"

namespace hcp::cli {
namespace {

constexpr const char* kHelp = R"(usage: hcp export national --since WATERMARK --format jsonl|csv --out FILE [options]
       hcp export national --push --config PUSH.json [options]

Ratings mapped to the national platform's field set (projectNo, taskCode, deptCode, pf,
satisfaction, evalDetail, assessTime, ... and the rectification fields; docs/reports.md §7).

The watermark is the centre's export sequence: every stored rating gets a number once, in the
order it became visible, from a step that finishes before the next may start. --since W writes
every rating numbered above W (up to the highest number at the start of the run) and prints
{"since": W, "next": N, "rows": n}: run again with --since N and nothing is skipped or repeated.
Start with --since 0.

--push sends the ratings after the cursor named in PUSH.json to its url in batches, each with an
Idempotency-Key, retried with backoff; the cursor is kept in the centre's store, so a run that
crashed or gave up resumes with the batch in flight, and no acknowledged batch is sent again.

options:
  --since N            the watermark of the last run (0: from the start)
  --format F           jsonl (one object per line, keys sorted) or csv (UTF-8 with BOM, header)
  --out FILE           where to write ("-": standard output); written whole or not at all
  --max-rows N         at most N ratings in this run (the printed next watermark says where it stopped)
  --direction D        satisfaction codes: deployed (1 = 非常不满意 … 5 = 非常满意) or gbt39046
                       (1 = 非常满意 …); default: the mapping's
  --mapping FILE       a mapping file instead of the embedded shared/data/export/national.json
  --push               push mode; --config PUSH.json: {"url", "name", "token", "batch_rows",
                       "max_attempts", "backoff_ms", "backoff_max_ms", "timeout_ms", "direction", "mapping"}
  --data DIR | --db URL   which centre
  --calendar DIR       working-day calendar year files over the embedded ones

exit codes: 0 done; 2 usage; 3 the output file cannot be written; 4 the centre's store cannot be
            opened or read; 5 a rating cannot be exported with the mapping (the rows before it
            are written and the next watermark points just before it); 6 push: the receiver
            refused a batch, or every retry failed (the batch stays pending for the next run)
)";

Result<ExportMapping> LoadMapping(const std::string& file, std::optional<CodeDirection> direction) {
  Result<ExportMapping> loaded = ExportMapping::Embedded();
  if (!file.empty()) {
    auto text = ReadFile(file);
    if (!text) return text.errors();
    loaded = ExportMapping::Parse(*text);
  }
  if (!loaded) return loaded.errors();
  ExportMapping mapping = std::move(loaded).value();
  if (direction) mapping.SetDirection(*direction);
  return mapping;
}

std::optional<CodeDirection> ParseDirection(const std::string& name, Errors& errors) {
  if (name == "deployed") return CodeDirection::Deployed;
  if (name == "gbt39046") return CodeDirection::Gbt39046;
  errors.push_back(MakeError("export.mapping_invalid", "direction", "--direction: deployed or gbt39046"));
  return std::nullopt;
}

bool ParseCount(const std::string& text, int64_t& into) {
  char* end = nullptr;
  errno = 0;
  const long long n = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || n < 0) return false;
  into = n;
  return true;
}

// The centre's options without --config, which here names the push configuration.
ParsedArgs CentreArgs(const ParsedArgs& args) {
  ParsedArgs out = args;
  std::erase_if(out.options, [](const auto& kv) { return kv.first == "config"; });
  return out;
}

int Push(const ParsedArgs& args) {
  const auto file = args.Get("config");
  if (!file) {
    std::cerr << "hcp export national --push: --config PUSH.json is required\n";
    return kExitUsage;
  }
  auto text = ReadFile(*file);
  if (!text) {
    PrintErrors(text.errors());
    return kExitUsage;
  }
  auto parsed_config = central::ParsePushConfig(*text);
  if (!parsed_config) {
    PrintErrors(parsed_config.errors());
    return kExitUsage;
  }
  central::PushConfig config = std::move(parsed_config).value();
  Errors errors;
  if (auto d = args.Get("direction")) config.direction = ParseDirection(*d, errors);
  if (auto m = args.Get("mapping")) config.mapping = *m;
  auto mapping = LoadMapping(config.mapping, config.direction);
  if (!mapping) errors.insert(errors.end(), mapping.errors().begin(), mapping.errors().end());
  if (!errors.empty()) {
    PrintErrors(errors);
    return kExitUsage;
  }
  int code = kExitOk;
  auto centre = OpenCentre("export", CentreArgs(args), code);
  if (!centre) return code;
  auto report = central::PushNational(*centre->store, config, *mapping, centre->calendar, centre->limits,
                                      [](int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); });
  if (!report) {
    PrintErrors(report.errors());
    return kExitStore;
  }
  static const char* kStops[] = {"done", "record", "refused", "exhausted"};
  std::cout << Dump(Json{{"name", config.name}, {"acked", report->acked}, {"batches", report->batches},
                         {"rows", report->rows}, {"failed_attempts", report->failed_attempts},
                         {"stop", std::string(kStops[static_cast<int>(report->stop)])}})
            << "\n";
  if (!report->errors.empty()) PrintErrors(report->errors);
  switch (report->stop) {
    case central::PushStop::Done: return kExitOk;
    case central::PushStop::Record: return kExitRecord;
    default: return kExitDelivery;
  }
  return kExitDelivery;
}

int ToFile(const ParsedArgs& args) {
  Errors errors;
  int64_t since = 0, max_rows = INT64_MAX;
  if (!ParseCount(args.Get("since").value_or(""), since))
    errors.push_back(MakeError("export.field_invalid", "since", "--since: the watermark, a whole number from 0"));
  if (auto m = args.Get("max-rows"); m && (!ParseCount(*m, max_rows) || max_rows == 0))
    errors.push_back(MakeError("export.field_invalid", "max-rows", "--max-rows: a whole number from 1"));
  const std::string format = args.Get("format").value_or("");
  if (format != "jsonl" && format != "csv")
    errors.push_back(MakeError("report.format_unknown", "format", format.empty() ? "(none): jsonl or csv" : format));
  const auto out = args.Get("out");
  if (!out || out->empty()) errors.push_back(MakeError("export.field_invalid", "out", "--out FILE is required"));
  std::optional<CodeDirection> direction;
  if (auto d = args.Get("direction")) direction = ParseDirection(*d, errors);
  auto mapping = LoadMapping(args.Get("mapping").value_or(""), direction);
  if (!mapping) errors.insert(errors.end(), mapping.errors().begin(), mapping.errors().end());
  if (!errors.empty()) {
    PrintErrors(errors);
    return kExitUsage;
  }
  int code = kExitOk;
  auto centre = OpenCentre("export", args, code);
  if (!centre) return code;
  auto upto = centre->store->StampExportSequence();
  if (!upto) {
    PrintErrors(upto.errors());
    return kExitStore;
  }
  // Written as it is read, a page at a time: a million ratings never sit in memory.
  OutputFile file(*out);
  std::string error;
  if (!file.Open(error)) {
    std::cerr << "hcp export: " << error << "\n";
    return kExitOutput;
  }
  if (format == "csv") file.Write(NationalCsvHeader());
  int64_t next = since, rows = 0;
  Errors failed;
  constexpr int64_t kPage = 1000;
  while (rows < max_rows) {
    auto chunk = central::ReadFeed(*centre->store, next, *upto, std::min(kPage, max_rows - rows), *mapping,
                                   centre->calendar, centre->limits);
    if (!chunk) {
      PrintErrors(chunk.errors());
      return kExitStore;
    }
    for (const auto& row : chunk->rows) file.Write(format == "csv" ? NationalCsvLine(row) : NationalJsonLine(row));
    rows += static_cast<int64_t>(chunk->rows.size());
    next = chunk->last;
    if (chunk->stopped) {
      failed = chunk->errors;
      break;
    }
    if (chunk->rows.empty()) break;
  }
  if (!file.Commit(error)) {
    std::cerr << "hcp export: " << error << "\n";
    return kExitOutput;
  }
  const std::string summary = Dump(Json{{"since", since}, {"next", next}, {"rows", rows}});
  if (*out == "-") std::cerr << summary << "\n";
  else std::cout << summary << "\n";
  if (!failed.empty()) {
    PrintErrors(failed);
    return kExitRecord;
  }
  return kExitOk;
}

}  // namespace

int ExportCommand(const Args& args) {
  std::vector<std::string> known = {"since", "format", "out", "max-rows", "direction", "mapping"};
  known.insert(known.end(), kCentreOptions.begin(), kCentreOptions.end());
  auto parsed = ParseArgs(args, known, {"push"});
  if (!parsed) return kExitUsage;
  if (parsed->help) {
    std::cout << kHelp;
    return kExitOk;
  }
  if (parsed->positional.size() != 1 || parsed->positional[0] != "national") {
    std::cerr << kHelp;
    return kExitUsage;
  }
  const bool push = std::any_of(parsed->options.begin(), parsed->options.end(), [](const auto& kv) { return kv.first == "push"; });
  return push ? Push(*parsed) : ToFile(*parsed);
}

}  // namespace hcp::cli
