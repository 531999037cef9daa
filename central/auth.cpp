#include "auth.h"

#include <sodium.h>

#include <mutex>

#include "random_text.h"
#include "ticket/keys.h"

namespace hcp::central {
namespace {

// A hash of a password nobody knows, checked when the user does not exist (equal work).
const std::string& DecoyHash() {
  static const std::string hash = [] {
    auto h = HashPassword(RandomBase62(32));
    return h ? *h : std::string();
  }();
  return hash;
}

}  // namespace

Result<std::string> HashPassword(std::string_view password) {
  EnsureSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return MakeError("server.internal");
  return std::string(out);
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  EnsureSodium();
  if (hash.empty()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string HashSessionToken(std::string_view token) {
  EnsureSodium();
  unsigned char hash[32];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr, 0);
  char hex[sizeof hash * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return hex;
}

Result<SignedIn> Auth::Login(const std::string& user, const std::string& password, int64_t now_ms) {
  auto found = store_.FindUser(user);
  if (!found) return found.errors();
  if (!*found) {
    VerifyPassword(DecoyHash(), password);
    return MakeError("auth.login_failed");
  }
  const UserRecord& u = **found;
  // The password is checked even for a disabled user: the answer and its time are the same.
  const bool password_ok = VerifyPassword(u.password_hash, password);
  if (!password_ok || u.disabled) return MakeError("auth.login_failed");
  SignedIn in;
  in.token = RandomBase62(43);
  in.session.token_hash = HashSessionToken(in.token);
  in.session.user = u.name;
  in.session.csrf_token = RandomBase62(43);
  in.session.created_at_ms = now_ms;
  in.session.expires_at_ms = now_ms + config_.session_seconds * 1000;
  in.actor = Actor{u.name, u.role, u.unit};
  auto added = store_.AddSession(in.session);
  if (!added) return added.errors();
  return in;
}

Result<bool> Auth::Logout(const std::string& token) {
  if (token.empty()) return false;
  return store_.DeleteSession(HashSessionToken(token));
}

Result<SignedIn> Auth::Resolve(const std::string& token, int64_t now_ms) {
  if (token.empty()) return MakeError("auth.session_required");
  const std::string hash = HashSessionToken(token);
  auto session = store_.FindSession(hash);
  if (!session) return session.errors();
  if (!*session) return MakeError("auth.session_required");
  if ((*session)->expires_at_ms <= now_ms) {
    store_.DeleteSession(hash);  // best effort: an expired row is useless either way
    return MakeError("auth.session_required");
  }
  auto user = store_.FindUser((*session)->user);
  if (!user) return user.errors();
  if (!*user || (*user)->disabled) return MakeError("auth.session_required");
  SignedIn in;
  in.session = **session;
  in.actor = Actor{(*user)->name, (*user)->role, (*user)->unit};
  return in;
}

bool Auth::CsrfMatches(const SessionRecord& session, std::string_view presented) {
  if (session.csrf_token.empty() || presented.size() != session.csrf_token.size()) return false;
  return sodium_memcmp(session.csrf_token.data(), presented.data(), presented.size()) == 0;
}

}  // namespace hcp::central
