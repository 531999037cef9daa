#pragma once
// API keys of integrating systems (网厅, apps, hall systems) for the case registry. The operator
// creates one per system (`hcp central apikey add`), which is printed once; the centre keeps only
// its hash. A key is 256 random bits, so a fast hash (BLAKE2b) is enough: there is nothing to
// brute-force, unlike a password.
#include <string>
#include <string_view>

namespace hcp::central {

inline constexpr std::string_view kApiKeyPrefix = "hcpk_";

// "hcpk_" and 43 base62 characters (256 bits).
std::string NewApiKey();
// Lowercase hex of BLAKE2b-256 over the key as given.
std::string HashApiKey(std::string_view key);

}  // namespace hcp::central
