#pragma once
// Short codes for rating links (https://edge.example/r/<code>) that fit a QR code or an SMS.
// Unguessable: 11 base62 characters drawn uniformly by libsodium are 65.5 random bits, so walking
// codes finds nothing (and the link lookup is rate-limited besides).
#include <string>
#include <string_view>

namespace hcp::central {

inline constexpr size_t kShortCodeChars = 11;

std::string NewShortCode();
// Base62 and of a sane length: anything else cannot be a code and is not looked up.
bool LooksLikeShortCode(std::string_view code);

}  // namespace hcp::central
