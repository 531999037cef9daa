#pragma once
// Signing back-office users in and out (issue 6), apart from HTTP: passwords, sessions, CSRF.
// - Passwords: argon2id through libsodium's crypto_pwhash_str with the INTERACTIVE limits (64 MiB,
//   2 passes; ~0.1 s here): the hash text carries its own salt and parameters.
// - Sessions: 256 random bits in the cookie; the store keeps only its BLAKE2b hash, so a copy of
//   the database signs nobody in. Each session has an absolute expiry and its own CSRF token.
// - CSRF: a synchronizer token. Login (and GET /api/v1/me) hand it to the page; every unsafe
//   request sends it back in X-CSRF-Token and it must equal the session's. SameSite=Strict on the
//   cookie is a second, independent line.
// The clock is a parameter (now_ms), so expiry is tested without waiting.
#include <cstdint>
#include <string>
#include <string_view>

#include "access.h"
#include "central_store.h"
#include "hcp/result.h"

namespace hcp::central {

inline constexpr size_t kMinPasswordBytes = 10;

// crypto_pwhash_str (argon2id, INTERACTIVE limits). server.internal when libsodium runs out of memory.
Result<std::string> HashPassword(std::string_view password);
bool VerifyPassword(const std::string& hash, std::string_view password);
// Lowercase hex BLAKE2b-256 of a session token.
std::string HashSessionToken(std::string_view token);

struct AuthConfig {
  int64_t session_seconds = 8 * 3600;  // a working day; sign in again after it
};

struct SignedIn {
  std::string token;  // the cookie's value: only ever in the Set-Cookie header, never logged
  SessionRecord session;
  Actor actor;
};

class Auth {
 public:
  Auth(CentralStore& store, AuthConfig config) : store_(store), config_(config) {}

  // auth.login_failed alike for an unknown user, a wrong password and a disabled user; an unknown
  // user costs the same argon2id work as a known one, so timing does not tell them apart.
  Result<SignedIn> Login(const std::string& user, const std::string& password, int64_t now_ms);
  // Ends the session of `token` (true when there was one).
  Result<bool> Logout(const std::string& token);
  // The live session behind `token` and its actor; auth.session_required when there is none, it
  // expired (it is then deleted) or its user was disabled. `token` is empty in the answer.
  Result<SignedIn> Resolve(const std::string& token, int64_t now_ms);
  // Constant-time comparison of the presented CSRF token with the session's.
  static bool CsrfMatches(const SessionRecord& session, std::string_view presented);

 private:
  CentralStore& store_;
  AuthConfig config_;
};

}  // namespace hcp::central
