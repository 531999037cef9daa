#pragma once
// Subcommands of `hcp`. Each takes the arguments after its own name and returns the exit code:
// 0 success, 1 the input was understood and is wrong (invalid rating, illegal event), 2 usage error.
#include <string>
#include <vector>

namespace hcp::cli {

using Args = std::vector<std::string>;

int CalendarCommand(const Args& args);
int RatingCommand(const Args& args);
int CaseCommand(const Args& args);
int KeygenCommand(const Args& args);
int TicketCommand(const Args& args);
int EdgeCommand(const Args& args);
int CentralCommand(const Args& args);
int DemoCommand(const Args& args);
int AdminCommand(const Args& args);  // units, back-office users and roles (issue 6 part B)
int ReportCommand(const Args& args);  // the monthly and annual 通报 from the store (issue 7)
int SampleCommand(const Args& args);  // the return-visit sample as survey to-dos (issue 7)
int ExportCommand(const Args& args);  // the national-platform export, to a file or pushed (issue 7)

}  // namespace hcp::cli
