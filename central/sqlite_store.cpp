// The centre's store on SQLite: every SQL statement of this backend is in this file.
#include <algorithm>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>

#include "central_store.h"
#include "centre_day.h"
#include "hcp/level.h"
#include "public_tally.h"
#include "sqlite_db.h"

namespace hcp::central {
namespace {

// Migration 9 (issue 7, the public figures at 10 million ratings): year-to-date rows per cell,
// filled from the day cells (public_tally.h); and the published bad ratings listed from one index
// in their page order that also holds every filter, so counting them reads that index only.
const std::string kToDateMigration = ToDateMigration("", kTallyColumnsOfMigration6) + R"sql(;
DROP INDEX public_cases_published;
CREATE INDEX public_cases_listed ON public_cases(is_public, upheld, day, rating_id, area, unit, hall, win, item)
)sql";
const std::string kListedMigration = ListedMigration("");

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
    // 2: the case registry (default ratings and reminders need finished_at, area, unit and the
    // sealed contact) and the integrating systems' API keys (hashes only).
    R"sql(
CREATE TABLE cases (
  case_id TEXT NOT NULL,
  assess INTEGER NOT NULL,
  unit TEXT NOT NULL,
  unit_name TEXT NOT NULL,
  area TEXT NOT NULL,
  channel TEXT NOT NULL,
  finished_at_unix INTEGER NOT NULL,
  contact TEXT NOT NULL,
  body TEXT NOT NULL,
  ticket TEXT NOT NULL,
  short_code TEXT UNIQUE,
  source TEXT NOT NULL,
  registered_at_ms INTEGER NOT NULL,
  PRIMARY KEY (case_id, assess)
);
CREATE INDEX cases_finished ON cases(finished_at_unix);
CREATE TABLE api_keys (
  name TEXT PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  created_at_ms INTEGER NOT NULL,
  revoked_at_ms INTEGER
)
)sql",
    // 3: who opened which evaluator's contact, and why.
    R"sql(
CREATE TABLE contact_access (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id TEXT NOT NULL,
  assess INTEGER NOT NULL,
  purpose TEXT NOT NULL,
  actor TEXT NOT NULL,
  at_ms INTEGER NOT NULL
);
CREATE INDEX contact_access_case ON contact_access(case_id, assess)
)sql",
    // 4 (issue 6 part B): units, back-office users, sessions, the append-only audit trail.
    R"sql(
CREATE TABLE units (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL
);
CREATE TABLE users (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL CHECK (role IN ('handler', 'reviewer', 'admin', 'auditor')),
  unit TEXT REFERENCES units(code),
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at_ms INTEGER NOT NULL,
  CHECK (role <> 'handler' OR unit IS NOT NULL)
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_name TEXT NOT NULL REFERENCES users(name),
  csrf_token TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_name);
CREATE TABLE audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at_ms INTEGER NOT NULL,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  unit TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  before TEXT NOT NULL,
  after TEXT NOT NULL
);
CREATE INDEX audit_object ON audit(object);
-- Append-only: the code has no UPDATE or DELETE of audit, and the schema refuses them too.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END
)sql",
    // 5 (issue 6 part A): the closed loop: a handling case per stored bad rating (opened in the
    // ingest transaction), its events (the shared case machine's), escalated deadlines, and good
    // ratings' text as suggestions to the unit.
    R"sql(
CREATE TABLE handling_cases (
  case_id TEXT NOT NULL,
  assess INTEGER NOT NULL,
  rating_id TEXT NOT NULL UNIQUE,
  unit TEXT NOT NULL,
  unit_name TEXT NOT NULL,
  satisfaction INTEGER NOT NULL,
  closed INTEGER NOT NULL DEFAULT 0,
  opened_at_ms INTEGER NOT NULL,
  PRIMARY KEY (case_id, assess)
);
CREATE INDEX handling_cases_unit ON handling_cases(unit, closed);
CREATE TABLE handling_events (
  case_id TEXT NOT NULL,
  assess INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  on_date TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  fields TEXT NOT NULL,
  by_user TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  PRIMARY KEY (case_id, assess, seq)
);
CREATE TABLE handling_escalations (
  case_id TEXT NOT NULL,
  assess INTEGER NOT NULL,
  due TEXT NOT NULL,
  flagged_on TEXT NOT NULL,
  PRIMARY KEY (case_id, assess, due)
);
CREATE TABLE suggestions (
  rating_id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL,
  assess INTEGER NOT NULL,
  unit TEXT NOT NULL,
  unit_name TEXT NOT NULL,
  satisfaction INTEGER NOT NULL,
  text TEXT NOT NULL,
  at_ms INTEGER NOT NULL
);
CREATE INDEX suggestions_unit ON suggestions(unit, at_ms)
)sql",
    // 6 (issue 7): the public figures, pre-aggregated so /api/v1/public/stats answers from a few
    // thousand rows whatever the number of ratings (docs/reports.md §10). Kept in the transaction
    // of ingest, of each closed-loop event and of each default rating. Every cell is there three
    // times: per day (grain 'D', period YYYY-MM-DD), month ('M', YYYY-MM) and year ('Y', YYYY),
    // so any range is a few whole years, months and days. l1..l5 count ratings by level
    // (1 = 非常不满意 … 5 = 非常满意), d1..d5 the system defaults among them; upheld: taken out by an
    // upheld appeal (in no other column). The case columns count bad ratings whose case is valid /
    // rectified / rectified on time / closed invalid. public_close_days is the histogram of working
    // days from rating to closing, for the median. public_cases holds what each bad rating counts
    // for now, so a closed-loop event applies the difference; `stale` = filled by the backfill,
    // the centre recomputes its case figures at start. public_backfill: a row = existing ratings
    // still to be counted (done by the store when it opens, one transaction).
    R"sql(
CREATE TABLE public_tally (
  grain TEXT NOT NULL,
  period TEXT NOT NULL,
  area TEXT NOT NULL,
  unit TEXT NOT NULL,
  hall TEXT NOT NULL,
  win TEXT NOT NULL,
  item TEXT NOT NULL,
  l1 BIGINT NOT NULL DEFAULT 0, l2 BIGINT NOT NULL DEFAULT 0, l3 BIGINT NOT NULL DEFAULT 0,
  l4 BIGINT NOT NULL DEFAULT 0, l5 BIGINT NOT NULL DEFAULT 0,
  d1 BIGINT NOT NULL DEFAULT 0, d2 BIGINT NOT NULL DEFAULT 0, d3 BIGINT NOT NULL DEFAULT 0,
  d4 BIGINT NOT NULL DEFAULT 0, d5 BIGINT NOT NULL DEFAULT 0,
  upheld BIGINT NOT NULL DEFAULT 0,
  valid_bad BIGINT NOT NULL DEFAULT 0,
  rectified BIGINT NOT NULL DEFAULT 0,
  on_time BIGINT NOT NULL DEFAULT 0,
  closed_invalid BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (grain, period, area, unit, hall, win, item)
);
CREATE TABLE public_close_days (
  grain TEXT NOT NULL,
  period TEXT NOT NULL,
  area TEXT NOT NULL,
  unit TEXT NOT NULL,
  hall TEXT NOT NULL,
  win TEXT NOT NULL,
  item TEXT NOT NULL,
  days INTEGER NOT NULL,
  cases BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (grain, period, area, unit, hall, win, item, days)
);
CREATE TABLE public_names (
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (kind, key)
);
CREATE TABLE public_cases (
  rating_id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL,
  assess INTEGER NOT NULL,
  day TEXT NOT NULL,
  area TEXT NOT NULL,
  unit TEXT NOT NULL,
  hall TEXT NOT NULL,
  win TEXT NOT NULL,
  item TEXT NOT NULL,
  satisfaction INTEGER NOT NULL,
  is_public INTEGER NOT NULL,
  valid_bad INTEGER NOT NULL DEFAULT 0,
  rectified INTEGER NOT NULL DEFAULT 0,
  on_time INTEGER NOT NULL DEFAULT 0,
  closed_invalid INTEGER NOT NULL DEFAULT 0,
  upheld INTEGER NOT NULL DEFAULT 0,
  close_days INTEGER NOT NULL DEFAULT -1,
  stale INTEGER NOT NULL DEFAULT 0,
  UNIQUE (case_id, assess)
);
CREATE INDEX public_cases_published ON public_cases(is_public, day);
CREATE TABLE public_backfill (pending INTEGER NOT NULL);
INSERT INTO public_backfill (pending) VALUES (1)
)sql",
    // 7 (issue 6): the outbox of messages to citizens (SMS) and to units' own systems (webhooks),
    // written in the transaction of the event they tell of (docs/notifications.md); units' webhook
    // URL and secret.
    R"sql(
CREATE TABLE outbox (
  id TEXT PRIMARY KEY,
  channel TEXT NOT NULL CHECK (channel IN ('sms', 'webhook')),
  case_id TEXT NOT NULL,
  assess INTEGER NOT NULL,
  unit TEXT NOT NULL,
  kind TEXT NOT NULL,
  body TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at_ms INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  sent_at_ms INTEGER,
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox(channel, state, next_at_ms);
CREATE INDEX outbox_case ON outbox(case_id, assess);
ALTER TABLE units ADD COLUMN webhook_url TEXT NOT NULL DEFAULT '';
ALTER TABLE units ADD COLUMN webhook_secret TEXT NOT NULL DEFAULT ''
)sql",
    // 8 (issue 7, reports): the export sequence (docs/reports.md §7: numbers given by one
    // serialised stamping step, so a reader that sees number n sees every number below it),
    // pages of ratings by time, the push mode's cursor, the monthly reports the centre made, the
    // return-visit samples and their survey to-dos per unit.
    R"sql(
ALTER TABLE ratings ADD COLUMN export_seq INTEGER;
CREATE UNIQUE INDEX ratings_export_seq ON ratings(export_seq);
CREATE INDEX ratings_received ON ratings(received_at_ms, id);
CREATE TABLE export_cursors (
  name TEXT PRIMARY KEY,
  acked INTEGER NOT NULL,
  pending_first INTEGER NOT NULL,
  pending_last INTEGER NOT NULL,
  pending_key TEXT NOT NULL,
  pending_body TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
CREATE TABLE reports (
  kind TEXT NOT NULL,
  period TEXT NOT NULL,
  as_of TEXT NOT NULL,
  html TEXT NOT NULL,
  csv TEXT NOT NULL,
  json TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  PRIMARY KEY (kind, period)
);
CREATE TABLE samples (
  month TEXT NOT NULL,
  seed TEXT NOT NULL,
  size INTEGER NOT NULL,
  population INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  PRIMARY KEY (month, seed)
);
CREATE TABLE survey_tasks (
  month TEXT NOT NULL,
  seed TEXT NOT NULL,
  position INTEGER NOT NULL,
  unit TEXT NOT NULL,
  unit_name TEXT NOT NULL,
  evaluator_id TEXT NOT NULL,
  rating_id TEXT NOT NULL,
  case_id TEXT NOT NULL,
  assess INTEGER NOT NULL,
  PRIMARY KEY (month, seed, position),
  FOREIGN KEY (month, seed) REFERENCES samples(month, seed)
);
CREATE INDEX survey_tasks_unit ON survey_tasks(unit, month)
)sql",
    kToDateMigration,  // 9: see above
    // 10 (issue 7): the published bad ratings counted per cell (`listed`, public_tally.h), so the
    // page's count is read with the figures instead of from the period's public_cases_listed entries.
    kListedMigration,
    // 11 (issue 7): the close-days histogram summed from its index alone (a whole year at 10 million
    // ratings is ~37,000 rows: read from the table, one visit per row, ten times the year's cells).
    R"sql(
CREATE INDEX public_close_days_summed ON public_close_days(grain, period, area, unit, hall, win, item, days, cases)
)sql",
    // 12: what is wrong with a rating refused as invalid (reason ingest.rating_invalid); '' for others.
    "ALTER TABLE rejected ADD COLUMN detail TEXT NOT NULL DEFAULT ''",
    // 13 (issue 7): one rule for where a rating counts, the 通报's (docs/reports.md §1): its day is
    // the day the citizen rated (was: the day the centre stored it) and its hall the HALL part of
    // the window claim (was: the relaying edge). The public figures are counted again from the
    // ratings, by the backfill when the store opens (its case figures recomputed by the centre).
    R"sql(
DELETE FROM public_tally;
DELETE FROM public_to_date;
DELETE FROM public_close_days;
DELETE FROM public_names;
DELETE FROM public_cases;
DELETE FROM public_backfill;
INSERT INTO public_backfill (pending) VALUES (1)
)sql",
};

constexpr const char* kCaseColumns =
    "case_id, assess, unit, unit_name, area, channel, finished_at_unix, contact, body, ticket, "
    "coalesce(short_code, ''), source, registered_at_ms";

// The store's connections are used under its lock (mu_), each by one thread at a time, so they
// need no mutex of SQLite's on every call (~12 % of the centre's CPU for a from/to range in perf,
// most of it one lock and unlock per column read; the range's CPU −5 ms in 6 of 8 A/B pairs).
const sql::Db::Options kUnderLock = {.serialized = false};

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

class SqliteStore : public CentralStore {
 public:
  SqliteStore(std::unique_ptr<sql::Db> db, std::string path) : db_(std::move(db)), path_(std::move(path)) {}

  Result<std::vector<IngestResult>> Ingest(const std::string& edge_kid, const std::vector<RelayedRating>& batch) override {
    std::lock_guard lock(mu_);
    if (!db_->Exec("BEGIN IMMEDIATE")) return Failure();
    pub_ = {};
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
    if (!PublicFlushLocked() || !db_->Exec("COMMIT")) {
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
    auto rejected = db_->Prepare("SELECT reason, count(*) FROM rejected GROUP BY reason");
    if (!rejected) return Failure();
    while (rejected->Step() == SQLITE_ROW) {
      out.rejected_by_reason[rejected->Text(0)] = rejected->Int(1);
      out.rejected += rejected->Int(1);
    }
    return out;
  }

  Result<CaseRegistered> RegisterCase(const CaseRecord& c) override {
    std::lock_guard lock(mu_);
    auto insert = db_->Prepare(
        "INSERT INTO cases (case_id, assess, unit, unit_name, area, channel, finished_at_unix, contact, body, ticket, "
        "short_code, source, registered_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (case_id, assess) DO NOTHING");
    if (!insert) return Failure();
    insert->Bind(1, c.case_id).Bind(2, static_cast<int64_t>(c.assess)).Bind(3, c.unit).Bind(4, c.unit_name);
    insert->Bind(5, c.area).Bind(6, c.channel).Bind(7, c.finished_at_unix).Bind(8, c.contact).Bind(9, c.body);
    insert->Bind(10, c.ticket);
    if (c.short_code.empty()) insert->BindNull(11);
    else insert->Bind(11, c.short_code);
    insert->Bind(12, c.source).Bind(13, c.registered_at_ms);
    if (insert->Step() != SQLITE_DONE) return Failure();
    if (sqlite3_changes(db_->raw()) == 1) return CaseRegistered{true, c};
    auto existing = FindLocked(c.case_id, c.assess);
    if (!existing) return existing.errors();
    if (!*existing) return MakeError("server.unavailable", "", "a case was neither stored nor found");
    return CaseRegistered{false, **existing};
  }

  Result<std::optional<CaseRecord>> FindCase(const std::string& case_id, int assess) override {
    std::lock_guard lock(mu_);
    return FindLocked(case_id, assess);
  }

  Result<std::optional<std::string>> TicketByShortCode(const std::string& code) override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare("SELECT ticket FROM cases WHERE short_code = ?");
    if (!q) return Failure();
    q->Bind(1, code);
    const int rc = q->Step();
    if (rc == SQLITE_ROW) return std::optional<std::string>(q->Text(0));
    if (rc != SQLITE_DONE) return Failure();
    return std::optional<std::string>();
  }

  Result<std::optional<std::string>> RatingText(const std::string& case_id, int assess) override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare("SELECT rating FROM ratings WHERE case_id = ? AND assess = ?");
    if (!q) return Failure();
    q->Bind(1, case_id).Bind(2, static_cast<int64_t>(assess));
    const int rc = q->Step();
    if (rc == SQLITE_ROW) return std::optional<std::string>(q->Text(0));
    if (rc != SQLITE_DONE) return Failure();
    return std::optional<std::string>();
  }

  Result<std::optional<std::string>> RatingClaims(const std::string& case_id, int assess) override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare("SELECT claims FROM ratings WHERE case_id = ? AND assess = ?");
    if (!q) return Failure();
    q->Bind(1, case_id).Bind(2, static_cast<int64_t>(assess));
    const int rc = q->Step();
    if (rc == SQLITE_ROW) return std::optional<std::string>(q->Text(0));
    if (rc != SQLITE_DONE) return Failure();
    return std::optional<std::string>();
  }

  Result<bool> RecordContactAccess(const ContactAccess& a) override {
    std::lock_guard lock(mu_);
    auto insert = db_->Prepare("INSERT INTO contact_access (case_id, assess, purpose, actor, at_ms) VALUES (?, ?, ?, ?, ?)");
    if (!insert) return Failure();
    insert->Bind(1, a.case_id).Bind(2, static_cast<int64_t>(a.assess)).Bind(3, a.purpose).Bind(4, a.actor).Bind(5, a.at_ms);
    if (insert->Step() != SQLITE_DONE) return Failure();
    return true;
  }

  Result<std::vector<ContactAccess>> ContactAccesses(const std::string& case_id, int assess) override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare(
        "SELECT case_id, assess, purpose, actor, at_ms FROM contact_access WHERE case_id = ? AND assess = ? ORDER BY seq");
    if (!q) return Failure();
    q->Bind(1, case_id).Bind(2, static_cast<int64_t>(assess));
    std::vector<ContactAccess> out;
    int rc;
    while ((rc = q->Step()) == SQLITE_ROW)
      out.push_back(ContactAccess{q->Text(0), static_cast<int>(q->Int(1)), q->Text(2), q->Text(3), q->Int(4)});
    if (rc != SQLITE_DONE) return Failure();
    return out;
  }

  Result<bool> AddApiKey(const std::string& name, const std::string& key_hash) override {
    std::lock_guard lock(mu_);
    auto insert = db_->Prepare(
        "INSERT INTO api_keys (name, hash, created_at_ms) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING");
    if (!insert) return Failure();
    insert->Bind(1, name).Bind(2, key_hash).Bind(3, NowMs());
    if (insert->Step() != SQLITE_DONE) return Failure();
    return sqlite3_changes(db_->raw()) == 1;
  }

  Result<std::optional<std::string>> ApiKeyName(const std::string& key_hash) override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare("SELECT name FROM api_keys WHERE hash = ? AND revoked_at_ms IS NULL");
    if (!q) return Failure();
    q->Bind(1, key_hash);
    const int rc = q->Step();
    if (rc == SQLITE_ROW) return std::optional<std::string>(q->Text(0));
    if (rc != SQLITE_DONE) return Failure();
    return std::optional<std::string>();
  }

  Result<std::vector<ApiKeyInfo>> ListApiKeys() override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare("SELECT name, created_at_ms, revoked_at_ms IS NOT NULL FROM api_keys ORDER BY name");
    if (!q) return Failure();
    std::vector<ApiKeyInfo> out;
    int rc;
    while ((rc = q->Step()) == SQLITE_ROW) out.push_back(ApiKeyInfo{q->Text(0), q->Int(1), q->Int(2) != 0});
    if (rc != SQLITE_DONE) return Failure();
    return out;
  }

  Result<bool> RevokeApiKey(const std::string& name) override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare("UPDATE api_keys SET revoked_at_ms = ? WHERE name = ? AND revoked_at_ms IS NULL");
    if (!q) return Failure();
    q->Bind(1, NowMs()).Bind(2, name);
    if (q->Step() != SQLITE_DONE) return Failure();
    return sqlite3_changes(db_->raw()) == 1;
  }

  // ---- People and access (issue 6 part B) ----

  Result<bool> AddUnit(const UnitRecord& u) override {
    std::lock_guard lock(mu_);
    return InsertUnitLocked(u, true);
  }

  Result<std::optional<UnitRecord>> FindUnit(const std::string& code) override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare("SELECT code, name, created_at_ms FROM units WHERE code = ?");
    if (!q) return Failure();
    q->Bind(1, code);
    const int rc = q->Step();
    if (rc == SQLITE_DONE) return std::optional<UnitRecord>();
    if (rc != SQLITE_ROW) return Failure();
    return std::optional<UnitRecord>(UnitRecord{q->Text(0), q->Text(1), q->Int(2)});
  }

  Result<bool> AddUser(const UserRecord& u) override {
    std::lock_guard lock(mu_);
    return InsertUserLocked(u, true);
  }

  Result<std::optional<UserRecord>> FindUser(const std::string& name) override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare(
        "SELECT name, role, coalesce(unit, ''), password_hash, disabled, created_at_ms FROM users WHERE name = ?");
    if (!q) return Failure();
    q->Bind(1, name);
    const int rc = q->Step();
    if (rc == SQLITE_DONE) return std::optional<UserRecord>();
    if (rc != SQLITE_ROW) return Failure();
    return std::optional<UserRecord>(UserRecord{q->Text(0), q->Text(1), q->Text(2), q->Text(3), q->Int(4) != 0, q->Int(5)});
  }

  Result<bool> DisableUser(const std::string& name) override {
    std::lock_guard lock(mu_);
    if (!db_->Exec("BEGIN IMMEDIATE")) return Failure();
    auto fail = [&] {
      auto failure = Failure();
      db_->Exec("ROLLBACK");
      return failure;
    };
    auto q = db_->Prepare("UPDATE users SET disabled = 1 WHERE name = ?");
    if (!q) return fail();
    q->Bind(1, name);
    if (q->Step() != SQLITE_DONE) return fail();
    const bool found = sqlite3_changes(db_->raw()) == 1;
    auto d = db_->Prepare("DELETE FROM sessions WHERE user_name = ?");
    if (!d) return fail();
    d->Bind(1, name);
    if (d->Step() != SQLITE_DONE) return fail();
    if (!db_->Exec("COMMIT")) return fail();
    return found;
  }

  Result<bool> ImportPeople(const std::vector<UnitRecord>& units, const std::vector<UserRecord>& users) override {
    std::lock_guard lock(mu_);
    if (!db_->Exec("BEGIN IMMEDIATE")) return Failure();
    auto rollback = [&](Errors errors) {
      db_->Exec("ROLLBACK");
      return errors;
    };
    for (const auto& u : units)
      if (auto r = InsertUnitLocked(u, false); !r) return rollback(r.errors());
    for (const auto& u : users)
      if (auto r = InsertUserLocked(u, false); !r) return rollback(r.errors());
    if (!db_->Exec("COMMIT")) return rollback({Failure()});
    return true;
  }

  Result<bool> AddSession(const SessionRecord& s) override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare(
        "INSERT INTO sessions (token_hash, user_name, csrf_token, created_at_ms, expires_at_ms) VALUES (?, ?, ?, ?, ?)");
    if (!q) return Failure();
    q->Bind(1, s.token_hash).Bind(2, s.user).Bind(3, s.csrf_token).Bind(4, s.created_at_ms).Bind(5, s.expires_at_ms);
    if (q->Step() != SQLITE_DONE) return Failure();
    return true;
  }

  Result<std::optional<SessionRecord>> FindSession(const std::string& token_hash) override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare(
        "SELECT token_hash, user_name, csrf_token, created_at_ms, expires_at_ms FROM sessions WHERE token_hash = ?");
    if (!q) return Failure();
    q->Bind(1, token_hash);
    const int rc = q->Step();
    if (rc == SQLITE_DONE) return std::optional<SessionRecord>();
    if (rc != SQLITE_ROW) return Failure();
    return std::optional<SessionRecord>(SessionRecord{q->Text(0), q->Text(1), q->Text(2), q->Int(3), q->Int(4)});
  }

  Result<bool> DeleteSession(const std::string& token_hash) override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare("DELETE FROM sessions WHERE token_hash = ?");
    if (!q) return Failure();
    q->Bind(1, token_hash);
    if (q->Step() != SQLITE_DONE) return Failure();
    return sqlite3_changes(db_->raw()) == 1;
  }

  Result<int64_t> AppendAudit(const AuditEntry& e) override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare(
        "INSERT INTO audit (at_ms, actor, role, unit, action, object, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!q) return Failure();
    q->Bind(1, e.at_ms).Bind(2, e.actor).Bind(3, e.role).Bind(4, e.unit).Bind(5, e.action).Bind(6, e.object);
    q->Bind(7, e.before_json).Bind(8, e.after_json);
    if (q->Step() != SQLITE_DONE) return Failure();
    return db_->LastInsertRowId();
  }

  Result<std::vector<AuditEntry>> AuditTrail(const std::string& object, int64_t limit) override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare(
        "SELECT seq, at_ms, actor, role, unit, action, object, before, after FROM audit "
        "WHERE ? = '' OR object = ? ORDER BY seq LIMIT ?");
    if (!q) return Failure();
    q->Bind(1, object).Bind(2, object).Bind(3, limit);
    std::vector<AuditEntry> out;
    int rc;
    while ((rc = q->Step()) == SQLITE_ROW)
      out.push_back(AuditEntry{q->Int(0), q->Int(1), q->Text(2), q->Text(3), q->Text(4), q->Text(5), q->Text(6),
                               q->Text(7), q->Text(8)});
    if (rc != SQLITE_DONE) return Failure();
    return out;
  }

  bool Healthy() override {
    std::lock_guard lock(mu_);
    auto s = db_->Prepare("SELECT 1");
    return s && s->Step() == SQLITE_ROW;
  }

  // ---- The closed loop (issue 6) ----
  Result<std::optional<HandlingCase>> FindHandlingCase(const std::string& case_id, int assess) override {
    std::lock_guard lock(mu_);
    auto cases = CasesLocked("WHERE c.case_id = ? AND c.assess = ?", {case_id, std::to_string(assess)});
    if (!cases) return cases.errors();
    if (cases->empty()) return std::optional<HandlingCase>();
    return std::optional<HandlingCase>(std::move(cases->front()));
  }

  Result<std::vector<HandlingCase>> HandlingCases(const std::string& unit, bool open_only) override {
    std::lock_guard lock(mu_);
    std::string where = "WHERE 1 = 1";
    std::vector<std::string> params;
    if (!unit.empty()) {
      where += " AND c.unit = ?";
      params.push_back(unit);
    }
    if (open_only) where += " AND c.closed = 0";
    return CasesLocked(where, params);
  }

  Result<AppendStatus> AppendHandlingEvent(const std::string& case_id, int assess, const HandlingEvent& e, bool closed,
                                           bool exclude_rating, const std::optional<CaseFigures>& figures) override {
    std::lock_guard lock(mu_);
    if (!db_->Exec("BEGIN IMMEDIATE")) return Failure();
    pub_ = {};
    auto fail = [&]() -> Result<AppendStatus> {
      auto failure = Failure();
      db_->Exec("ROLLBACK");
      return failure;
    };
    auto done = [&](AppendStatus status) -> Result<AppendStatus> {
      db_->Exec("ROLLBACK");
      return status;
    };
    std::string rating_id;
    {
      auto q = db_->Prepare("SELECT rating_id FROM handling_cases WHERE case_id = ? AND assess = ?");
      if (!q) return fail();
      q->Bind(1, case_id).Bind(2, static_cast<int64_t>(assess));
      const int rc = q->Step();
      if (rc == SQLITE_DONE) return done(AppendStatus::NoCase);
      if (rc != SQLITE_ROW) return fail();
      rating_id = q->Text(0);
    }
    {
      auto q = db_->Prepare(
          "INSERT INTO handling_events (case_id, assess, seq, on_date, actor, action, fields, by_user, at_ms) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
      if (!q) return fail();
      q->Bind(1, case_id).Bind(2, static_cast<int64_t>(assess)).Bind(3, static_cast<int64_t>(e.seq)).Bind(4, e.date);
      q->Bind(5, e.actor).Bind(6, e.action).Bind(7, e.fields_json).Bind(8, e.by).Bind(9, e.at_ms);
      if (q->Step() != SQLITE_DONE) return fail();
      if (sqlite3_changes(db_->raw()) != 1) return done(AppendStatus::Conflict);
    }
    // The seq before must exist: no gaps, so "seq = number of events seen" is the concurrency check.
    if (e.seq > 0) {
      auto q = db_->Prepare("SELECT 1 FROM handling_events WHERE case_id = ? AND assess = ? AND seq = ?");
      if (!q) return fail();
      q->Bind(1, case_id).Bind(2, static_cast<int64_t>(assess)).Bind(3, static_cast<int64_t>(e.seq - 1));
      if (q->Step() != SQLITE_ROW) return done(AppendStatus::Conflict);
    }
    {
      auto q = db_->Prepare("UPDATE handling_cases SET closed = ? WHERE case_id = ? AND assess = ?");
      if (!q) return fail();
      q->Bind(1, static_cast<int64_t>(closed ? 1 : 0)).Bind(2, case_id).Bind(3, static_cast<int64_t>(assess));
      if (q->Step() != SQLITE_DONE) return fail();
    }
    if (exclude_rating) {
      auto q = db_->Prepare("UPDATE ratings SET excluded = 1 WHERE id = ?");
      if (!q) return fail();
      q->Bind(1, rating_id);
      if (q->Step() != SQLITE_DONE) return fail();
    }
    if (e.audit) {  // the action's audit row, in the same transaction (issue 6)
      auto q = db_->Prepare(
          "INSERT INTO audit (at_ms, actor, role, unit, action, object, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
      if (!q) return fail();
      q->Bind(1, e.at_ms).Bind(2, e.by).Bind(3, e.audit->role).Bind(4, e.audit->unit).Bind(5, "case." + e.action);
      q->Bind(6, "case:" + case_id + "/" + std::to_string(assess)).Bind(7, e.audit->before_json).Bind(8, e.audit->after_json);
      if (q->Step() != SQLITE_DONE) return fail();
    }
    if (figures || exclude_rating) {  // the public figures follow the case (issue 7)
      if (auto counted = PublicCaseLocked(case_id, assess, figures, exclude_rating); !counted) return fail();
      if (!PublicFlushLocked()) return fail();
    }
    for (const auto& m : e.outbox)  // the SMS and webhook the event causes (docs/notifications.md)
      if (auto queued = InsertOutboxLocked(m); !queued) return fail();
    if (!db_->Exec("COMMIT")) return fail();
    return AppendStatus::Appended;
  }

  Result<bool> Escalate(const std::string& case_id, int assess, const std::string& due, const std::string& today,
                        const std::vector<OutboxMessage>& outbox) override {
    std::lock_guard lock(mu_);
    if (!db_->Exec("BEGIN IMMEDIATE")) return Failure();
    auto fail = [&]() -> Result<bool> {
      auto failure = Failure();
      db_->Exec("ROLLBACK");
      return failure;
    };
    bool first = false;
    {
      auto q = db_->Prepare(
          "INSERT INTO handling_escalations (case_id, assess, due, flagged_on) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
      if (!q) return fail();
      q->Bind(1, case_id).Bind(2, static_cast<int64_t>(assess)).Bind(3, due).Bind(4, today);
      if (q->Step() != SQLITE_DONE) return fail();
      first = sqlite3_changes(db_->raw()) == 1;
    }
    // The unit hears of an escalation once, with the escalation itself (outbox: docs/notifications.md).
    for (const auto& m : first ? outbox : std::vector<OutboxMessage>{})
      if (auto queued = InsertOutboxLocked(m); !queued) return fail();
    if (!db_->Exec("COMMIT")) return fail();
    return first;
  }

  Result<int64_t> EscalationCount() override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare("SELECT count(*) FROM handling_escalations");
    if (!q || q->Step() != SQLITE_ROW) return Failure();
    return q->Int(0);
  }

  Result<std::vector<Suggestion>> Suggestions(const std::string& unit) override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare(
        "SELECT rating_id, case_id, assess, unit, unit_name, satisfaction, text, at_ms FROM suggestions WHERE unit = ? "
        "ORDER BY at_ms DESC, rating_id");
    if (!q) return Failure();
    q->Bind(1, unit);
    std::vector<Suggestion> out;
    int rc;
    while ((rc = q->Step()) == SQLITE_ROW)
      out.push_back(Suggestion{q->Text(0), q->Text(1), static_cast<int>(q->Int(2)), q->Text(3), q->Text(4),
                               static_cast<int>(q->Int(5)), q->Text(6), q->Int(7)});
    if (rc != SQLITE_DONE) return Failure();
    return out;
  }

  Result<std::vector<CaseRecord>> UnratedCases(int64_t finished_before_unix) override {
    std::lock_guard lock(mu_);
    auto rows = db_->Prepare(std::string("SELECT ") + kCaseColumns +
                             " FROM cases c WHERE finished_at_unix < ? AND NOT EXISTS (SELECT 1 FROM ratings r WHERE "
                             "r.case_id = c.case_id AND r.assess = c.assess) ORDER BY finished_at_unix, case_id, assess");
    if (!rows) return Failure();
    rows->Bind(1, finished_before_unix);
    std::vector<CaseRecord> out;
    int rc;
    while ((rc = rows->Step()) == SQLITE_ROW) out.push_back(CaseFrom(*rows));
    if (rc != SQLITE_DONE) return Failure();
    return out;
  }

  Result<bool> StoreDefaultRating(const RelayedRating& r) override {
    std::lock_guard lock(mu_);
    if (!db_->Exec("BEGIN IMMEDIATE")) return Failure();
    pub_ = {};
    auto stored = StoreDefaultLocked(r);
    if (!stored || (*stored && !PublicFlushLocked()) || !db_->Exec("COMMIT")) {
      auto failure = stored ? Result<bool>(Failure()) : stored;
      db_->Exec("ROLLBACK");
      return failure;
    }
    return stored;
  }

  // The default rating and its public counts (issue 7), in the caller's transaction.
  Result<bool> StoreDefaultLocked(const RelayedRating& r) {
    auto q = db_->Prepare(
        "INSERT INTO ratings (id, edge, case_id, assess, kid, unit, unit_name, channel, satisfaction, is_default, claims, "
        "rating, received_at_ms, ingested_at_ms) VALUES (?, 'centre', ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING");
    if (!q) return Failure();
    q->Bind(1, r.id).Bind(2, r.case_id).Bind(3, static_cast<int64_t>(r.assess)).Bind(4, r.kid).Bind(5, r.unit);
    q->Bind(6, r.unit_name).Bind(7, r.channel).Bind(8, static_cast<int64_t>(r.satisfaction)).Bind(9, r.claims_json);
    q->Bind(10, r.rating_json).Bind(11, r.received_at_ms).Bind(12, r.received_at_ms);
    if (q->Step() != SQLITE_DONE) return Failure();
    if (sqlite3_changes(db_->raw()) != 1) return false;
    if (auto counted = PublicRatingLocked(r, true, 0, false); !counted) return counted.errors();
    return true;
  }
  // ---- end of the closed loop ----

  // ---- Outboxes: SMS to citizens, webhooks to units (docs/notifications.md) ----
  static constexpr const char* kOutboxColumns =
      "id, channel, case_id, assess, unit, kind, body, attempts, next_at_ms, created_at_ms, last_error, state";

  Result<std::vector<OutboxMessage>> ClaimOutbox(const std::string& channel, int64_t now_ms, int64_t lease_ms,
                                                 int limit) override {
    std::lock_guard lock(mu_);
    if (!db_->Exec("BEGIN IMMEDIATE")) return Failure();
    auto fail = [&]() -> Result<std::vector<OutboxMessage>> {
      auto failure = Failure();
      db_->Exec("ROLLBACK");
      return failure;
    };
    std::vector<OutboxMessage> out;
    {
      auto q = db_->Prepare(std::string("SELECT ") + kOutboxColumns +
                            " FROM outbox WHERE channel = ? AND state = 'pending' AND next_at_ms <= ? "
                            "ORDER BY next_at_ms, id LIMIT ?");
      if (!q) return fail();
      q->Bind(1, channel).Bind(2, now_ms).Bind(3, static_cast<int64_t>(limit));
      int rc;
      while ((rc = q->Step()) == SQLITE_ROW) out.push_back(OutboxFrom(*q));
      if (rc != SQLITE_DONE) return fail();
    }
    for (const auto& m : out) {
      auto q = db_->Prepare("UPDATE outbox SET next_at_ms = ? WHERE id = ?");
      if (!q) return fail();
      q->Bind(1, now_ms + lease_ms).Bind(2, m.id);
      if (q->Step() != SQLITE_DONE) return fail();
    }
    if (!db_->Exec("COMMIT")) return fail();
    return out;
  }

  Result<bool> MarkOutboxSent(const std::string& id, int attempts, int64_t now_ms) override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare(
        "UPDATE outbox SET state = 'sent', attempts = ?, sent_at_ms = ?, last_error = '' WHERE id = ? AND state = 'pending'");
    if (!q) return Failure();
    q->Bind(1, static_cast<int64_t>(attempts)).Bind(2, now_ms).Bind(3, id);
    if (q->Step() != SQLITE_DONE) return Failure();
    return sqlite3_changes(db_->raw()) == 1;
  }

  Result<bool> MarkOutboxRetry(const std::string& id, int attempts, int64_t next_at_ms, const std::string& error,
                               bool failed) override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare(
        "UPDATE outbox SET state = ?, attempts = ?, next_at_ms = ?, last_error = ? WHERE id = ? AND state = 'pending'");
    if (!q) return Failure();
    q->Bind(1, failed ? "failed" : "pending").Bind(2, static_cast<int64_t>(attempts)).Bind(3, next_at_ms).Bind(4, error);
    q->Bind(5, id);
    if (q->Step() != SQLITE_DONE) return Failure();
    return sqlite3_changes(db_->raw()) == 1;
  }

  Result<int64_t> RequeueFailedOutbox(const std::string& channel, const std::string& id, int64_t now_ms) override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare(
        "UPDATE outbox SET state = 'pending', attempts = 0, next_at_ms = ? "
        "WHERE channel = ? AND state = 'failed' AND (? = '' OR id = ?)");
    if (!q) return Failure();
    q->Bind(1, now_ms).Bind(2, channel).Bind(3, id).Bind(4, id);
    if (q->Step() != SQLITE_DONE) return Failure();
    return static_cast<int64_t>(sqlite3_changes(db_->raw()));
  }

  Result<OutboxStats> OutboxStatsOf(const std::string& channel) override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare("SELECT state, count(*), min(created_at_ms) FROM outbox WHERE channel = ? GROUP BY state");
    if (!q) return Failure();
    q->Bind(1, channel);
    OutboxStats out;
    int rc;
    while ((rc = q->Step()) == SQLITE_ROW) {
      const std::string state = q->Text(0);
      if (state == "pending") {
        out.pending = q->Int(1);
        out.oldest_pending_ms = q->Int(2);
      } else if (state == "failed") {
        out.failed = q->Int(1);
      } else {
        out.sent = q->Int(1);
      }
    }
    if (rc != SQLITE_DONE) return Failure();
    return out;
  }

  Result<std::vector<OutboxMessage>> OutboxOfCase(const std::string& case_id, int assess) override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare(std::string("SELECT ") + kOutboxColumns +
                          " FROM outbox WHERE case_id = ? AND assess = ? ORDER BY created_at_ms, id");
    if (!q) return Failure();
    q->Bind(1, case_id).Bind(2, static_cast<int64_t>(assess));
    std::vector<OutboxMessage> out;
    int rc;
    while ((rc = q->Step()) == SQLITE_ROW) out.push_back(OutboxFrom(*q));
    if (rc != SQLITE_DONE) return Failure();
    return out;
  }

  Result<bool> SetUnitWebhook(const std::string& unit, const UnitWebhook& hook) override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare("UPDATE units SET webhook_url = ?, webhook_secret = ? WHERE code = ?");
    if (!q) return Failure();
    q->Bind(1, hook.url).Bind(2, hook.url.empty() ? "" : hook.secret).Bind(3, unit);
    if (q->Step() != SQLITE_DONE) return Failure();
    return sqlite3_changes(db_->raw()) == 1;
  }

  Result<std::optional<UnitWebhook>> FindUnitWebhook(const std::string& unit) override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare("SELECT webhook_url, webhook_secret FROM units WHERE code = ?");
    if (!q) return Failure();
    q->Bind(1, unit);
    const int rc = q->Step();
    if (rc == SQLITE_DONE) return std::optional<UnitWebhook>();
    if (rc != SQLITE_ROW) return Failure();
    return std::optional<UnitWebhook>(UnitWebhook{q->Text(0), q->Text(1)});
  }
  // ---- end of the outboxes ----

  // ---- Public figures (issue 7; docs/reports.md §10) ----
  Result<PublicCells> PublicTallies(const PublicFilter& filter) override {
    std::lock_guard lock(mu_);
    auto range = PublicRange(filter);
    if (!range) return range.errors();
    PublicCells out;
    auto ends = db_->Prepare("SELECT (SELECT min(period) FROM public_tally WHERE grain = 'D'), "
                             "(SELECT max(period) FROM public_tally WHERE grain = 'D')");
    if (!ends || ends->Step() != SQLITE_ROW) return Failure();
    auto first_day = Date::Parse(ends->IsNull(0) ? "" : ends->Text(0));
    auto last_day = Date::Parse(ends->IsNull(1) ? "" : ends->Text(1));
    ends.reset();
    if (first_day && last_day) {  // else nothing is stored yet
      const std::vector<ToDateRead> reads = ToDateReads(range->first, range->second, *first_day, *last_day);
      // A from/to range is up to three reads of ~2,500 cells each at 10 million ratings (~25 ms of
      // CPU each). All but the last run at once on read-only connections of their own, each on a
      // thread, while this one runs the last (docs/performance.md, "Public figures"). They read the
      // same state: mu_ is held, and every write of the public figures is made under it, so none
      // commits between their reads.
      ToDateSum sum;
      std::vector<ToDateSum> parts(reads.empty() ? 0 : reads.size() - 1);
      std::vector<std::string> errors(parts.size());
      std::vector<std::thread> threads;
      for (size_t i = 0; i < parts.size(); ++i) {
        sql::Db* reader = Reader(i);
        if (!reader) break;  // the rest run here
        threads.emplace_back([&, i, reader] {
          if (!ReadToDate(*reader, reads[i], filter, parts[i])) errors[i] = reader->LastError();
        });
      }
      bool ok = true;
      for (size_t i = threads.size(); i < reads.size() && ok; ++i) ok = ReadToDate(*db_, reads[i], filter, sum);
      for (auto& t : threads) t.join();
      if (!ok) return Failure();
      for (size_t i = 0; i < threads.size(); ++i) {
        if (!errors[i].empty()) return MakeError("server.unavailable", "", errors[i]);
        sum.Merge(parts[i]);
      }
      sum.Into(out);
      if (MedianInLastBucket(out.close_days)) {  // the values of 32 days or more, from the day cells
        out.close_days.erase(kCloseBuckets - 1);
        const auto [first, last] = Widened(range->first, range->second, *first_day, *last_day);
        for (const auto& seg : Segments(first, last)) {
          auto h = db_->Prepare("SELECT days, sum(cases) FROM public_close_days WHERE grain = ? AND period BETWEEN ? AND ?" +
                                PublicWhere(filter) + " AND days >= " + std::to_string(kCloseBuckets - 1) + " GROUP BY days");
          if (!h) return Failure();
          BindPublic(*h, seg, filter);
          int rc;
          while ((rc = h->Step()) == SQLITE_ROW) out.close_days[static_cast<int>(h->Int(0))] += h->Int(1);
          if (rc != SQLITE_DONE) return Failure();
        }
      }
    }
    auto names = db_->Prepare("SELECT kind, key, name FROM public_names");
    if (!names) return Failure();
    while (names->Step() == SQLITE_ROW) out.names[names->Text(0)][names->Text(1)] = names->Text(2);
    return out;
  }

  Result<PublicBadPage> PublicBadRatings(const PublicFilter& filter, int64_t offset, int64_t limit,
                                         std::optional<int64_t> total) override {
    std::lock_guard lock(mu_);
    auto range = PublicRange(filter);
    if (!range) return range.errors();
    const PeriodSegment seg{"", range->first.ToString(), range->second.ToString()};
    const std::string listed = " WHERE p.is_public = 1 AND p.upheld = 0 AND p.day BETWEEN ? AND ?" + PublicWhere(filter, "p.");
    const std::string where = " FROM public_cases p JOIN ratings r ON r.id = p.rating_id" + listed;
    PublicBadPage page;
    if (total) {
      page.total = *total;
    } else {
      // Every public_cases row has its rating (stored with it, neither is deleted): no join to count.
      auto q = db_->Prepare("SELECT count(*) FROM public_cases p" + listed);
      if (!q) return Failure();
      BindPublic(*q, seg, filter, false);
      if (q->Step() != SQLITE_ROW) return Failure();
      page.total = q->Int(0);
    }
    // Past the last: nothing to read (with a filter that none matches, the page's read would
    // otherwise go through every entry of the period in the index to find none).
    if (offset >= page.total) return page;
    auto q = db_->Prepare("SELECT p.rating_id, p.day, p.unit, p.hall, p.win, p.item, p.satisfaction, r.claims, r.rating, "
                          "p.case_id, p.assess" + where + " ORDER BY p.day DESC, p.rating_id DESC LIMIT ? OFFSET ?");
    if (!q) return Failure();
    const int next = BindPublic(*q, seg, filter, false);
    q->Bind(next, limit).Bind(next + 1, offset);
    int rc;
    std::vector<std::pair<std::string, int64_t>> cases;
    while ((rc = q->Step()) == SQLITE_ROW) {
      PublicBadRow row{q->Text(0), q->Text(1), q->Text(2), q->Text(3), q->Text(4), q->Text(5),
                       static_cast<int>(q->Int(6)), q->Text(7), q->Text(8), {}};
      cases.emplace_back(q->Text(9), q->Int(10));
      page.rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) return Failure();
    q.reset();
    for (size_t i = 0; i < cases.size(); ++i) {
      auto c = CasesLocked("WHERE c.case_id = ? AND c.assess = ?", {cases[i].first, std::to_string(cases[i].second)});
      if (!c) return c.errors();
      if (!c->empty()) page.rows[i].handling = std::move(c->front());
    }
    return page;
  }

  Result<std::vector<HandlingCase>> StalePublicCases() override {
    std::lock_guard lock(mu_);
    return CasesLocked("WHERE EXISTS (SELECT 1 FROM public_cases p WHERE p.case_id = c.case_id AND p.assess = c.assess "
                       "AND p.stale = 1)", {});
  }

  Result<bool> SetPublicCaseFigures(const std::string& case_id, int assess, const CaseFigures& figures) override {
    std::lock_guard lock(mu_);
    if (!db_->Exec("BEGIN IMMEDIATE")) return Failure();
    pub_ = {};
    auto changed = PublicCaseLocked(case_id, assess, figures, false);
    if (!changed || !PublicFlushLocked() || !db_->Exec("COMMIT")) {
      auto failure = changed ? Result<bool>(Failure()) : changed;
      db_->Exec("ROLLBACK");
      return failure;
    }
    return *changed;
  }

  // Counts every rating already stored (a database from before migration 6, or after migration
  // 13, which changed where a rating counts) into the public tables, once, in one transaction; the
  // case figures of its bad ratings are marked stale for the centre to compute (it has the
  // calendar and the limits).
  bool PublicBackfill(std::string& error) {
    std::lock_guard lock(mu_);
    auto pending = db_->Prepare("SELECT count(*) FROM public_backfill");
    if (!pending || pending->Step() != SQLITE_ROW) return error = db_->LastError(), false;
    if (pending->Int(0) == 0) return true;
    pending.reset();
    if (!db_->Exec("BEGIN IMMEDIATE")) return error = db_->LastError(), false;
    pub_ = {};
    auto rows = db_->Prepare(
        "SELECT r.id, r.edge, r.case_id, r.assess, r.unit, r.unit_name, r.channel, r.satisfaction, r.is_default, "
        "r.excluded, r.claims, r.rating, r.received_at_ms, EXISTS (SELECT 1 FROM handling_events e WHERE e.case_id = "
        "r.case_id AND e.assess = r.assess AND e.seq = 0) FROM ratings r");
    bool ok = rows.has_value();
    while (ok && rows->Step() == SQLITE_ROW) {
      RelayedRating r;
      r.id = rows->Text(0);
      r.case_id = rows->Text(2);
      r.assess = static_cast<int>(rows->Int(3));
      r.unit = rows->Text(4);
      r.unit_name = rows->Text(5);
      r.channel = rows->Text(6);
      r.satisfaction = static_cast<int>(rows->Int(7));
      r.claims_json = rows->Text(10);
      r.rating_json = rows->Text(11);
      r.received_at_ms = rows->Int(12);
      ok = PublicRatingLocked(r, rows->Int(8) != 0, 0, rows->Int(13) != 0, rows->Int(9) != 0).ok();
    }
    rows.reset();
    ok = ok && PublicFlushLocked() && db_->Exec("DELETE FROM public_backfill") && db_->Exec("COMMIT");
    if (!ok) {
      error = "public figures backfill: " + db_->LastError();
      db_->Exec("ROLLBACK");
    }
    return ok;
  }
  // ---- end of the public figures ----

  // ---- Reports, sampling and the national export (issue 7) ----
  Result<bool> ScanRatings(const RatingScan& scan, const std::function<bool(std::vector<StoredRating>&)>& page) override {
    // Keyset pages on (received_at_ms, id): the lock is held for one page at a time, so ingest
    // goes on between pages, and memory is one page. The lower bound on received_at_ms is the
    // cursor's own, so each page starts in the index where the last one ended.
    int64_t after_ms = scan.from_ms - 1;
    std::string after_id;
    const std::string after =
        " AND r.received_at_ms >= ? AND (r.received_at_ms > ? OR (r.received_at_ms = ? AND r.id > ?))";
    const std::string filter = "r.received_at_ms < ? AND (? = '' OR r.unit = ?)";
    for (;;) {
      std::vector<StoredRating> rows;
      const int64_t low = std::max(scan.from_ms, after_ms);
      {
        std::lock_guard lock(mu_);
        auto q = db_->Prepare(std::string(kStoredRatingSelect) + " WHERE " + filter + after +
                              " ORDER BY r.received_at_ms, r.id LIMIT ?");
        if (!q) return Failure();
        q->Bind(1, scan.to_ms).Bind(2, scan.unit).Bind(3, scan.unit).Bind(4, low).Bind(5, after_ms).Bind(6, after_ms);
        q->Bind(7, after_id).Bind(8, static_cast<int64_t>(scan.page_size));
        if (auto read = ReadStoredLocked(*q, rows); !read) return read.errors();
        if (rows.empty()) return true;
        auto e = db_->Prepare(std::string(kStoredEventSelect) + " WHERE " + filter + after +
                              " AND r.received_at_ms <= ? AND (r.received_at_ms < ? OR r.id <= ?)" + kStoredEventOrder);
        if (!e) return Failure();
        e->Bind(1, scan.to_ms).Bind(2, scan.unit).Bind(3, scan.unit).Bind(4, low).Bind(5, after_ms).Bind(6, after_ms);
        e->Bind(7, after_id).Bind(8, rows.back().received_at_ms).Bind(9, rows.back().received_at_ms).Bind(10, rows.back().id);
        if (auto read = AttachEventsLocked(*e, rows); !read) return read.errors();
      }
      after_ms = rows.back().received_at_ms;
      after_id = rows.back().id;
      const bool full = static_cast<int>(rows.size()) == scan.page_size;
      if (!page(rows)) return false;
      if (!full) return true;
    }
  }

  Result<int64_t> StampExportSequence() override {
    std::lock_guard lock(mu_);
    // SQLite has one writer at a time: each chunk's numbers follow the last committed ones.
    for (;;) {
      if (!db_->Exec("BEGIN IMMEDIATE")) return Failure();
      auto fail = [&] {
        auto failure = Failure();
        db_->Exec("ROLLBACK");
        return failure;
      };
      auto top = db_->Prepare("SELECT coalesce(max(export_seq), 0) FROM ratings");
      if (!top || top->Step() != SQLITE_ROW) return fail();
      const int64_t base = top->Int(0);
      top.reset();
      auto u = db_->Prepare(
          "UPDATE ratings SET export_seq = s.n FROM (SELECT id, ? + row_number() OVER (ORDER BY ingested_at_ms, id) AS n "
          "FROM (SELECT id, ingested_at_ms FROM ratings WHERE export_seq IS NULL ORDER BY ingested_at_ms, id LIMIT ?)) s "
          "WHERE ratings.id = s.id");
      if (!u) return fail();
      u->Bind(1, base).Bind(2, kStampChunk);
      if (u->Step() != SQLITE_DONE) return fail();
      const int64_t changed = sqlite3_changes(db_->raw());
      u.reset();
      if (!db_->Exec("COMMIT")) return fail();
      if (changed < kStampChunk) return base + changed;
    }
  }

  Result<std::vector<StoredRating>> RatingsBySequence(int64_t after, int64_t upto, int64_t limit) override {
    std::lock_guard lock(mu_);
    std::vector<StoredRating> rows;
    auto q = db_->Prepare(std::string(kStoredRatingSelect) +
                          " WHERE r.export_seq > ? AND r.export_seq <= ? ORDER BY r.export_seq LIMIT ?");
    if (!q) return Failure();
    q->Bind(1, after).Bind(2, upto).Bind(3, limit);
    if (auto read = ReadStoredLocked(*q, rows); !read) return read.errors();
    if (rows.empty()) return rows;
    auto e = db_->Prepare(std::string(kStoredEventSelect) + " WHERE r.export_seq > ? AND r.export_seq <= ?" +
                          kStoredEventOrder);
    if (!e) return Failure();
    e->Bind(1, after).Bind(2, rows.back().export_seq);
    if (auto read = AttachEventsLocked(*e, rows); !read) return read.errors();
    return rows;
  }

  Result<ExportCursor> LoadExportCursor(const std::string& name) override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare(
        "SELECT acked, pending_first, pending_last, pending_key, updated_at_ms, pending_body FROM export_cursors "
        "WHERE name = ?");
    if (!q) return Failure();
    q->Bind(1, name);
    const int rc = q->Step();
    ExportCursor c;
    c.name = name;
    if (rc == SQLITE_DONE) return c;
    if (rc != SQLITE_ROW) return Failure();
    c.acked = q->Int(0);
    c.pending_first = q->Int(1);
    c.pending_last = q->Int(2);
    c.pending_key = q->Text(3);
    c.updated_at_ms = q->Int(4);
    c.pending_body = q->Text(5);
    return c;
  }

  Result<bool> SaveExportCursor(const ExportCursor& c) override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare(
        "INSERT INTO export_cursors (name, acked, pending_first, pending_last, pending_key, updated_at_ms, "
        "pending_body) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET acked = excluded.acked, "
        "pending_first = excluded.pending_first, pending_last = excluded.pending_last, pending_key = "
        "excluded.pending_key, updated_at_ms = excluded.updated_at_ms, pending_body = excluded.pending_body");
    if (!q) return Failure();
    q->Bind(1, c.name).Bind(2, c.acked).Bind(3, c.pending_first).Bind(4, c.pending_last).Bind(5, c.pending_key);
    q->Bind(6, c.updated_at_ms ? c.updated_at_ms : NowMs()).Bind(7, c.pending_body);
    if (q->Step() != SQLITE_DONE) return Failure();
    return true;
  }

  Result<bool> StoreReport(const StoredReport& r) override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare(
        "INSERT INTO reports (kind, period, as_of, html, csv, json, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING");
    if (!q) return Failure();
    q->Bind(1, r.kind).Bind(2, r.period).Bind(3, r.as_of).Bind(4, r.html).Bind(5, r.csv).Bind(6, r.json);
    q->Bind(7, r.created_at_ms ? r.created_at_ms : NowMs());
    if (q->Step() != SQLITE_DONE) return Failure();
    return sqlite3_changes(db_->raw()) == 1;
  }

  Result<std::vector<StoredReport>> ListReports() override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare("SELECT kind, period, as_of, created_at_ms FROM reports ORDER BY period DESC, kind");
    if (!q) return Failure();
    std::vector<StoredReport> out;
    int rc;
    while ((rc = q->Step()) == SQLITE_ROW) out.push_back(StoredReport{q->Text(0), q->Text(1), q->Text(2), "", "", "", q->Int(3)});
    if (rc != SQLITE_DONE) return Failure();
    return out;
  }

  Result<std::optional<StoredReport>> FindReport(const std::string& kind, const std::string& period) override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare("SELECT kind, period, as_of, html, csv, json, created_at_ms FROM reports WHERE kind = ? AND period = ?");
    if (!q) return Failure();
    q->Bind(1, kind).Bind(2, period);
    const int rc = q->Step();
    if (rc == SQLITE_DONE) return std::optional<StoredReport>();
    if (rc != SQLITE_ROW) return Failure();
    return std::optional<StoredReport>(
        StoredReport{q->Text(0), q->Text(1), q->Text(2), q->Text(3), q->Text(4), q->Text(5), q->Int(6)});
  }

  Result<bool> StoreSample(const SampleRecord& s, const std::vector<SurveyTask>& tasks) override {
    std::lock_guard lock(mu_);
    if (!db_->Exec("BEGIN IMMEDIATE")) return Failure();
    auto fail = [&]() -> Result<bool> {
      auto failure = Failure();
      db_->Exec("ROLLBACK");
      return failure;
    };
    auto q = db_->Prepare(
        "INSERT INTO samples (month, seed, size, population, created_by, created_at_ms) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING");
    if (!q) return fail();
    q->Bind(1, s.month).Bind(2, s.seed).Bind(3, s.size).Bind(4, s.population).Bind(5, s.created_by);
    q->Bind(6, s.created_at_ms ? s.created_at_ms : NowMs());
    if (q->Step() != SQLITE_DONE) return fail();
    if (sqlite3_changes(db_->raw()) != 1) {
      db_->Exec("ROLLBACK");
      return false;
    }
    auto t = db_->Prepare(
        "INSERT INTO survey_tasks (month, seed, position, unit, unit_name, evaluator_id, rating_id, case_id, assess) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!t) return fail();
    for (const auto& x : tasks) {
      t->Bind(1, s.month).Bind(2, s.seed).Bind(3, static_cast<int64_t>(x.position)).Bind(4, x.unit).Bind(5, x.unit_name);
      t->Bind(6, x.evaluator_id).Bind(7, x.rating_id).Bind(8, x.case_id).Bind(9, static_cast<int64_t>(x.assess));
      if (t->Step() != SQLITE_DONE) return fail();
      t->Reset();
    }
    if (!db_->Exec("COMMIT")) return fail();
    return true;
  }

  Result<std::optional<SampleRecord>> FindSample(const std::string& month, const std::string& seed) override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare(
        "SELECT month, seed, size, population, created_by, created_at_ms FROM samples WHERE month = ? AND seed = ?");
    if (!q) return Failure();
    q->Bind(1, month).Bind(2, seed);
    const int rc = q->Step();
    if (rc == SQLITE_DONE) return std::optional<SampleRecord>();
    if (rc != SQLITE_ROW) return Failure();
    return std::optional<SampleRecord>(SampleRecord{q->Text(0), q->Text(1), q->Int(2), q->Int(3), q->Text(4), q->Int(5)});
  }

  Result<std::vector<SampleRecord>> ListSamples() override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare(
        "SELECT month, seed, size, population, created_by, created_at_ms FROM samples ORDER BY month DESC, created_at_ms");
    if (!q) return Failure();
    std::vector<SampleRecord> out;
    int rc;
    while ((rc = q->Step()) == SQLITE_ROW)
      out.push_back(SampleRecord{q->Text(0), q->Text(1), q->Int(2), q->Int(3), q->Text(4), q->Int(5)});
    if (rc != SQLITE_DONE) return Failure();
    return out;
  }

  Result<std::vector<SurveyTask>> SurveyTasks(const std::string& month, const std::string& seed,
                                              const std::string& unit) override {
    std::lock_guard lock(mu_);
    auto q = db_->Prepare(
        "SELECT month, seed, position, unit, unit_name, evaluator_id, rating_id, case_id, assess FROM survey_tasks "
        "WHERE month = ? AND seed = ? AND (? = '' OR unit = ?) ORDER BY position");
    if (!q) return Failure();
    q->Bind(1, month).Bind(2, seed).Bind(3, unit).Bind(4, unit);
    std::vector<SurveyTask> out;
    int rc;
    while ((rc = q->Step()) == SQLITE_ROW)
      out.push_back(SurveyTask{q->Text(0), q->Text(1), static_cast<int>(q->Int(2)), q->Text(3), q->Text(4), q->Text(5),
                               q->Text(6), q->Text(7), static_cast<int>(q->Int(8))});
    if (rc != SQLITE_DONE) return Failure();
    return out;
  }

 private:
  static constexpr int64_t kStampChunk = 10000;
  static constexpr const char* kStoredRatingSelect =
      "SELECT coalesce(r.export_seq, 0), r.id, r.case_id, r.assess, r.unit, r.unit_name, r.channel, r.satisfaction, "
      "r.is_default, r.excluded, r.claims, r.rating, r.received_at_ms FROM ratings r";
  static constexpr const char* kStoredEventSelect =
      "SELECT e.case_id, e.assess, e.seq, e.on_date, e.actor, e.action, e.fields, e.by_user, e.at_ms FROM ratings r "
      "JOIN handling_events e ON e.case_id = r.case_id AND e.assess = r.assess";
  static constexpr const char* kStoredEventOrder = " ORDER BY e.case_id, e.assess, e.seq";

  Result<bool> ReadStoredLocked(sql::Statement& q, std::vector<StoredRating>& rows) {
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      StoredRating s;
      s.export_seq = q.Int(0);
      s.id = q.Text(1);
      s.case_id = q.Text(2);
      s.assess = static_cast<int>(q.Int(3));
      s.unit = q.Text(4);
      s.unit_name = q.Text(5);
      s.channel = q.Text(6);
      s.satisfaction = static_cast<int>(q.Int(7));
      s.is_default = q.Int(8) != 0;
      s.excluded = q.Int(9) != 0;
      s.claims_json = q.Text(10);
      s.rating_json = q.Text(11);
      s.received_at_ms = q.Int(12);
      rows.push_back(std::move(s));
    }
    if (rc != SQLITE_DONE) return Failure();
    return true;
  }

  Result<bool> AttachEventsLocked(sql::Statement& e, std::vector<StoredRating>& rows) {
    std::map<std::pair<std::string, int>, size_t> index;
    for (size_t i = 0; i < rows.size(); ++i) index[{rows[i].case_id, rows[i].assess}] = i;
    int rc;
    while ((rc = e.Step()) == SQLITE_ROW) {
      auto it = index.find({e.Text(0), static_cast<int>(e.Int(1))});
      if (it == index.end()) continue;
      rows[it->second].events.push_back(HandlingEvent{static_cast<int>(e.Int(2)), e.Text(3), e.Text(4), e.Text(5),
                                                      e.Text(6), e.Text(7), e.Int(8)});
    }
    if (rc != SQLITE_DONE) return Failure();
    return true;
  }
  // ---- end of issue 7 ----

 private:
  // One read of a period's figures (ToDateRead) on `db`, added to `sum`; false with db's error.
  static bool ReadToDate(sql::Db& db, const ToDateRead& read, const PublicFilter& filter, ToDateSum& sum) {
    int rc;
    int64_t v[ToDateSum::kValues] = {};
    if (!read.grain.empty()) {  // whole years or months: their cells, and the histogram summed in SQL
      const PeriodSegment seg{read.grain, read.first, read.last};
      auto y = db.Prepare("SELECT unit, hall, win, item, " + ToDateCounters().substr(0, ToDateCounters().find(", h0")) +
                          " FROM public_tally WHERE grain = ? AND period BETWEEN ? AND ?" + PublicWhere(filter));
      if (!y) return false;
      BindPublic(*y, seg, filter);
      while ((rc = y->Step()) == SQLITE_ROW) {
        for (int i = 0; i < kTallyColumns; ++i) v[i] = y->Int(4 + i);
        sum.Add(y->Text(0), y->Text(1), y->Text(2), y->Text(3), v, read.sign);
      }
      if (rc != SQLITE_DONE) return false;
      auto h = db.Prepare("SELECT days, sum(cases) FROM public_close_days WHERE grain = ? AND period BETWEEN ? AND ?" +
                          PublicWhere(filter) + " GROUP BY days");
      if (!h) return false;
      BindPublic(*h, seg, filter);
      while ((rc = h->Step()) == SQLITE_ROW) sum.AddCloseDays(static_cast<int>(h->Int(0)), h->Int(1), read.sign);
      return rc == SQLITE_DONE;
    }
    // Each cell of the year (its Y cell) and its latest year-to-date row in the read's days (CROSS
    // JOIN: SQLite keeps the cells as the outer loop; per cell one seek in the key's index for the
    // row's rowid, one in the table: 25 % less than max(day) and a join on the key).
    std::string values;
    for (const char* c : kTallyColumnNames) values += std::string(", c.") + c;
    for (int b = 0; b < kCloseBuckets; ++b) values += ", c.h" + std::to_string(b);
    auto q = db.Prepare(
        "SELECT y.unit, y.hall, y.win, y.item" + values + " FROM public_tally y CROSS JOIN public_to_date c ON c.rowid = (SELECT "
        "s.rowid FROM public_to_date s WHERE s.area = y.area AND s.unit = y.unit AND s.hall = y.hall AND s.win = y.win "
        "AND s.item = y.item AND s.day BETWEEN ? AND ? ORDER BY s.day DESC LIMIT 1) WHERE y.grain = 'Y' AND y.period = ?" +
        PublicWhere(filter, "y."));
    if (!q) return false;
    BindPublic(*q, PeriodSegment{read.first, read.last, read.year}, filter);
    while ((rc = q->Step()) == SQLITE_ROW) {
      for (int i = 0; i < ToDateSum::kValues; ++i) v[i] = q->Int(4 + i);
      sum.Add(q->Text(0), q->Text(1), q->Text(2), q->Text(3), v, read.sign);
    }
    return rc == SQLITE_DONE;
  }

  // The i-th read-only connection for the public figures' reads on other threads (opened on first
  // use, kept; under mu_), or null if it cannot be opened (the read then runs on db_).
  sql::Db* Reader(size_t i) {
    while (readers_.size() <= i) {
      std::string error;
      auto db = sql::Db::Open(path_, kUnderLock, error);
      // 32 MB of page cache each (db_ has 64): their reads are the lookups of one year.
      if (!db || !db->Exec("PRAGMA query_only = 1; PRAGMA cache_size = -32768")) return nullptr;
      readers_.push_back(std::move(db));
    }
    return readers_[i].get();
  }

  Error Failure() { return MakeError("server.unavailable", "", db_->LastError()); }

  // ---- People and access: inserts shared by Add* (false when taken) and ImportPeople (a taken
  // code or name is an error that rolls the whole import back). ----
  Result<bool> InsertUnitLocked(const UnitRecord& u, bool taken_is_false) {
    auto q = db_->Prepare(std::string("INSERT INTO units (code, name, created_at_ms) VALUES (?, ?, ?)") +
                          (taken_is_false ? " ON CONFLICT (code) DO NOTHING" : ""));
    if (!q) return Failure();
    q->Bind(1, u.code).Bind(2, u.name).Bind(3, u.created_at_ms ? u.created_at_ms : NowMs());
    if (q->Step() != SQLITE_DONE) return Failure();
    return sqlite3_changes(db_->raw()) == 1;
  }
  Result<bool> InsertUserLocked(const UserRecord& u, bool taken_is_false) {
    auto q = db_->Prepare(
        std::string("INSERT INTO users (name, role, unit, password_hash, disabled, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)") +
        (taken_is_false ? " ON CONFLICT (name) DO NOTHING" : ""));
    if (!q) return Failure();
    q->Bind(1, u.name).Bind(2, u.role);
    if (u.unit.empty()) q->BindNull(3);
    else q->Bind(3, u.unit);
    q->Bind(4, u.password_hash).Bind(5, static_cast<int64_t>(u.disabled ? 1 : 0));
    q->Bind(6, u.created_at_ms ? u.created_at_ms : NowMs());
    if (q->Step() != SQLITE_DONE) return Failure();
    return sqlite3_changes(db_->raw()) == 1;
  }

  Result<std::optional<CaseRecord>> FindLocked(const std::string& case_id, int assess) {
    auto q = db_->Prepare(std::string("SELECT ") + kCaseColumns + " FROM cases WHERE case_id = ? AND assess = ?");
    if (!q) return Failure();
    q->Bind(1, case_id).Bind(2, static_cast<int64_t>(assess));
    const int rc = q->Step();
    if (rc == SQLITE_DONE) return std::optional<CaseRecord>();
    if (rc != SQLITE_ROW) return Failure();
    return std::optional<CaseRecord>(CaseFrom(*q));
  }

  // The closed loop's cases with their events, one query; `where` filters handling_cases c.
  Result<std::vector<HandlingCase>> CasesLocked(const std::string& where, const std::vector<std::string>& params) {
    auto q = db_->Prepare(
        "SELECT c.case_id, c.assess, c.rating_id, c.unit, c.unit_name, c.satisfaction, c.closed, c.opened_at_ms, e.seq, "
        "e.on_date, e.actor, e.action, e.fields, e.by_user, e.at_ms FROM handling_cases c JOIN handling_events e ON "
        "e.case_id = c.case_id AND e.assess = c.assess " + where + " ORDER BY c.case_id, c.assess, e.seq");
    if (!q) return Failure();
    for (size_t i = 0; i < params.size(); ++i) q->Bind(static_cast<int>(i + 1), params[i]);
    std::vector<HandlingCase> out;
    int rc;
    while ((rc = q->Step()) == SQLITE_ROW) {
      const std::string case_id = q->Text(0);
      const int assess = static_cast<int>(q->Int(1));
      if (out.empty() || out.back().case_id != case_id || out.back().assess != assess) {
        out.push_back(HandlingCase{case_id, assess, q->Text(2), q->Text(3), q->Text(4), static_cast<int>(q->Int(5)),
                                   q->Int(6) != 0, q->Int(7), {}});
      }
      out.back().events.push_back(HandlingEvent{static_cast<int>(q->Int(8)), q->Text(9), q->Text(10), q->Text(11),
                                                q->Text(12), q->Text(13), q->Int(14)});
    }
    if (rc != SQLITE_DONE) return Failure();
    return out;
  }

  static CaseRecord CaseFrom(sql::Statement& row) {
    auto* q = &row;
    CaseRecord c;
    c.case_id = q->Text(0);
    c.assess = static_cast<int>(q->Int(1));
    c.unit = q->Text(2);
    c.unit_name = q->Text(3);
    c.area = q->Text(4);
    c.channel = q->Text(5);
    c.finished_at_unix = q->Int(6);
    c.contact = q->Text(7);
    c.body = q->Text(8);
    c.ticket = q->Text(9);
    c.short_code = q->Text(10);
    c.source = q->Text(11);
    c.registered_at_ms = q->Int(12);
    return c;
  }

  // Ingest runs the same five statements for every rating of every batch: each is prepared once
  // and reset after every use. Preparing them per rating cost a drain a fifth of the centre's CPU
  // (docs/performance.md). The reset matters: a statement left on a row keeps its read snapshot
  // past COMMIT, and the next BEGIN IMMEDIATE then fails at once with SQLITE_BUSY if another
  // connection (another hcp process) has written in between.
  class Reused {
   public:
    explicit Reused(sql::Statement* s) : s_(s) {}
    ~Reused() {
      if (s_) s_->Reset();
    }
    Reused(const Reused&) = delete;
    Reused& operator=(const Reused&) = delete;
    explicit operator bool() const { return s_ != nullptr; }
    sql::Statement* operator->() const { return s_; }

   private:
    sql::Statement* s_;
  };
  Reused Cached(std::optional<sql::Statement>& slot, std::string_view sql) {
    if (!slot) slot = db_->Prepare(sql);
    return Reused(slot ? &*slot : nullptr);
  }

  Result<IngestResult> IngestOne(const std::string& edge_kid, const RelayedRating& r, int64_t now) {
    // A rating refused before (a batch replayed after a lost acknowledgement) answers as before.
    {
      Reused refused = Cached(ingest_refused_, "SELECT reason, existing_id, detail FROM rejected WHERE id = ?");
      if (!refused) return Failure();
      refused->Bind(1, r.id);
      if (refused->Step() == SQLITE_ROW)
        return IngestResult{r.id, IngestStatus::Rejected, refused->Text(0), refused->Text(1), refused->Text(2)};
    }
    if (!r.invalid.empty()) return RefuseInvalidLocked(edge_kid, r, now);
    // The usual case, a new rating of a new case, in one statement: the insert does nothing when
    // the id (a replay) or the case and assess number (a second rating) is there already, and only
    // then is it looked up which (three lookups ran before every insert: docs/performance.md,
    // relay drain).
    {
      Reused insert = Cached(ingest_insert_,
          "INSERT INTO ratings (id, edge, case_id, assess, kid, unit, unit_name, channel, satisfaction, claims, rating, "
          "received_at_ms, ingested_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
      if (!insert) return Failure();
      insert->Bind(1, r.id).Bind(2, edge_kid).Bind(3, r.case_id).Bind(4, static_cast<int64_t>(r.assess)).Bind(5, r.kid);
      insert->Bind(6, r.unit).Bind(7, r.unit_name).Bind(8, r.channel).Bind(9, static_cast<int64_t>(r.satisfaction));
      insert->Bind(10, r.claims_json).Bind(11, r.rating_json).Bind(12, r.received_at_ms).Bind(13, now);
      if (insert->Step() != SQLITE_DONE) return Failure();
    }
    if (sqlite3_changes(db_->raw()) == 1) {
      if (auto follow = FollowUpLocked(r, now); !follow) return follow.errors();
      if (auto counted = PublicRatingLocked(r, false, now); !counted) return counted.errors();
      return IngestResult{r.id, IngestStatus::Stored, {}, {}, {}};
    }
    // The same id again answers as before; else the case was rated already: kept apart.
    auto same = StoredBeforeLocked(r.id);
    if (!same) return same.errors();
    if (*same) return IngestResult{r.id, IngestStatus::Stored, {}, {}, {}};
    std::string existing;
    {
      Reused winner = Cached(ingest_winner_, "SELECT id FROM ratings WHERE case_id = ? AND assess = ?");
      if (!winner) return Failure();
      winner->Bind(1, r.case_id).Bind(2, static_cast<int64_t>(r.assess));
      if (winner->Step() != SQLITE_ROW) return Failure();
      existing = winner->Text(0);
    }
    return RejectLocked(edge_kid, r, now, IngestResult{r.id, IngestStatus::Rejected, "rating.already_rated", existing, {}});
  }

  // A rating the centre cannot count (RelayedRating::invalid): kept apart with its reason, unless
  // its id was stored before (the damaged copy of a rating the centre has answers as before).
  Result<IngestResult> RefuseInvalidLocked(const std::string& edge_kid, const RelayedRating& r, int64_t now) {
    auto same = StoredBeforeLocked(r.id);
    if (!same) return same.errors();
    if (*same) return IngestResult{r.id, IngestStatus::Stored, {}, {}, {}};
    return RejectLocked(edge_kid, r, now, IngestResult{r.id, IngestStatus::Rejected, r.invalid, {}, r.invalid_detail});
  }

  Result<bool> StoredBeforeLocked(const std::string& id) {
    Reused same = Cached(ingest_same_, "SELECT 1 FROM ratings WHERE id = ?");
    if (!same) return Failure();
    same->Bind(1, id);
    return same->Step() == SQLITE_ROW;
  }

  // Keeps a refused rating in `rejected` (never in the statistics) and answers with `result`.
  Result<IngestResult> RejectLocked(const std::string& edge_kid, const RelayedRating& r, int64_t now, IngestResult result) {
    Reused insert = Cached(ingest_reject_,
        "INSERT INTO rejected (id, edge, case_id, assess, reason, existing_id, claims, rating, received_at_ms, "
        "ingested_at_ms, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert) return Failure();
    insert->Bind(1, r.id).Bind(2, edge_kid).Bind(3, r.case_id).Bind(4, static_cast<int64_t>(r.assess));
    insert->Bind(5, result.reason).Bind(6, result.existing_id).Bind(7, r.claims_json).Bind(8, r.rating_json);
    insert->Bind(9, r.received_at_ms).Bind(10, now).Bind(11, result.detail);
    if (insert->Step() != SQLITE_DONE) return Failure();
    return result;
  }

  // ---- The closed loop (issue 6): what a newly stored rating starts, in the ingest transaction ----
  // Runs only for a rating stored just now, so a replayed batch opens nothing twice.
  Result<bool> FollowUpLocked(const RelayedRating& r, int64_t now) {
    const auto level = FromCode(r.satisfaction, CodeDirection::Deployed);
    if (!level) return true;
    if (IsBad(*level)) {
      Reused open_case = Cached(open_case_,
          "INSERT INTO handling_cases (case_id, assess, rating_id, unit, unit_name, satisfaction, closed, opened_at_ms) "
          "VALUES (?, ?, ?, ?, ?, ?, 0, ?)");
      if (!open_case) return Failure();
      open_case->Bind(1, r.case_id).Bind(2, static_cast<int64_t>(r.assess)).Bind(3, r.id).Bind(4, r.unit);
      open_case->Bind(5, r.unit_name).Bind(6, static_cast<int64_t>(r.satisfaction)).Bind(7, now);
      if (open_case->Step() != SQLITE_DONE) return Failure();
      Reused open_event = Cached(open_event_,
          "INSERT INTO handling_events (case_id, assess, seq, on_date, actor, action, fields, by_user, at_ms) "
          "VALUES (?, ?, 0, ?, 'system', 'open', '{}', 'system', ?)");
      if (!open_event) return Failure();
      open_event->Bind(1, r.case_id).Bind(2, static_cast<int64_t>(r.assess)).Bind(3, r.day.empty() ? CentreDay(now).ToString() : r.day).Bind(4, now);
      if (open_event->Step() != SQLITE_DONE) return Failure();
      if (r.todo) {  // the unit's to-do by webhook, when it has one (docs/notifications.md)
        if (auto queued = InsertOutboxLocked(*r.todo); !queued) return queued.errors();
      }
    } else if (r.comment.find_first_not_of(" \t\r\n") != std::string::npos) {
      Reused suggest = Cached(suggest_,
          "INSERT INTO suggestions (rating_id, case_id, assess, unit, unit_name, satisfaction, text, at_ms) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
      if (!suggest) return Failure();
      suggest->Bind(1, r.id).Bind(2, r.case_id).Bind(3, static_cast<int64_t>(r.assess)).Bind(4, r.unit);
      suggest->Bind(5, r.unit_name).Bind(6, static_cast<int64_t>(r.satisfaction)).Bind(7, r.comment).Bind(8, now);
      if (suggest->Step() != SQLITE_DONE) return Failure();
    }
    return true;
  }
  // ---- end of the closed loop's ingest part ----

  // ---- Outboxes (docs/notifications.md): a message in the caller's transaction. A webhook only
  // when its unit has one configured; the same id again (a replayed event) changes nothing. ----
  Result<bool> InsertOutboxLocked(const OutboxMessage& m) {
    Reused q = Cached(outbox_insert_,
        "INSERT INTO outbox (id, channel, case_id, assess, unit, kind, body, next_at_ms, created_at_ms) "
        "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE ? = 'sms' OR EXISTS "
        "(SELECT 1 FROM units WHERE code = ? AND webhook_url <> '') ON CONFLICT DO NOTHING");
    if (!q) return Failure();
    q->Bind(1, m.id).Bind(2, m.channel).Bind(3, m.case_id).Bind(4, static_cast<int64_t>(m.assess)).Bind(5, m.unit);
    q->Bind(6, m.kind).Bind(7, m.body).Bind(8, m.next_at_ms).Bind(9, m.created_at_ms).Bind(10, m.channel).Bind(11, m.unit);
    if (q->Step() != SQLITE_DONE) return Failure();
    return sqlite3_changes(db_->raw()) == 1;
  }
  static OutboxMessage OutboxFrom(sql::Statement& q) {
    OutboxMessage m;
    m.id = q.Text(0);
    m.channel = q.Text(1);
    m.case_id = q.Text(2);
    m.assess = static_cast<int>(q.Int(3));
    m.unit = q.Text(4);
    m.kind = q.Text(5);
    m.body = q.Text(6);
    m.attempts = static_cast<int>(q.Int(7));
    m.next_at_ms = q.Int(8);
    m.created_at_ms = q.Int(9);
    m.last_error = q.Text(10);
    m.state = q.Text(11);
    return m;
  }

  // ---- Public figures (issue 7): the pending changes of the transaction in progress ----
  struct PublicPending {
    std::map<CellKey, TallyDelta> cells;
    std::map<std::pair<CellKey, int>, int64_t> days;
    std::map<std::pair<std::string, std::string>, std::string> names;
  };
  PublicPending pub_;

  // The period of a filter (validated by the API; an empty end is open).
  Result<std::pair<Date, Date>> PublicRange(const PublicFilter& f) {
    auto first = Date::Parse(f.from.empty() ? "1900-01-01" : f.from, "from");
    if (!first) return first.errors();
    auto last = Date::Parse(f.to.empty() ? "2999-12-31" : f.to, "to");
    if (!last) return last.errors();
    return std::make_pair(*first, *last);
  }
  // A window filter "hall/window" names both; a bare one only the window.
  static std::pair<std::string, std::string> HallWindow(const PublicFilter& f) {
    const auto slash = f.window.rfind('/');
    if (slash == std::string::npos) return {f.hall, f.window};
    return {f.window.substr(0, slash), f.window.substr(slash + 1)};
  }
  static std::string PublicWhere(const PublicFilter& f, const std::string& p = "") {
    const auto [hall, win] = HallWindow(f);
    std::string w;
    if (!f.area.empty()) w += " AND " + p + "area = ?";
    if (!f.unit.empty()) w += " AND " + p + "unit = ?";
    if (!f.item.empty()) w += " AND " + p + "item = ?";
    if (!hall.empty()) w += " AND " + p + "hall = ?";
    if (!win.empty()) w += " AND " + p + "win = ?";
    return w;
  }
  // Binds the segment and the filters in PublicWhere's order; answers the next parameter index.
  static int BindPublic(sql::Statement& q, const PeriodSegment& seg, const PublicFilter& f, bool grain = true) {
    int i = 1;
    if (grain) q.Bind(i++, seg.grain);
    q.Bind(i++, seg.first);
    q.Bind(i++, seg.last);
    const auto [hall, win] = HallWindow(f);
    for (const std::string* v : {&f.area, &f.unit, &f.item, &hall, &win})
      if (!v->empty()) q.Bind(i++, *v);
    return i;
  }

  // A rating stored just now (or, by the backfill, before): its counts, its names, and for a bad
  // rating its public_cases row (the case figures start at nothing: the case has just opened).
  Result<bool> PublicRatingLocked(const RelayedRating& r, bool is_default, int64_t now, bool has_case = true,
                                  bool upheld = false) {
    const RatingPlace place = PlaceOf(r);
    AddAt(pub_.cells, place, RatingDelta(r.satisfaction, is_default));
    AddNames(pub_.names, place);
    const auto level = FromCode(r.satisfaction, CodeDirection::Deployed);
    if (!level || !IsBad(*level) || !has_case) return true;
    CaseFigures figures;
    figures.upheld = upheld;
    AddAt(pub_.cells, place, CaseDelta(r.satisfaction, CaseFigures{}, figures));
    AddAt(pub_.cells, place, ListedDelta(false, place.is_public && !upheld));
    Reused q = Cached(pub_case_,
        "INSERT INTO public_cases (rating_id, case_id, assess, day, area, unit, hall, win, item, satisfaction, is_public, "
        "upheld, stale) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!q) return Failure();
    q->Bind(1, r.id).Bind(2, r.case_id).Bind(3, static_cast<int64_t>(r.assess)).Bind(4, place.day).Bind(5, place.area);
    q->Bind(6, place.unit).Bind(7, place.hall).Bind(8, place.window).Bind(9, place.item);
    q->Bind(10, static_cast<int64_t>(r.satisfaction)).Bind(11, static_cast<int64_t>(place.is_public ? 1 : 0));
    q->Bind(12, static_cast<int64_t>(upheld ? 1 : 0)).Bind(13, static_cast<int64_t>(now == 0 ? 1 : 0));
    if (q->Step() != SQLITE_DONE) return Failure();
    return true;
  }

  // A case's figures change: the difference goes to the pending cells. `figures` none = unchanged
  // except an upheld exclusion. False when the case has no public row.
  Result<bool> PublicCaseLocked(const std::string& case_id, int assess, const std::optional<CaseFigures>& figures,
                                bool exclude) {
    auto q = db_->Prepare(
        "SELECT day, area, unit, hall, win, item, satisfaction, valid_bad, rectified, on_time, closed_invalid, upheld, "
        "close_days, is_public FROM public_cases WHERE case_id = ? AND assess = ?");
    if (!q) return Failure();
    q->Bind(1, case_id).Bind(2, static_cast<int64_t>(assess));
    const int rc = q->Step();
    if (rc == SQLITE_DONE) return false;
    if (rc != SQLITE_ROW) return Failure();
    RatingPlace place;
    place.day = q->Text(0);
    place.area = q->Text(1);
    place.unit = q->Text(2);
    place.hall = q->Text(3);
    place.window = q->Text(4);
    place.item = q->Text(5);
    const int satisfaction = static_cast<int>(q->Int(6));
    const CaseFigures before{q->Int(7) != 0, q->Int(8) != 0, q->Int(9) != 0, q->Int(10) != 0, q->Int(11) != 0,
                             static_cast<int>(q->Int(12))};
    const bool is_public = q->Int(13) != 0;
    q.reset();
    CaseFigures after = figures.value_or(before);
    if (exclude) after.upheld = true;
    AddAt(pub_.cells, place, CaseDelta(satisfaction, before, after));
    AddAt(pub_.cells, place, ListedDelta(is_public && !before.upheld, is_public && !after.upheld));
    AddCloseDays(pub_.days, place, before, after);
    auto u = db_->Prepare(
        "UPDATE public_cases SET valid_bad = ?, rectified = ?, on_time = ?, closed_invalid = ?, upheld = ?, close_days = ?, "
        "stale = 0 WHERE case_id = ? AND assess = ?");
    if (!u) return Failure();
    u->Bind(1, static_cast<int64_t>(after.valid_bad)).Bind(2, static_cast<int64_t>(after.rectified));
    u->Bind(3, static_cast<int64_t>(after.rectified_on_time)).Bind(4, static_cast<int64_t>(after.closed_invalid));
    u->Bind(5, static_cast<int64_t>(after.upheld)).Bind(6, static_cast<int64_t>(after.close_days));
    u->Bind(7, case_id).Bind(8, static_cast<int64_t>(assess));
    if (u->Step() != SQLITE_DONE) return Failure();
    return true;
  }

  // Writes the pending cells, histogram and names (in key order) and clears them.
  bool PublicFlushLocked() {
    std::string cols, vals, sets;
    for (const char* c : kTallyColumnNames) {
      cols += std::string(", ") + c;
      vals += ", ?";
      sets += std::string(sets.empty() ? "" : ", ") + c + " = " + c + " + excluded." + c;
    }
    Reused cell = Cached(pub_cell_, "INSERT INTO public_tally (grain, period, area, unit, hall, win, item" + cols +
                                        ") VALUES (?, ?, ?, ?, ?, ?, ?" + vals + ") ON CONFLICT (grain, period, area, unit, "
                                        "hall, win, item) DO UPDATE SET " + sets);
    if (!cell) return false;
    for (const auto& [k, d] : pub_.cells) {
      if (d.Empty()) continue;
      const auto& [g, p, a, u, h, w, i] = k;
      cell->Bind(1, g).Bind(2, p).Bind(3, a).Bind(4, u).Bind(5, h).Bind(6, w).Bind(7, i);
      for (int c = 0; c < kTallyColumns; ++c) cell->Bind(8 + c, d.v[c]);
      if (cell->Step() != SQLITE_DONE) return false;
      cell->Reset();
    }
    Reused days = Cached(pub_days_,
        "INSERT INTO public_close_days (grain, period, area, unit, hall, win, item, days, cases) VALUES (?, ?, ?, ?, ?, ?, ?, "
        "?, ?) ON CONFLICT (grain, period, area, unit, hall, win, item, days) DO UPDATE SET cases = cases + excluded.cases");
    if (!days) return false;
    for (const auto& [kd, n] : pub_.days) {
      if (n == 0) continue;
      const auto& [g, p, a, u, h, w, i] = kd.first;
      days->Bind(1, g).Bind(2, p).Bind(3, a).Bind(4, u).Bind(5, h).Bind(6, w).Bind(7, i);
      days->Bind(8, static_cast<int64_t>(kd.second)).Bind(9, n);
      if (days->Step() != SQLITE_DONE) return false;
      days->Reset();
    }
    if (!PublicToDateLocked()) return false;
    Reused name = Cached(pub_name_,
        "INSERT INTO public_names (kind, key, name) VALUES (?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET name = excluded.name");
    if (!name) return false;
    for (const auto& [k, n] : pub_.names) {
      name->Bind(1, k.first).Bind(2, k.second).Bind(3, n);
      if (name->Step() != SQLITE_DONE) return false;
      name->Reset();
    }
    pub_ = {};
    return true;
  }
  // The year-to-date rows of the pending day cells (public_tally.h): a row on the day (carried
  // from the cell's latest row before it in the year, or zero), then the change added to it and
  // to every later row of the year.
  bool PublicToDateLocked() {
    static const std::string kCell = " WHERE area = ? AND unit = ? AND hall = ? AND win = ? AND item = ? AND day BETWEEN ? AND ?";
    Reused carry = Cached(pub_carry_, "INSERT INTO public_to_date (area, unit, hall, win, item, day, " + ToDateCounters() +
                                          ") SELECT area, unit, hall, win, item, ?, " + ToDateCounters() +
                                          " FROM public_to_date" + kCell + " ORDER BY day DESC LIMIT 1 ON CONFLICT DO NOTHING");
    Reused zero = Cached(pub_zero_, "INSERT INTO public_to_date (area, unit, hall, win, item, day) VALUES (?, ?, ?, ?, ?, ?) "
                                    "ON CONFLICT DO NOTHING");
    std::string sets;
    for (int c = 0; c < kTallyColumns + kCloseBuckets; ++c) {
      const std::string name = c < kTallyColumns ? kTallyColumnNames[c] : "h" + std::to_string(c - kTallyColumns);
      sets += (c ? ", " : "") + name + " = " + name + " + ?";
    }
    Reused add = Cached(pub_add_, "UPDATE public_to_date SET " + sets + kCell);
    if (!carry || !zero || !add) return false;
    for (const auto& [k, d] : ToDateDeltas(pub_.cells, pub_.days)) {
      const auto& [g, day, a, u, h, w, i] = k;
      const std::string jan1 = day.substr(0, 4) + "-01-01", dec31 = day.substr(0, 4) + "-12-31";
      carry->Bind(1, day).Bind(2, a).Bind(3, u).Bind(4, h).Bind(5, w).Bind(6, i).Bind(7, jan1).Bind(8, day);
      if (carry->Step() != SQLITE_DONE) return false;
      carry->Reset();
      zero->Bind(1, a).Bind(2, u).Bind(3, h).Bind(4, w).Bind(5, i).Bind(6, day);
      if (zero->Step() != SQLITE_DONE) return false;
      zero->Reset();
      int n = 1;
      for (int c = 0; c < kTallyColumns + kCloseBuckets; ++c) add->Bind(n++, d.At(c));
      add->Bind(n, a).Bind(n + 1, u).Bind(n + 2, h).Bind(n + 3, w).Bind(n + 4, i).Bind(n + 5, day).Bind(n + 6, dec31);
      if (add->Step() != SQLITE_DONE) return false;
      add->Reset();
    }
    return true;
  }
  std::optional<sql::Statement> pub_case_, pub_cell_, pub_days_, pub_name_, pub_carry_, pub_zero_, pub_add_;
  // ---- end of the public figures' private part ----

  std::optional<sql::Statement> ingest_same_, ingest_refused_, ingest_winner_, ingest_reject_, ingest_insert_;
  std::optional<sql::Statement> open_case_, open_event_, suggest_;  // the closed loop's, in ingest
  std::optional<sql::Statement> outbox_insert_;                     // the outbox's, in ingest and actions
  std::mutex mu_;
  std::unique_ptr<sql::Db> db_;
  std::string path_;                               // db_'s file, for readers_
  std::vector<std::unique_ptr<sql::Db>> readers_;  // the public figures' (Reader)
};

}  // namespace

std::unique_ptr<CentralStore> OpenSqliteStore(const std::string& data_dir, std::string& error) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    error = "cannot create the data folder " + data_dir + ": " + ec.message();
    return nullptr;
  }
  const std::string path = (std::filesystem::path(data_dir) / "central.db").string();
  auto db = sql::Db::Open(path, kUnderLock, error);
  if (!db || !sql::Migrate(*db, kMigrations, error)) return nullptr;
  // A 64 MB page cache (SQLite's default is 2 MB): the public figures' lookups (two index seeks
  // per cell) then stay in the process instead of a read call per page (docs/performance.md).
  if (!db->Exec("PRAGMA cache_size = -65536")) return error = "sqlite cache_size: " + db->LastError(), nullptr;
  auto store = std::make_unique<SqliteStore>(std::move(db), path);
  if (!store->PublicBackfill(error)) return nullptr;  // issue 7: ratings stored before migration 6
  return store;
}

}  // namespace hcp::central
