#pragma once
// The centre's admin token (Bearer token of the admin API), kept in DATA/admin.token.
#include <string>

namespace hcp::cli {

// Reads DATA/admin.token, or creates it: random, created with mode 0600 (never readable by
// others, not even for a moment), so only the operator can read it.
std::string AdminToken(const std::string& data_dir);

}  // namespace hcp::cli
