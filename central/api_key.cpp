#include "api_key.h"

#include <sodium.h>

#include "random_text.h"
#include "ticket/keys.h"

namespace hcp::central {

std::string NewApiKey() { return std::string(kApiKeyPrefix) + RandomBase62(43); }

std::string HashApiKey(std::string_view key) {
  EnsureSodium();
  unsigned char hash[32];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(key.data()), key.size(), nullptr, 0);
  char hex[sizeof hash * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return hex;
}

}  // namespace hcp::central
