// hcp calendar: working-day arithmetic from the command line (DOMAIN.md §3).
#include <cstdlib>
#include <iostream>

#include "cli_io.h"
#include "commands.h"

namespace hcp::cli {
namespace {

constexpr const char* kHelp = R"(usage: hcp calendar <command> [--calendar DIR] [--strict]

Working days count the State Council's holidays and make-up working days (调休上班).
"N 个工作日内" means N working days after the day of the event.

commands:
  add-workdays YYYY-MM-DD N   the N-th working day after the date (N < 0 counts back)
  is-workday YYYY-MM-DD       prints yes or no
  between A B                 working days after A up to and including B
  years                       the years with holiday data, and the notice each cites

options:
  --calendar DIR  also load DIR/*.json year files (replacing compiled-in years); see
                  shared/data/calendar/ for the format
  --strict        fail (exit 1) instead of warning when a year has no holiday data

A year without data is counted Monday to Friday, with a calendar.year_unknown warning on stderr.

examples:
  hcp calendar add-workdays 2026-09-30 2     # 2026-10-09 (National Day holiday skipped)
  hcp calendar is-workday 2026-10-10         # yes (make-up Saturday)
  hcp calendar between 2026-09-30 2026-10-09 # 2
)";

// Warnings go to stderr so stdout stays one clean answer for scripts.
template <class T>
bool Report(const CalendarAnswer<T>& a, bool strict) {
  if (a.exact()) return true;
  PrintErrors(a.Warnings(), strict ? "error" : "warning");
  return !strict;
}

bool ParseDate(const std::string& text, Date& out) {
  auto d = Date::Parse(text);
  if (!d) {
    PrintErrors(d.errors());
    return false;
  }
  out = *d;
  return true;
}

}  // namespace

int CalendarCommand(const Args& args) {
  auto parsed = ParseArgs(args, {"calendar"}, {"strict"});
  if (!parsed) return 2;
  if (parsed->help || parsed->positional.empty()) {
    std::cout << kHelp;
    return parsed->help ? 0 : 2;
  }
  auto cal = LoadCalendar(parsed->Get("calendar"));
  if (!cal) {
    PrintErrors(cal.errors());
    return 2;
  }
  const bool strict = parsed->Get("strict").has_value();
  const auto& pos = parsed->positional;
  const std::string& cmd = pos[0];
  auto usage = [&](const char* what) {
    std::cerr << "hcp calendar " << cmd << ": " << what << " (see hcp calendar --help)\n";
    return 2;
  };

  if (cmd == "add-workdays") {
    if (pos.size() != 3) return usage("needs a date and a number");
    Date d;
    if (!ParseDate(pos[1], d)) return 2;
    char* end = nullptr;
    const long n = std::strtol(pos[2].c_str(), &end, 10);
    if (pos[2].empty() || *end != '\0') return usage("N must be a whole number");
    auto r = cal->AddWorkingDays(d, static_cast<int>(std::max(-100000L, std::min(n, 100000L))));
    if (!r) {
      PrintErrors(r.errors());
      return 2;
    }
    if (!Report(*r, strict)) return 1;
    std::cout << r->value.ToString() << "\n";
    return 0;
  }
  if (cmd == "is-workday") {
    if (pos.size() != 2) return usage("needs one date");
    Date d;
    if (!ParseDate(pos[1], d)) return 2;
    auto r = cal->IsWorkingDay(d);
    if (!Report(r, strict)) return 1;
    std::cout << (r.value ? "yes" : "no") << "\n";
    return 0;
  }
  if (cmd == "between") {
    if (pos.size() != 3) return usage("needs two dates");
    Date a, b;
    if (!ParseDate(pos[1], a) || !ParseDate(pos[2], b)) return 2;
    auto r = cal->WorkingDaysBetween(a, b);
    if (!Report(r, strict)) return 1;
    std::cout << r.value << "\n";
    return 0;
  }
  if (cmd == "years") {
    for (int y : cal->Years()) std::cout << y << "\t" << cal->Year(y)->notice << "\n";
    return 0;
  }
  return usage("unknown command");
}

}  // namespace hcp::cli
