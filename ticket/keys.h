#pragma once
// Key material for evaluation tickets (libsodium, native only; the shared core stays crypto-free
// so it compiles to WASM). Three key pairs, each kept by a different party:
//   issuer  Ed25519: the integrating system signs tickets; edges trust its public key
//   seal    X25519 (crypto_box): the centre opens evaluators' sealed contacts; issuers seal to it
//   edge    Ed25519: an edge's identity towards the centre
// Key files are text: the standard, padded base64 of the raw 32 key bytes and a newline. A secret
// Ed25519 file holds the 32-byte seed (what Go's NewKeyFromSeed, PyNaCl's SigningKey and Java's
// Ed25519 libraries take), not libsodium's 64-byte secret key.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hcp/result.h"

namespace hcp {

using Key32 = std::array<uint8_t, 32>;

// Initialises libsodium once (idempotent, thread-safe). Every function here calls it; call it
// yourself before using libsodium directly.
void EnsureSodium();

// kid: the first 16 lowercase hex characters of SHA-256 over the raw 32-byte public key.
std::string KeyId(const Key32& public_key);

struct VerifyKey {  // Ed25519 public key
  Key32 bytes{};
  std::string kid;
};
struct SigningKey {  // Ed25519 secret key
  Key32 seed{};
  std::array<uint8_t, 64> secret{};  // libsodium's form: seed then public key
  VerifyKey pub;
};
struct SealPublicKey {  // X25519 public key
  Key32 bytes{};
};
struct SealKeyPair {
  SealPublicKey pub;
  Key32 secret{};
};

SigningKey SigningKeyFromSeed(const Key32& seed);
SigningKey GenerateSigningKey();
VerifyKey VerifyKeyFromBytes(const Key32& public_key);
SealKeyPair SealKeyPairFromSecret(const Key32& secret);
SealKeyPair GenerateSealKeyPair();

// Encodings: key files use standard padded base64; tickets use base64url without padding.
std::string EncodeKeyFile(const Key32& bytes);
// Surrounding whitespace is ignored; anything but exactly 32 bytes is `key.invalid` naming `source`.
Result<Key32> DecodeKeyFile(std::string_view text, std::string_view source);
std::string Base64UrlEncode(std::string_view bytes);
// Strict: URL-safe alphabet, no padding, no whitespace, zero trailing bits (one text per value).
std::optional<std::string> Base64UrlDecode(std::string_view text);

// Ed25519 detached signatures over arbitrary bytes (the edge signs its relay batches), base64url.
std::string SignDetached(std::string_view message, const SigningKey& key);
bool VerifyDetached(std::string_view message, std::string_view signature_b64url, const VerifyKey& key);

// Loading key files: `file.unreadable` or `key.invalid`.
Result<SigningKey> LoadSigningKey(const std::string& path);
Result<VerifyKey> LoadVerifyKey(const std::string& path);
Result<SealPublicKey> LoadSealPublicKey(const std::string& path);
Result<SealKeyPair> LoadSealKeyPair(const std::string& secret_path);

// Writes DIR/{issuer,seal,edge}.{key,pub}, creating DIR if needed. Secret files get mode 0600.
// Refuses (writing nothing) if any of the six files exists, unless `force`.
struct KeySetInfo {
  std::string issuer_kid;
  std::string edge_kid;
};
Result<KeySetInfo> WriteKeySet(const std::string& dir, bool force);

}  // namespace hcp
