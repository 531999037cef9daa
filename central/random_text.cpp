#include "random_text.h"

#include <sodium.h>

#include "ticket/keys.h"

namespace hcp::central {

std::string RandomBase62(size_t chars) {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  EnsureSodium();
  std::string out(chars, '0');
  for (auto& c : out) c = kAlphabet[randombytes_uniform(62)];
  return out;
}

}  // namespace hcp::central
