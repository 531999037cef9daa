// The centre's store on SQLite: every SQL statement of this backend is in this file.
#include <filesystem>
#include <mutex>

#include "central_store.h"
#include "sqlite_db.h"

namespace hcp::central {
namespace {

const std::vector<std::string_view> kMigrations = {
    R"sql(
CREATE TABLE ratings (
  id TEXT PRIMARY KEY,
  edge TEXT NOT NULL,
  case_id TEXT NOT NULL,
  assess INTEGER NOT NULL,
  kid TEXT NOT NULL,
  unit TEXT NOT NULL,
  unit_name TEXT NOT NULL,
  channel TEXT NOT NULL,
  satisfaction INTEGER NOT NULL,
  is_default INTEGER NOT NULL DEFAULT 0,
  excluded INTEGER NOT NULL DEFAULT 0,
  claims TEXT NOT NULL,
  rating TEXT NOT NULL,
  received_at_ms INTEGER NOT NULL,
  ingested_at_ms INTEGER NOT NULL,
  UNIQUE (case_id, assess)
);
CREATE INDEX ratings_unit ON ratings(unit);
CREATE TABLE rejected (
  id TEXT PRIMARY KEY,
  edge TEXT NOT NULL,
  case_id TEXT NOT NULL,
  assess INTEGER NOT NULL,
  reason TEXT NOT NULL,
  existing_id TEXT NOT NULL,
  claims TEXT NOT NULL,
  rating TEXT NOT NULL,
  received_at_ms INTEGER NOT NULL,
  ingested_at_ms INTEGER NOT NULL
)
)sql",
};

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

class SqliteStore : public CentralStore {
 public:
  explicit SqliteStore(std::unique_ptr<sql::Db> db) : db_(std::move(db)) {}

  Result<std::vector<IngestResult>> Ingest(const std::string& edge_kid, const std::vector<RelayedRating>& batch) override {
    std::lock_guard lock(mu_);
    if (!db_->Exec("BEGIN IMMEDIATE")) return Failure();
    std::vector<IngestResult> results;
    const int64_t now = NowMs();
    for (const auto& r : batch) {
      auto result = IngestOne(edge_kid, r, now);
      if (!result) {
        db_->Exec("ROLLBACK");
        return result.errors();
      }
      results.push_back(*result);
    }
    if (!db_->Exec("COMMIT")) {
      auto failure = Failure();
      db_->Exec("ROLLBACK");
      return failure;
    }
    return results;
  }

  Result<Summary> StatsSummary() override {
    std::lock_guard lock(mu_);
    Summary out;
    auto rows = db_->Prepare(
        "SELECT unit, unit_name, channel, satisfaction, is_default, excluded, count(*) FROM ratings "
        "GROUP BY unit, unit_name, channel, satisfaction, is_default, excluded ORDER BY unit");
    if (!rows) return Failure();
    std::map<std::string, size_t> unit_index;
    while (rows->Step() == SQLITE_ROW) {
      auto level = FromCode(static_cast<int>(rows->Int(3)), CodeDirection::Deployed);
      if (!level) continue;
      const RatingFacts facts{*level, rows->Int(4) != 0, rows->Int(5) != 0};
      const std::string unit = rows->Text(0);
      if (!unit_index.count(unit)) {
        unit_index[unit] = out.by_unit.size();
        out.by_unit.push_back(UnitFigures{unit, rows->Text(1), {}});
      }
      for (int64_t n = rows->Int(6); n > 0; --n) {
        out.all.Add(facts);
        out.by_unit[unit_index[unit]].tally.Add(facts);
        out.by_channel[rows->Text(2)].Add(facts);
      }
    }
    auto rejected = db_->Prepare("SELECT count(*) FROM rejected");
    if (!rejected || rejected->Step() != SQLITE_ROW) return Failure();
    out.rejected = rejected->Int(0);
    return out;
  }

  bool Healthy() override {
    std::lock_guard lock(mu_);
    auto s = db_->Prepare("SELECT 1");
    return s && s->Step() == SQLITE_ROW;
  }

 private:
  Error Failure() { return MakeError("server.unavailable", "", db_->LastError()); }

  Result<IngestResult> IngestOne(const std::string& edge_kid, const RelayedRating& r, int64_t now) {
    // The same id again (a batch replayed after a lost acknowledgement) answers as before.
    auto same = db_->Prepare("SELECT 1 FROM ratings WHERE id = ?");
    if (!same) return Failure();
    same->Bind(1, r.id);
    if (same->Step() == SQLITE_ROW) return IngestResult{r.id, IngestStatus::Stored, {}, {}};
    auto refused = db_->Prepare("SELECT reason, existing_id FROM rejected WHERE id = ?");
    if (!refused) return Failure();
    refused->Bind(1, r.id);
    if (refused->Step() == SQLITE_ROW) return IngestResult{r.id, IngestStatus::Rejected, refused->Text(0), refused->Text(1)};

    auto winner = db_->Prepare("SELECT id FROM ratings WHERE case_id = ? AND assess = ?");
    if (!winner) return Failure();
    winner->Bind(1, r.case_id).Bind(2, static_cast<int64_t>(r.assess));
    if (winner->Step() == SQLITE_ROW) {
      const std::string existing = winner->Text(0);
      auto insert = db_->Prepare(
          "INSERT INTO rejected (id, edge, case_id, assess, reason, existing_id, claims, rating, received_at_ms, "
          "ingested_at_ms) VALUES (?, ?, ?, ?, 'rating.already_rated', ?, ?, ?, ?, ?)");
      if (!insert) return Failure();
      insert->Bind(1, r.id).Bind(2, edge_kid).Bind(3, r.case_id).Bind(4, static_cast<int64_t>(r.assess));
      insert->Bind(5, existing).Bind(6, r.claims_json).Bind(7, r.rating_json).Bind(8, r.received_at_ms).Bind(9, now);
      if (insert->Step() != SQLITE_DONE) return Failure();
      return IngestResult{r.id, IngestStatus::Rejected, "rating.already_rated", existing};
    }
    auto insert = db_->Prepare(
        "INSERT INTO ratings (id, edge, case_id, assess, kid, unit, unit_name, channel, satisfaction, claims, rating, "
        "received_at_ms, ingested_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert) return Failure();
    insert->Bind(1, r.id).Bind(2, edge_kid).Bind(3, r.case_id).Bind(4, static_cast<int64_t>(r.assess)).Bind(5, r.kid);
    insert->Bind(6, r.unit).Bind(7, r.unit_name).Bind(8, r.channel).Bind(9, static_cast<int64_t>(r.satisfaction));
    insert->Bind(10, r.claims_json).Bind(11, r.rating_json).Bind(12, r.received_at_ms).Bind(13, now);
    if (insert->Step() != SQLITE_DONE) return Failure();
    return IngestResult{r.id, IngestStatus::Stored, {}, {}};
  }

  std::mutex mu_;
  std::unique_ptr<sql::Db> db_;
};

}  // namespace

std::unique_ptr<CentralStore> OpenSqliteStore(const std::string& data_dir, std::string& error) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    error = "cannot create the data folder " + data_dir + ": " + ec.message();
    return nullptr;
  }
  auto db = sql::Db::Open((std::filesystem::path(data_dir) / "central.db").string(), {}, error);
  if (!db || !sql::Migrate(*db, kMigrations, error)) return nullptr;
  return std::make_unique<SqliteStore>(std::move(db));
}

}  // namespace hcp::central
