#pragma once
// What the operator commands that read the centre's store (hcp report, hcp sample, hcp export)
// share: which centre (--data DIR or --db URL, or --config FILE with the keys of docs/deploy.md),
// and the centre's working-day calendar and closed-loop limits, so a report counts deadlines
// exactly as the running centre does. Exit codes of these commands: docs/reports.md §11.
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "central_store.h"
#include "cli_io.h"
#include "hcp/calendar.h"
#include "hcp/case_machine.h"
#include "hcp/monthly_report.h"

namespace hcp::cli {

// Exit codes shared by hcp report, hcp sample and hcp export (docs/reports.md §11).
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 2;      // a missing or malformed option: nothing was read or written
inline constexpr int kExitOutput = 3;     // the output file cannot be written
inline constexpr int kExitStore = 4;      // the centre's store cannot be opened or read
inline constexpr int kExitRecord = 5;     // a rating cannot be exported with the mapping
inline constexpr int kExitDelivery = 6;   // push: the receiver refused a batch, or every retry failed

struct CentreAccess {
  std::unique_ptr<central::CentralStore> store;
  WorkingCalendar calendar;
  CaseLimits limits;
  ReportOptions report_options;  // the config file's "report" (defaults without one)
};

// The options it reads, to add to a command's own.
inline const std::vector<std::string> kCentreOptions = {"data", "db", "config", "calendar"};

// Opens the store (an SQLite file must exist already: a typo in --data must not create an empty
// centre) and loads calendar and limits. Prints what is wrong and answers the exit code otherwise.
std::optional<CentreAccess> OpenCentre(const std::string& command, const ParsedArgs& args, int& exit_code);

// An output written a piece at a time through PATH.tmp and renamed over PATH by Commit, so a
// reader never sees half a file and a large export never sits in memory; the temporary is removed
// when not committed. "-" is standard output.
class OutputFile {
 public:
  explicit OutputFile(std::string path) : path_(std::move(path)) {}
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  bool Open(std::string& error);  // before any work: an unwritable path fails early
  void Write(std::string_view text);
  bool Commit(std::string& error);

 private:
  std::string path_;
  std::ofstream out_;
  bool committed_ = false;
};

// Writes `content` to `path` through OutputFile. False with `error` set when it cannot.
bool WriteFileAtomically(const std::string& path, const std::string& content, std::string& error);

}  // namespace hcp::cli
