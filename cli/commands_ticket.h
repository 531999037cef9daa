#pragma once
// Subcommands for evaluation tickets and their keys (libsodium: link hcp_ticket). Same contract as
// commands.h: the arguments after the command's name in, the exit code out.
#include "commands.h"

namespace hcp::cli {

int KeygenCommand(const Args& args);
int TicketCommand(const Args& args);

}  // namespace hcp::cli
