#pragma once
// Random base62 text from libsodium's CSPRNG, for secrets and codes people copy or type.
#include <string>

namespace hcp::central {

// `chars` characters, each uniform over [0-9A-Za-z] (randombytes_uniform: no modulo bias).
std::string RandomBase62(size_t chars);

}  // namespace hcp::central
