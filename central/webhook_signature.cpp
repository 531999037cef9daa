#include "webhook_signature.h"

#include <sodium.h>

namespace hcp::central {

std::string WebhookHmacHex(std::string_view secret, std::string_view timestamp, std::string_view body) {
  // The streaming API takes a key of any length, as HMAC does (RFC 2104), so any language's
  // HMAC-SHA256 with the secret's bytes as key checks it; crypto_auth_hmacsha256() alone would
  // insist on a 32-byte key.
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(timestamp.data()), timestamp.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>("."), 1);
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()), body.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  char hex[2 * crypto_auth_hmacsha256_BYTES + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return hex;
}

std::string WebhookSignature(std::string_view secret, std::string_view timestamp, std::string_view body) {
  return "v1=" + WebhookHmacHex(secret, timestamp, body);
}

bool VerifyWebhookSignature(std::string_view secret, std::string_view timestamp, std::string_view body,
                            std::string_view header) {
  const std::string expected = WebhookSignature(secret, timestamp, body);
  return header.size() == expected.size() && sodium_memcmp(header.data(), expected.data(), expected.size()) == 0;
}

}  // namespace hcp::central
