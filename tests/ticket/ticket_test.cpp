#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <string>

#include "hcp/wire.h"
#include "ticket/keys.h"
#include "ticket/ticket.h"

namespace hcp {
namespace {

using Json = nlohmann::json;

// The test vector of docs/integration.md: seed bytes 0x01..0x20 and these claims. Ed25519 is
// deterministic, so this exact ticket is what every correct implementation produces. When written,
// an independent implementation (Python's `cryptography`, i.e. OpenSSL) produced the same bytes.
constexpr const char* kVectorClaims = R"({"case":"SR2026112000123","item":"000105001000",
  "item_name":"道路运输经营许可","unit":"11361100MB1234567X","unit_name":"上饶市交通运输局","area":"361100",
  "window":"A07","channel":"qr","finished_at":"2026-11-20T10:00:00+08:00","exp":"2026-12-20T10:00:00+08:00",
  "assess":1,"evaluator":{"sub":"u-7f3a9c","kind":"person","name":"张*"}})";
constexpr const char* kVectorPublicKey = "ebVWLo/mVPlAeLES6KmLp5AfhTrmlb7X4OORC60ElmQ=\n";  // issuer.pub
constexpr const char* kVectorKid = "65b60673d6ed884b";
constexpr const char* kVectorPayloadJson = R"({"area":"361100","assess":1,"case":"SR2026112000123","channel":"qr","evaluator":{"kind":"person","name":"张*","sub":"u-7f3a9c"},"exp":"2026-12-20T10:00:00+08:00","finished_at":"2026-11-20T10:00:00+08:00","item":"000105001000","item_name":"道路运输经营许可","kid":"65b60673d6ed884b","unit":"11361100MB1234567X","unit_name":"上饶市交通运输局","v":1,"window":"A07"})";
constexpr const char* kVectorTicket =
    "hcp1.eyJhcmVhIjoiMzYxMTAwIiwiYXNzZXNzIjoxLCJjYXNlIjoiU1IyMDI2MTEyMDAwMTIzIiwiY2hhbm5lbCI6InFyIiwiZXZ"
    "hbHVhdG9yIjp7ImtpbmQiOiJwZXJzb24iLCJuYW1lIjoi5bygKiIsInN1YiI6InUtN2YzYTljIn0sImV4cCI6IjIwMjYtMTItMjB"
    "UMTA6MDA6MDArMDg6MDAiLCJmaW5pc2hlZF9hdCI6IjIwMjYtMTEtMjBUMTA6MDA6MDArMDg6MDAiLCJpdGVtIjoiMDAwMTA1MDA"
    "xMDAwIiwiaXRlbV9uYW1lIjoi6YGT6Lev6L-Q6L6T57uP6JCl6K645Y-vIiwia2lkIjoiNjViNjA2NzNkNmVkODg0YiIsInVuaXQ"
    "iOiIxMTM2MTEwME1CMTIzNDU2N1giLCJ1bml0X25hbWUiOiLkuIrppbbluILkuqTpgJrov5DovpPlsYAiLCJ2IjoxLCJ3aW5kb3c"
    "iOiJBMDcifQ.Xcq9DxbK8ra1MR9KQ_0ZvWsx1dwwRqvNOHc-kTPBaFHEziY3smQ5rT2naGre_Ab76AGw2s-DTjHlG9QN9WcVDQ";

constexpr int64_t kFinished = 1795140000;  // 2026-11-20T10:00:00+08:00

Key32 VectorSeed() {
  Key32 seed;
  for (int i = 0; i < 32; ++i) seed[i] = static_cast<uint8_t>(i + 1);
  return seed;
}

Json Claims() { return Json::parse(kVectorClaims, nullptr, false); }

// Signs any payload bytes, bypassing IssueTicket's checks, to build tickets an issuer never would.
std::string SignRaw(std::string_view payload, const SigningKey& key) {
  std::string ticket = "hcp1." + Base64UrlEncode(payload);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(ticket.data()), ticket.size(),
                       key.secret.data());
  return ticket + "." + Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(sig), sizeof sig));
}

std::string PayloadOf(const std::string& ticket) {
  const size_t a = ticket.find('.'), b = ticket.rfind('.');
  return *Base64UrlDecode(ticket.substr(a + 1, b - a - 1));
}

std::string FirstId(const Result<TicketClaims>& r) { return r.ok() ? "ok" : r.errors()[0].id; }

class TicketTest : public ::testing::Test {
 protected:
  TicketTest() : key_(SigningKeyFromSeed(VectorSeed())), seal_(GenerateSealKeyPair()) { verifier_.Trust(key_.pub); }
  std::string Issue(Json claims) {
    auto t = IssueTicket(std::move(claims), key_, seal_.pub);
    EXPECT_TRUE(t.ok()) << t.errors()[0].id << " " << t.errors()[0].field << " " << t.errors()[0].message_en;
    return t.ok() ? *t : std::string();
  }
  SigningKey key_;
  SealKeyPair seal_;
  TicketVerifier verifier_;
};

TEST_F(TicketTest, MatchesTheDocumentedTestVector) {
  EXPECT_EQ(EncodeKeyFile(key_.pub.bytes), kVectorPublicKey);
  EXPECT_EQ(key_.pub.kid, kVectorKid);
  const std::string ticket = Issue(Claims());
  EXPECT_EQ(PayloadOf(ticket), kVectorPayloadJson);
  EXPECT_EQ(ticket, kVectorTicket);
  EXPECT_EQ(FirstId(verifier_.Verify(kVectorTicket, kFinished)), "ok");
}

TEST_F(TicketTest, RoundTripsEveryClaim) {
  auto r = verifier_.Verify(Issue(Claims()), kFinished + 3600);
  ASSERT_TRUE(r.ok()) << r.errors()[0].id;
  Json expected = Claims();
  expected["v"] = 1;
  expected["kid"] = key_.pub.kid;
  EXPECT_EQ(TicketClaimsToJson(*r), expected);
  EXPECT_EQ(r->channel, Channel::Qr);
  EXPECT_EQ(r->exp_unix, kFinished + 30 * 86400);
}

TEST_F(TicketTest, IsUrlSafeAndSmall) {
  Json claims = Claims();
  claims["evaluator"]["phone"] = "13800138000";
  const std::string ticket = Issue(claims);
  ASSERT_TRUE(ticket.starts_with("hcp1."));
  for (char c : ticket)
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') << c;
  EXPECT_LT(ticket.size(), 1000u);
}

TEST_F(TicketTest, KidIsTheStartOfSha256OfThePublicKey) {
  unsigned char hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(hash, key_.pub.bytes.data(), key_.pub.bytes.size());
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  EXPECT_EQ(key_.pub.kid, std::string(hex, 16));
  EXPECT_EQ(SigningKeyFromSeed(VectorSeed()).pub.kid, key_.pub.kid);
  EXPECT_EQ(VerifyKeyFromBytes(key_.pub.bytes).kid, key_.pub.kid);
  EXPECT_NE(GenerateSigningKey().pub.kid, key_.pub.kid);
}

TEST_F(TicketTest, IssueFillsTheKidFromTheKey) {
  Json claims = Claims();
  claims["kid"] = "ffffffffffffffff";
  auto r = verifier_.Verify(Issue(claims), kFinished);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->kid, key_.pub.kid);
}

TEST_F(TicketTest, IssueRefusesInvalidClaims) {
  Json claims = Claims();
  claims["assess"] = 3;
  claims.erase("case");
  auto t = IssueTicket(claims, key_, std::nullopt);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.errors().size(), 2u);
  EXPECT_EQ(t.errors()[0].id, "ticket.claims_invalid");
  EXPECT_EQ(IssueTicket(Json::array(), key_, std::nullopt).errors()[0].id, "ticket.claims_invalid");
  claims = Claims();
  claims["item_name"] = std::string();
  for (int i = 0; i < 128; ++i) claims["item_name"] = claims["item_name"].get<std::string>() + "𠀀";
  claims["unit_name"] = claims["item_name"];
  claims["case"] = claims["item_name"];
  claims["area"] = claims["item_name"];
  claims["window"] = claims["item_name"];
  claims["staff"] = claims["item_name"];
  auto long_ticket = IssueTicket(claims, key_, std::nullopt);
  ASSERT_FALSE(long_ticket.ok());
  EXPECT_NE(long_ticket.errors()[0].message_en.find("4096"), std::string::npos);
}

TEST_F(TicketTest, SealsAClearPhoneAndNeverCarriesItInClear) {
  Json claims = Claims();
  claims["evaluator"]["phone"] = "13800138000";
  const std::string ticket = Issue(claims);
  EXPECT_EQ(ticket.find("13800138000"), std::string::npos);
  const std::string payload = PayloadOf(ticket);
  EXPECT_EQ(payload.find("13800138000"), std::string::npos);
  EXPECT_EQ(payload.find("phone"), std::string::npos);

  auto r = verifier_.Verify(ticket, kFinished);
  ASSERT_TRUE(r.ok()) << r.errors()[0].id;
  ASSERT_FALSE(r->evaluator.contact.empty());
  auto contact = OpenContact(r->evaluator.contact, seal_);
  ASSERT_TRUE(contact.ok()) << contact.errors()[0].message_en;
  EXPECT_EQ(*contact, "13800138000");
}

TEST_F(TicketTest, SealingIsRandomisedAndOnlyTheCentreOpensIt) {
  auto a = SealContact("13800138000", seal_.pub);
  auto b = SealContact("13800138000", seal_.pub);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);  // the same phone gives unlinkable contacts
  EXPECT_EQ(*OpenContact(*a, seal_), "13800138000");
  EXPECT_EQ(*OpenContact(*b, SealKeyPairFromSecret(seal_.secret)), "13800138000");
  EXPECT_EQ(OpenContact(*a, GenerateSealKeyPair()).errors()[0].id, "ticket.open_failed");
  std::string damaged = *a;
  damaged[10] = damaged[10] == 'A' ? 'B' : 'A';
  EXPECT_EQ(OpenContact(damaged, seal_).errors()[0].id, "ticket.open_failed");
  EXPECT_EQ(OpenContact("not sealed", seal_).errors()[0].id, "ticket.open_failed");
  EXPECT_EQ(SealContact("", seal_.pub).errors()[0].id, "ticket.seal_failed");
}

TEST_F(TicketTest, APhoneWithoutASealKeyIsRefused) {
  Json claims = Claims();
  claims["evaluator"]["phone"] = "13800138000";
  auto t = IssueTicket(claims, key_, std::nullopt);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.errors()[0].id, "ticket.seal_failed");
  EXPECT_EQ(t.errors()[0].field, "evaluator.phone");
  claims["evaluator"]["contact"] = *SealContact("x@example.cn", seal_.pub);
  EXPECT_EQ(IssueTicket(claims, key_, seal_.pub).errors()[0].id, "ticket.claims_invalid");
  claims = Claims();
  claims["evaluator"]["id_card"] = "36110219900101123X";
  t = IssueTicket(claims, key_, seal_.pub);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.errors()[0].field, "evaluator.id_card");
  EXPECT_EQ(Dump(ErrorsToJson(t.errors())).find("36110219900101123X"), std::string::npos);
}

TEST_F(TicketTest, AcceptsAContactSealedElsewhere) {
  Json claims = Claims();
  claims["evaluator"]["contact"] = *SealContact("13800138000", seal_.pub);
  auto r = verifier_.Verify(Issue(claims), kFinished);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*OpenContact(r->evaluator.contact, seal_), "13800138000");
}

TEST_F(TicketTest, TamperedPayloadHasABadSignature) {
  const std::string ticket = Issue(Claims());
  Json forged = Json::parse(PayloadOf(ticket), nullptr, false);
  forged["case"] = "SR2026112000999";
  const size_t a = ticket.find('.'), b = ticket.rfind('.');
  const std::string tampered = ticket.substr(0, a + 1) + Base64UrlEncode(Dump(forged)) + ticket.substr(b);
  EXPECT_EQ(FirstId(verifier_.Verify(tampered, kFinished)), "ticket.bad_signature");
}

TEST_F(TicketTest, TamperedSignatureIsBad) {
  std::string ticket = Issue(Claims());
  const size_t at = ticket.rfind('.') + 20;
  ticket[at] = ticket[at] == 'A' ? 'B' : 'A';
  EXPECT_EQ(FirstId(verifier_.Verify(ticket, kFinished)), "ticket.bad_signature");
  // Another valid ticket's signature does not fit this payload either.
  Json other = Claims();
  other["assess"] = 2;
  const std::string a = Issue(Claims()), b = Issue(other);
  EXPECT_EQ(FirstId(verifier_.Verify(a.substr(0, a.rfind('.')) + b.substr(b.rfind('.')), kFinished)),
            "ticket.bad_signature");
}

TEST_F(TicketTest, AnotherIssuersTicketIsUnknownOrBad) {
  const SigningKey other = GenerateSigningKey();
  auto t = IssueTicket(Claims(), other, std::nullopt);
  ASSERT_TRUE(t.ok());
  auto r = verifier_.Verify(*t, kFinished);
  EXPECT_EQ(FirstId(r), "ticket.unknown_key");
  EXPECT_EQ(r.errors()[0].message_en.find(other.pub.kid) != std::string::npos, true);
  // Another key claiming our kid: the kid picks our key, whose signature check then fails.
  Json claims = Claims();
  claims["kid"] = key_.pub.kid;
  EXPECT_EQ(FirstId(verifier_.Verify(SignRaw(Dump(claims), other), kFinished)), "ticket.bad_signature");
  // Trusting several issuers works.
  verifier_.Trust(other.pub);
  EXPECT_EQ(FirstId(verifier_.Verify(*t, kFinished)), "ok");
  EXPECT_EQ(FirstId(TicketVerifier().Verify(*t, kFinished)), "ticket.unknown_key");
}

TEST_F(TicketTest, ExpiresAtExp) {
  const std::string ticket = Issue(Claims());
  const int64_t exp = kFinished + 30 * 86400;
  EXPECT_EQ(FirstId(verifier_.Verify(ticket, exp - 1)), "ok");
  EXPECT_EQ(FirstId(verifier_.Verify(ticket, exp)), "ticket.expired");
  EXPECT_EQ(FirstId(verifier_.Verify(ticket, exp + 86400)), "ticket.expired");
}

TEST_F(TicketTest, ChecksTheSignatureBeforeAnyClaim) {
  Json claims = Claims();
  claims["kid"] = key_.pub.kid;
  claims["assess"] = 9;
  const std::string bad_claims = SignRaw(Dump(claims), key_);
  EXPECT_EQ(FirstId(verifier_.Verify(bad_claims, kFinished)), "ticket.claims_invalid");
  const std::string forged = SignRaw(Dump(claims), GenerateSigningKey());
  EXPECT_EQ(FirstId(verifier_.Verify(forged, kFinished)), "ticket.bad_signature");
  // An expired ticket with a bad signature is a bad signature: expiry is a signed claim.
  std::string expired = Issue(Claims());
  expired[expired.rfind('.') + 5] ^= 1;
  EXPECT_EQ(FirstId(verifier_.Verify(expired, kFinished + 365 * 86400)), "ticket.bad_signature");
}

TEST_F(TicketTest, RefusesMalformedTickets) {
  const std::string good = Issue(Claims());
  const std::string payload = good.substr(5, good.rfind('.') - 5);
  const std::string sig = good.substr(good.rfind('.') + 1);
  const std::string cases[] = {
      "",
      "hcp1.",
      "hcp1..",
      "hcp1." + payload,
      "hcp1." + payload + ".",
      "hcp2." + payload + "." + sig,
      "HCP1." + payload + "." + sig,
      "hcp1." + payload + "." + sig + ".x",
      "hcp1." + payload + "=." + sig,             // padding
      "hcp1." + payload + "." + sig + "==",       // padding
      "hcp1." + payload + "." + sig.substr(4),    // 61 bytes
      "hcp1." + payload + "." + sig + "AAAA",     // 67 bytes
      "hcp1.+" + payload.substr(1) + "." + sig,   // standard, not URL-safe, alphabet
      " " + good,
      good + "\n",
      good + std::string(4096, 'A'),
      "hcp1." + Base64UrlEncode("not json") + "." + sig,
      "hcp1." + Base64UrlEncode("[1,2]") + "." + sig,
      "hcp1." + Base64UrlEncode(R"({"case":"x"})") + "." + sig,
      "hcp1." + Base64UrlEncode(R"({"kid":5})") + "." + sig,
      "hcp1." + Base64UrlEncode(std::string(40, '[')) + "." + sig,
      "hcp1." + Base64UrlEncode("{\"kid\":\"\xff\"}") + "." + sig,
  };
  for (const auto& t : cases) EXPECT_EQ(FirstId(verifier_.Verify(t, kFinished)), "ticket.malformed") << t.substr(0, 80);
  EXPECT_EQ(FirstId(verifier_.Verify(good, kFinished)), "ok");
}

TEST_F(TicketTest, RefusesEverySingleCharacterChange) {
  const std::string good = Issue(Claims());
  for (size_t i = 0; i < good.size(); ++i) {
    for (char c : {'A', 'g', '-', '.', '='}) {
      if (good[i] == c) continue;
      std::string t = good;
      t[i] = c;
      EXPECT_FALSE(verifier_.Verify(t, kFinished).ok()) << "position " << i << " -> " << c;
    }
    EXPECT_FALSE(verifier_.Verify(good.substr(0, i) + good.substr(i + 1), kFinished).ok()) << "without " << i;
  }
}

TEST(KeyFiles, EncodeAsPaddedBase64AndDecodeStrictly) {
  const Key32 seed = VectorSeed();
  const std::string text = EncodeKeyFile(seed);
  EXPECT_EQ(text, "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=\n");
  EXPECT_EQ(*DecodeKeyFile(text, "f"), seed);
  EXPECT_EQ(*DecodeKeyFile("  AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=\r\n", "f"), seed);
  for (const char* bad : {"", "AQID\n", "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA\n",
                          "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAh\n", "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHy_=\n"}) {
    auto r = DecodeKeyFile(bad, "issuer.key");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.errors()[0].id, "key.invalid");
  }
}

class KeySetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("hcp_ticket_test_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path(const char* name) const { return (dir_ / name).string(); }
  std::filesystem::path dir_;
};

TEST_F(KeySetTest, WritesSixFilesWithSecretsPrivate) {
  auto info = WriteKeySet(dir_.string(), false);
  ASSERT_TRUE(info.ok()) << info.errors()[0].message_en;
  for (const char* name : {"issuer.key", "seal.key", "edge.key"}) {
    struct stat st {};
    ASSERT_EQ(::stat(Path(name).c_str(), &st), 0) << name;
    EXPECT_EQ(st.st_mode & 0777, 0600u) << name;
  }
  for (const char* name : {"issuer.pub", "seal.pub", "edge.pub"}) EXPECT_TRUE(std::filesystem::exists(Path(name)));

  auto issuer = LoadSigningKey(Path("issuer.key"));
  auto issuer_pub = LoadVerifyKey(Path("issuer.pub"));
  ASSERT_TRUE(issuer.ok() && issuer_pub.ok());
  EXPECT_EQ(issuer->pub.bytes, issuer_pub->bytes);
  EXPECT_EQ(issuer_pub->kid, info->issuer_kid);
  EXPECT_EQ(LoadVerifyKey(Path("edge.pub"))->kid, info->edge_kid);
  EXPECT_EQ(LoadSigningKey(Path("edge.key"))->pub.kid, info->edge_kid);
  auto seal = LoadSealKeyPair(Path("seal.key"));
  auto seal_pub = LoadSealPublicKey(Path("seal.pub"));
  ASSERT_TRUE(seal.ok() && seal_pub.ok());
  EXPECT_EQ(seal->pub.bytes, seal_pub->bytes);

  // The files work together: issue with issuer.key + seal.pub, verify with issuer.pub, open with seal.key.
  Json claims = Claims();
  claims["evaluator"]["phone"] = "13800138000";
  auto ticket = IssueTicket(claims, *issuer, *seal_pub);
  ASSERT_TRUE(ticket.ok());
  TicketVerifier verifier;
  verifier.Trust(*issuer_pub);
  auto r = verifier.Verify(*ticket, kFinished);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*OpenContact(r->evaluator.contact, *seal), "13800138000");
}

TEST_F(KeySetTest, NeverOverwritesSilently) {
  ASSERT_TRUE(WriteKeySet(dir_.string(), false).ok());
  const auto seed = LoadSigningKey(Path("issuer.key"))->seed;
  auto again = WriteKeySet(dir_.string(), false);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.errors()[0].id, "file.exists");
  EXPECT_NE(again.errors()[0].message_en.find("--force"), std::string::npos);
  EXPECT_EQ(LoadSigningKey(Path("issuer.key"))->seed, seed);

  // One leftover file is enough to refuse, and nothing else is written.
  std::filesystem::remove(Path("issuer.key"));
  std::filesystem::remove(Path("issuer.pub"));
  EXPECT_FALSE(WriteKeySet(dir_.string(), false).ok());
  EXPECT_FALSE(std::filesystem::exists(Path("issuer.key")));

  std::filesystem::permissions(Path("seal.key"), std::filesystem::perms::owner_all | std::filesystem::perms::others_read);
  ASSERT_TRUE(WriteKeySet(dir_.string(), true).ok());
  EXPECT_NE(LoadSigningKey(Path("issuer.key"))->seed, seed);
  struct stat st {};
  ASSERT_EQ(::stat(Path("seal.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(KeySetTest, ReportsUnreadableAndInvalidKeyFiles) {
  EXPECT_EQ(LoadSigningKey(Path("missing.key")).errors()[0].id, "file.unreadable");
  std::filesystem::create_directories(dir_);
  std::ofstream(Path("bad.pub")) << "not a key\n";
  EXPECT_EQ(LoadVerifyKey(Path("bad.pub")).errors()[0].id, "key.invalid");
}

}  // namespace
}  // namespace hcp
