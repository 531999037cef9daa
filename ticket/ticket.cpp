#include "ticket/ticket.h"

#include <sodium.h>

#include <algorithm>

#include "hcp/wire.h"

namespace hcp {
namespace {

// One message for every shape problem (a citizen cannot act on the detail); the field says which
// part is wrong, for integrators and logs.
Error Malformed(std::string field) { return MakeError("ticket.malformed", std::move(field)); }

bool Printable(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

}  // namespace

Result<std::string> SealContact(std::string_view contact, const SealPublicKey& to) {
  EnsureSodium();
  if (contact.empty() || contact.size() > kMaxClearContactBytes)
    return MakeError("ticket.seal_failed", "evaluator.phone",
                     "the contact must be 1 to " + std::to_string(kMaxClearContactBytes) + " bytes");
  std::string sealed(contact.size() + crypto_box_SEALBYTES, '\0');
  if (crypto_box_seal(reinterpret_cast<unsigned char*>(sealed.data()),
                      reinterpret_cast<const unsigned char*>(contact.data()), contact.size(), to.bytes.data()) != 0)
    return MakeError("ticket.seal_failed", "evaluator.phone", "crypto_box_seal failed");
  return Base64UrlEncode(sealed);
}

Result<std::string> OpenContact(std::string_view sealed_b64, const SealKeyPair& keys) {
  EnsureSodium();
  const auto sealed = Base64UrlDecode(sealed_b64);
  if (!sealed || sealed->size() <= crypto_box_SEALBYTES)
    return MakeError("ticket.open_failed", "evaluator.contact", "not a sealed contact (base64url of crypto_box_seal)");
  std::string clear(sealed->size() - crypto_box_SEALBYTES, '\0');
  if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(clear.data()),
                           reinterpret_cast<const unsigned char*>(sealed->data()), sealed->size(),
                           keys.pub.bytes.data(), keys.secret.data()) != 0)
    return MakeError("ticket.open_failed", "evaluator.contact", " sealed to another key, or damaged");
  return clear;
}

Result<std::string> IssueTicket(nlohmann::json claims, const SigningKey& key,
                                const std::optional<SealPublicKey>& seal_to) {
  if (!claims.is_object()) return MakeError("ticket.claims_invalid", "", "claims must be a JSON object");
  claims["kid"] = key.pub.kid;
  if (auto ev = claims.find("evaluator"); ev != claims.end() && ev->is_object() && ev->contains("phone")) {
    const auto& phone = (*ev)["phone"];
    if (!phone.is_string()) return MakeError("ticket.claims_invalid", "evaluator.phone", "must be a string");
    if (ev->contains("contact"))
      return MakeError("ticket.claims_invalid", "evaluator.contact", "give evaluator.phone or evaluator.contact, not both");
    if (!seal_to)
      return MakeError("ticket.seal_failed", "evaluator.phone",
                       "no seal key: a phone number never travels in clear (hcp ticket issue --seal-to DIR/seal.pub)");
    auto sealed = SealContact(phone.get_ref<const std::string&>(), *seal_to);
    if (!sealed) return sealed.errors();
    (*ev)["contact"] = *sealed;
    ev->erase("phone");
  }
  auto parsed = ParseTicketClaims(claims);
  if (!parsed) return parsed.errors();

  EnsureSodium();
  std::string ticket = std::string(kTicketPrefix) + Base64UrlEncode(Dump(TicketClaimsToJson(*parsed)));
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(ticket.data()), ticket.size(),
                       key.secret.data());
  ticket += '.';
  ticket += Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(sig), sizeof sig));
  if (ticket.size() > kMaxTicketChars)
    return MakeError("ticket.claims_invalid", "",
                     "the ticket would be longer than " + std::to_string(kMaxTicketChars) + " characters; shorten the names");
  return ticket;
}

Result<TicketClaims> TicketVerifier::Verify(std::string_view ticket, int64_t now_unix) const {
  EnsureSodium();
  if (ticket.size() > kMaxTicketChars) return Malformed("ticket");
  if (!ticket.starts_with(kTicketPrefix)) return Malformed("ticket");
  const size_t dot = ticket.find('.', kTicketPrefix.size());
  if (dot == std::string_view::npos) return Malformed("ticket");
  const std::string_view signed_part = ticket.substr(0, dot);
  const std::string_view payload_b64 = signed_part.substr(kTicketPrefix.size());
  const std::string_view sig_b64 = ticket.substr(dot + 1);
  if (payload_b64.empty() || sig_b64.find('.') != std::string_view::npos) return Malformed("ticket");
  const auto payload = Base64UrlDecode(payload_b64);
  if (!payload) return Malformed("ticket.payload");
  const auto sig = Base64UrlDecode(sig_b64);
  if (!sig || sig->size() != crypto_sign_BYTES) return Malformed("ticket.signature");

  // Only the kid is read before the signature is checked; ParseJson bounds depth and UTF-8 first.
  auto json = ParseJson(*payload);
  if (!json || !json->is_object()) return Malformed("ticket.payload");
  const auto kid = json->find("kid");
  if (kid == json->end() || !kid->is_string()) return Malformed("kid");
  const auto& kid_text = kid->get_ref<const std::string&>();
  const auto key = keys_.find(kid_text);
  if (key == keys_.end()) {
    const bool echo = kid_text.size() <= 32 && Printable(kid_text);
    return MakeError("ticket.unknown_key", "kid", echo ? std::string_view(kid_text) : std::string_view("?"));
  }
  if (crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig->data()),
                                  reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size(),
                                  key->second.bytes.data()) != 0)
    return MakeError("ticket.bad_signature", "ticket");

  auto claims = ParseTicketClaims(*json);
  if (!claims) return claims.errors();
  if (claims->exp_unix <= now_unix) return MakeError("ticket.expired", "exp");
  return claims;
}

}  // namespace hcp
