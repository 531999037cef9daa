#pragma once
// The CLI's I/O: the shared core reads no files, so loading data and reporting errors lives here.
#include <optional>
#include <string>
#include <vector>

#include "hcp/calendar.h"
#include "hcp/catalogue.h"
#include "hcp/result.h"

namespace hcp::cli {

Result<std::string> ReadFile(const std::string& path);
std::string ReadStdin();

// The compiled-in years, then every YYYY.json in `dir` (a newer notice replaces a compiled year),
// so a calendar can be updated without a rebuild.
Result<WorkingCalendar> LoadCalendar(const std::optional<std::string>& dir);
// The compiled-in default catalogue, or the given file.
Result<ReasonCatalogue> LoadCatalogue(const std::optional<std::string>& file);

// "--name value" and "--name=value" options; returns the remaining positional arguments.
// Unknown options are a usage error, reported as text on stderr.
struct ParsedArgs {
  std::vector<std::string> positional;
  std::vector<std::pair<std::string, std::string>> options;
  bool help = false;
  std::optional<std::string> Get(const std::string& name) const;
  std::vector<std::string> GetAll(const std::string& name) const;  // a repeatable option, in order
};
std::optional<ParsedArgs> ParseArgs(const std::vector<std::string>& args, const std::vector<std::string>& known,
                                    const std::vector<std::string>& flags = {});

// Prints "id: message / message_en" lines on stderr, e.g. for warnings and usage errors.
void PrintErrors(const Errors& errors, const char* prefix = "error");

}  // namespace hcp::cli
