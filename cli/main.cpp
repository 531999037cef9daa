// hcp: the one haochaping executable. Each subcommand is a thin adapter around the shared core.
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "commands.h"

namespace {

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const hcp::cli::Args&);
};

constexpr Command kCommands[] = {
    {"demo", "start a centre and an edge with demo keys and cases, and print where to open them", hcp::cli::DemoCommand},
    {"calendar", "working-day arithmetic with the State Council holiday calendar", hcp::cli::CalendarCommand},
    {"rating", "validate a rating exactly as the server would", hcp::cli::RatingCommand},
    {"case", "replay a bad-rating case through the closed-loop state machine", hcp::cli::CaseCommand},
    {"keygen", "create issuer, sealing and edge keys", hcp::cli::KeygenCommand},
    {"ticket", "issue or verify a signed real-name rating ticket", hcp::cli::TicketCommand},
    {"edge", "run the edge server that accepts citizens' ratings", hcp::cli::EdgeCommand},
    {"central", "run the centre that edges relay to, or print its statistics", hcp::cli::CentralCommand},
    {"admin", "units, back-office users and roles at the centre; import them from CSV", hcp::cli::AdminCommand},
    {"report", "the monthly or annual 通报 from the centre's store (html, csv, json)", hcp::cli::ReportCommand},
    {"sample", "draw the month's return-visit sample of evaluators, as survey to-dos for the units", hcp::cli::SampleCommand},
    {"export", "ratings in the national platform's field set, after a watermark or pushed", hcp::cli::ExportCommand},
};

void PrintHelp() {
  std::cout << "hcp: haochaping, the government-service 好差评 (good/bad rating) system\n\n"
               "usage: hcp <command> [arguments]     hcp <command> --help for details\n\ncommands:\n";
  for (const auto& c : kCommands) std::cout << "  " << c.name << std::string(10 - std::strlen(c.name), ' ') << c.summary << "\n";
  std::cout << "\nexit codes: 0 success, 1 the input is understood but wrong, 2 usage error\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0 ||
      std::strcmp(argv[1], "help") == 0) {
    PrintHelp();
    return argc < 2 ? 2 : 0;
  }
  if (std::strcmp(argv[1], "--version") == 0) {
    std::cout << "hcp " << HCP_VERSION << "\n";
    return 0;
  }
  for (const auto& c : kCommands) {
    if (std::strcmp(argv[1], c.name) == 0) return c.run(hcp::cli::Args(argv + 2, argv + argc));
  }
  std::cerr << "hcp: unknown command '" << argv[1] << "'\n\n";
  PrintHelp();
  return 2;
}
