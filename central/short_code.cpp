#include "short_code.h"

#include "random_text.h"

namespace hcp::central {

std::string NewShortCode() { return RandomBase62(kShortCodeChars); }

bool LooksLikeShortCode(std::string_view code) {
  if (code.empty() || code.size() > 32) return false;
  for (char c : code)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
  return true;
}

}  // namespace hcp::central
