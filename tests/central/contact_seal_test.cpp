// Contact data is unsealed only at the centre: a ticket carries the evaluator's phone sealed to
// seal.pub; the edge stores and relays the sealed blob; the centre, with seal.key, opens it for
// the return visit; without the key nobody can.
#include <fstream>
#include <iterator>

#include "../edge/edge_test_support.h"
#include "central_server.h"
#include "contact_unsealer.h"
#include "sqlite_db.h"

namespace hcp::edge::testing {
namespace {

constexpr const char* kPhone = "13800138000";

std::string FolderBytes(const std::filesystem::path& dir) {
  std::string all;
  for (const auto& f : std::filesystem::directory_iterator(dir)) {
    if (!f.is_regular_file()) continue;
    std::ifstream in(f.path(), std::ios::binary);
    all.append(std::istreambuf_iterator<char>(in), {});
  }
  return all;
}

class ContactSealTest : public EdgeFixture {};

TEST_F(ContactSealTest, ThePhoneIsClearOnlyAtTheCentreWithItsSealKey) {
  const SealKeyPair seal = GenerateSealKeyPair();
  const SigningKey edge_key = GenerateSigningKey();
  // The centre first, so the edge's relay finds it.
  const auto centre_dir = TempDir("centre-seal");
  std::string error;
  auto store = central::OpenSqliteStore(centre_dir.string(), error);
  ASSERT_TRUE(store) << error;
  central::CentralConfig centre_config;
  centre_config.listen_port = 0;
  centre_config.seal = seal;
  central::CentralServer centre(centre_config, std::move(store), {edge_key.pub});
  ASSERT_TRUE(centre.Bind());
  std::thread centre_thread([&] { centre.Run(); });

  RelayConfig relay{"http://127.0.0.1:" + std::to_string(centre.port()), edge_key};
  relay.idle_poll_ms = 50;
  relay.backoff_min_ms = 50;
  EdgeConfig config;
  config.rate_per_second = 0;
  StartEdge(config, relay);

  // The integrating system issues the ticket with the phone sealed to the centre (hcp ticket issue).
  Json claims = Claims("SEAL-1");
  claims["evaluator"]["phone"] = kPhone;
  auto ticket = IssueTicket(claims, issuer_, seal.pub);
  ASSERT_TRUE(ticket);
  EXPECT_EQ(ticket->find(kPhone), std::string::npos);
  auto rated = Post({{"ticket", *ticket}, {"satisfaction", 1}, {"comment", "等了很久"}}, "seal-1");
  ASSERT_TRUE(rated);
  ASSERT_EQ(rated->status, 201) << rated->body;

  // Relayed: the centre holds the rating.
  for (int i = 0; i < 200 && server_->outbox().Backlog() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  ASSERT_EQ(server_->outbox().Backlog(), 0);

  // The edge's outbox (database and WAL) holds the sealed contact, never the phone in clear.
  const std::string outbox = FolderBytes(dir_);
  EXPECT_FALSE(outbox.empty());
  EXPECT_EQ(outbox.find(kPhone), std::string::npos) << "the edge's outbox holds the phone in clear";
  EXPECT_NE(outbox.find("SEAL-1"), std::string::npos) << "looked at the wrong files";

  // The centre with seal.key recovers it for the return visit.
  central::ContactUnsealer unsealer(seal);
  auto phone = unsealer.ContactFor(centre.store(), "SEAL-1", 1, central::ContactPurpose::ReturnVisit, "unit-officer-7");
  ASSERT_TRUE(phone) << phone.errors()[0].message_en;
  EXPECT_EQ(*phone, kPhone);
  // The opening left its row: who, why, when.
  auto trail = centre.store().ContactAccesses("SEAL-1", 1);
  ASSERT_TRUE(trail);
  ASSERT_EQ(trail->size(), 1u);
  EXPECT_EQ((*trail)[0].purpose, "return_visit");
  EXPECT_EQ((*trail)[0].actor, "unit-officer-7");
  EXPECT_GT((*trail)[0].at_ms, 0);

  // With another key (a centre without this seal.key) it cannot.
  central::ContactUnsealer stranger(GenerateSealKeyPair());
  auto refused = stranger.ContactFor(centre.store(), "SEAL-1", 1, central::ContactPurpose::ReturnVisit, "someone");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.errors()[0].id, "ticket.open_failed");
  // A case without a contact, or unknown, says so.
  auto none = unsealer.ContactFor(centre.store(), "NO-SUCH-CASE", 1, central::ContactPurpose::Reminder, "system");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.errors()[0].id, "contact.none");

  // No opening without its row: when the audit trail cannot be written, the contact stays sealed.
  {
    std::string open_error;
    auto db = sql::Db::Open((centre_dir / "central.db").string(), {}, open_error);
    ASSERT_TRUE(db) << open_error;
    ASSERT_TRUE(db->Exec("ALTER TABLE contact_access RENAME TO contact_access_gone")) << db->LastError();
  }
  auto unrecorded = unsealer.ContactFor(centre.store(), "SEAL-1", 1, central::ContactPurpose::ReturnVisit, "officer");
  ASSERT_FALSE(unrecorded);
  EXPECT_EQ(unrecorded.errors()[0].id, "server.unavailable");

  centre.Stop();
  centre_thread.join();
  EXPECT_EQ(FolderBytes(centre_dir).find(kPhone), std::string::npos) << "the centre stored the phone in clear";
  std::filesystem::remove_all(centre_dir);
}

}  // namespace
}  // namespace hcp::edge::testing
