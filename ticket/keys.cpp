#include "ticket/keys.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace hcp {
namespace {

std::string Base64(const uint8_t* data, size_t n, int variant) {
  std::string out(sodium_base64_ENCODED_LEN(n, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), data, n, variant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

// Full consumption is enforced by passing no end pointer; libsodium also rejects non-zero
// trailing bits, so each value has exactly one encoding.
std::optional<std::string> Unbase64(std::string_view text, int variant) {
  std::string out(text.size() * 3 / 4 + 3, '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &len, nullptr, variant) != 0)
    return std::nullopt;
  out.resize(len);
  return out;
}

Result<Key32> LoadKey(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("file.unreadable", "", path);
  std::ostringstream text;
  text << in.rdbuf();
  return DecodeKeyFile(text.str(), path);
}

// O_EXCL unless forced, so an existing secret is never replaced by accident; fchmod because a
// forced overwrite keeps the old file's mode otherwise.
std::optional<std::string> WriteFile(const std::string& path, const std::string& text, bool secret, bool force) {
  const mode_t mode = secret ? 0600 : 0644;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (force ? O_TRUNC : O_EXCL), mode);
  if (fd < 0) return path + ": " + std::strerror(errno);
  bool ok = ::fchmod(fd, mode) == 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  const int err = errno;
  ok = ::close(fd) == 0 && ok;
  if (!ok) return path + ": " + std::strerror(err);
  return std::nullopt;
}

}  // namespace

void EnsureSodium() {
  // sodium_init is idempotent and thread-safe; it fails only without a source of randomness,
  // where no key or seal could be made safely anyway.
  static const bool ready = sodium_init() >= 0;
  if (!ready) {
    std::fputs("hcp: libsodium could not be initialised\n", stderr);
    std::abort();
  }
}

std::string KeyId(const Key32& public_key) {
  EnsureSodium();
  uint8_t hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(hash, public_key.data(), public_key.size());
  char hex[2 * 8 + 1];
  sodium_bin2hex(hex, sizeof hex, hash, 8);
  return hex;
}

SigningKey SigningKeyFromSeed(const Key32& seed) {
  EnsureSodium();
  SigningKey k;
  k.seed = seed;
  crypto_sign_seed_keypair(k.pub.bytes.data(), k.secret.data(), seed.data());
  k.pub.kid = KeyId(k.pub.bytes);
  return k;
}

SigningKey GenerateSigningKey() {
  EnsureSodium();
  Key32 seed;
  randombytes_buf(seed.data(), seed.size());
  SigningKey k = SigningKeyFromSeed(seed);
  sodium_memzero(seed.data(), seed.size());
  return k;
}

VerifyKey VerifyKeyFromBytes(const Key32& public_key) { return VerifyKey{public_key, KeyId(public_key)}; }

SealKeyPair SealKeyPairFromSecret(const Key32& secret) {
  EnsureSodium();
  SealKeyPair k;
  k.secret = secret;
  crypto_scalarmult_base(k.pub.bytes.data(), secret.data());
  return k;
}

SealKeyPair GenerateSealKeyPair() {
  EnsureSodium();
  SealKeyPair k;
  crypto_box_keypair(k.pub.bytes.data(), k.secret.data());
  return k;
}

std::string EncodeKeyFile(const Key32& bytes) {
  EnsureSodium();
  return Base64(bytes.data(), bytes.size(), sodium_base64_VARIANT_ORIGINAL) + "\n";
}

Result<Key32> DecodeKeyFile(std::string_view text, std::string_view source) {
  EnsureSodium();
  const auto first = text.find_first_not_of(" \t\r\n");
  const auto last = text.find_last_not_of(" \t\r\n");
  const std::string_view b64 = first == std::string_view::npos ? std::string_view() : text.substr(first, last - first + 1);
  const auto raw = Unbase64(b64, sodium_base64_VARIANT_ORIGINAL);
  if (!raw || raw->size() != 32)
    return MakeError("key.invalid", "", std::string(source) + " (expected the base64 of 32 key bytes)");
  Key32 key;
  std::memcpy(key.data(), raw->data(), key.size());
  return key;
}

std::string Base64UrlEncode(std::string_view bytes) {
  EnsureSodium();
  return Base64(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  EnsureSodium();
  return Unbase64(text, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

Result<SigningKey> LoadSigningKey(const std::string& path) {
  auto seed = LoadKey(path);
  if (!seed) return seed.errors();
  return SigningKeyFromSeed(*seed);
}

Result<VerifyKey> LoadVerifyKey(const std::string& path) {
  auto key = LoadKey(path);
  if (!key) return key.errors();
  return VerifyKeyFromBytes(*key);
}

Result<SealPublicKey> LoadSealPublicKey(const std::string& path) {
  auto key = LoadKey(path);
  if (!key) return key.errors();
  return SealPublicKey{*key};
}

Result<SealKeyPair> LoadSealKeyPair(const std::string& secret_path) {
  auto key = LoadKey(secret_path);
  if (!key) return key.errors();
  return SealKeyPairFromSecret(*key);
}

Result<KeySetInfo> WriteKeySet(const std::string& dir, bool force) {
  const std::filesystem::path base(dir);
  const char* names[] = {"issuer.key", "issuer.pub", "seal.key", "seal.pub", "edge.key", "edge.pub"};
  std::error_code ec;
  if (!force) {
    for (const char* name : names)
      if (std::filesystem::exists(base / name, ec))
        return MakeError("file.exists", "", (base / name).string() + " (use --force to replace the keys)");
  }
  std::filesystem::create_directories(base, ec);
  if (ec) return MakeError("file.unwritable", "", dir + ": " + ec.message());

  const SigningKey issuer = GenerateSigningKey();
  const SealKeyPair seal = GenerateSealKeyPair();
  const SigningKey edge = GenerateSigningKey();
  const std::pair<const char*, const Key32*> files[] = {
      {"issuer.key", &issuer.seed}, {"issuer.pub", &issuer.pub.bytes}, {"seal.key", &seal.secret},
      {"seal.pub", &seal.pub.bytes}, {"edge.key", &edge.seed},          {"edge.pub", &edge.pub.bytes}};
  for (const auto& [name, key] : files) {
    const bool secret = std::string_view(name).ends_with(".key");
    if (auto err = WriteFile((base / name).string(), EncodeKeyFile(*key), secret, force))
      return MakeError("file.unwritable", "", *err);
  }
  return KeySetInfo{issuer.pub.kid, edge.pub.kid};
}

std::string SignDetached(std::string_view message, const SigningKey& key) {
  EnsureSodium();
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       key.secret.data());
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(sig), sizeof sig));
}

bool VerifyDetached(std::string_view message, std::string_view signature_b64url, const VerifyKey& key) {
  EnsureSodium();
  auto sig = Base64UrlDecode(signature_b64url);
  if (!sig || sig->size() != crypto_sign_BYTES) return false;
  return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig->data()),
                                     reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                     key.bytes.data()) == 0;
}

}  // namespace hcp
