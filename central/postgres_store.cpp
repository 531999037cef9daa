// The centre's store on PostgreSQL (libpq): every SQL statement of this backend is in this file.
// Same tables, constraints and answers as sqlite_store.cpp; the differences are PostgreSQL's types
// (BIGINT milliseconds, BOOLEAN flags) and how concurrent writers are kept exactly-once.
//
// Concurrency. Several centres (or several HTTP threads of one, through the pool) may ingest
// overlapping batches at the same moment. We stay in READ COMMITTED and let the unique indexes
// decide: `INSERT ... ON CONFLICT DO NOTHING` on ratings(id) and ratings(case_id, assess). When the
// conflicting row belongs to a transaction still in flight, PostgreSQL waits for it to end and then
// either inserts (it rolled back) or skips (it committed), so exactly one insert of a rating id,
// and exactly one winner per case and assess number, ever commits. The rows that were skipped are
// then re-read: each statement in READ COMMITTED takes a fresh snapshot, so the re-read sees the
// committed winner (or the same id, stored by a replay) and answers Stored or Rejected from it.
// SERIALIZABLE with retry would be correct too, but overlapping batches are the normal case after
// a lost acknowledgement, and SERIALIZABLE would abort and redo whole batches for every overlap;
// ON CONFLICT only waits. Rows are inserted in one order everywhere (case_id, assess, position)
// so two overlapping batches take their index locks in the same order and don't deadlock; should
// PostgreSQL still report a deadlock or serialization failure, or the connection break, the batch
// is retried as a whole, which is safe because ingest is idempotent.
//
// A batch costs BEGIN, one INSERT for all its ratings (arrays through unnest), and only for the
// ones that were not new one SELECT and at most one INSERT into rejected, then COMMIT.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <random>
#include <set>
#include <thread>

#include "central_store.h"
#include "centre_day.h"
#include "hcp/level.h"
#include "pg_pool.h"
#include "public_tally.h"

namespace hcp::central {
namespace {

// The expression public_to_date's cell lookups use (migration 14's index; LatestToDate): a 64-bit
// hash of its five text columns (`p`: "" or a table's alias and a dot). Hashes may collide: a
// lookup compares the five columns as well.
std::string CellHash(const std::string& p) {
  return "hashtextextended(" + p + "area || E'\\x1f' || " + p + "unit || E'\\x1f' || " + p + "hall || E'\\x1f' || " + p +
         "win || E'\\x1f' || " + p + "item, 0)";
}

// A decimal integer of PostgreSQL's text output at `p` (an optional '-', digits); `p` is moved past
// it. (strtoll, with its locale and bases, was 14 % of the centre's time for a from/to range.)
int64_t Integer(const char*& p) {
  const bool negative = *p == '-';
  if (negative) ++p;
  int64_t v = 0;
  while (*p >= '0' && *p <= '9') v = v * 10 + (*p++ - '0');
  return negative ? -v : v;
}

// (ANALYZE: without statistics of the hash the planner reads a cell's days by bitmap and sorts
// them, three times slower than the primary key was; autovacuum keeps them up after this.)
const std::string kCellHashMigration =
    "CREATE INDEX public_to_date_cell ON public_to_date (" + CellHash("") + ", day);\nANALYZE public_to_date";

// Numbered migrations: version i+1 is kMigrations[i]; applied versions are rows of schema_migrations.
// Migration 9 (issue 7, the public figures at 10 million ratings): year-to-date rows per cell,
// filled from the day cells (public_tally.h); and the published bad ratings listed from one index
// in their page order that also holds every filter, so counting them reads that index only.
const std::string kToDateMigration = ToDateMigration(" COLLATE \"C\"", kTallyColumnsOfMigration6) + R"sql(;
DROP INDEX public_cases_published;
CREATE INDEX public_cases_listed ON public_cases(is_public, upheld, day, rating_id COLLATE "C", area, unit, hall, win, item)
)sql";
const std::string kListedMigration = ListedMigration(" COLLATE \"C\"");

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
  is_default BOOLEAN NOT NULL DEFAULT false,
  excluded BOOLEAN NOT NULL DEFAULT false,
  claims TEXT NOT NULL,
  rating TEXT NOT NULL,
  received_at_ms BIGINT NOT NULL,
  ingested_at_ms BIGINT NOT NULL,
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
  received_at_ms BIGINT NOT NULL,
  ingested_at_ms BIGINT NOT NULL
)
)sql",
    // 2: the case registry and the integrating systems' API keys (as in sqlite_store.cpp).
    R"sql(
CREATE TABLE cases (
  case_id TEXT NOT NULL,
  assess INTEGER NOT NULL,
  unit TEXT NOT NULL,
  unit_name TEXT NOT NULL,
  area TEXT NOT NULL,
  channel TEXT NOT NULL,
  finished_at_unix BIGINT NOT NULL,
  contact TEXT NOT NULL,
  body TEXT NOT NULL,
  ticket TEXT NOT NULL,
  short_code TEXT UNIQUE,
  source TEXT NOT NULL,
  registered_at_ms BIGINT NOT NULL,
  PRIMARY KEY (case_id, assess)
);
CREATE INDEX cases_finished ON cases(finished_at_unix);
CREATE TABLE api_keys (
  name TEXT PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  created_at_ms BIGINT NOT NULL,
  revoked_at_ms BIGINT
)
)sql",
    // 3: who opened which evaluator's contact, and why.
    R"sql(
CREATE TABLE contact_access (
  seq BIGSERIAL PRIMARY KEY,
  case_id TEXT NOT NULL,
  assess INTEGER NOT NULL,
  purpose TEXT NOT NULL,
  actor TEXT NOT NULL,
  at_ms BIGINT NOT NULL
);
CREATE INDEX contact_access_case ON contact_access(case_id, assess)
)sql",
    // 4 (issue 6 part B): units, back-office users, sessions, the append-only audit trail (as in
    // sqlite_store.cpp); a trigger refuses UPDATE, DELETE and TRUNCATE of audit.
    R"sql(
CREATE TABLE units (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL
);
CREATE TABLE users (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL CHECK (role IN ('handler', 'reviewer', 'admin', 'auditor')),
  unit TEXT REFERENCES units(code),
  password_hash TEXT NOT NULL,
  disabled BOOLEAN NOT NULL DEFAULT false,
  created_at_ms BIGINT NOT NULL,
  CHECK (role <> 'handler' OR unit IS NOT NULL)
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_name TEXT NOT NULL REFERENCES users(name),
  csrf_token TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  expires_at_ms BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_name);
CREATE TABLE audit (
  seq BIGSERIAL PRIMARY KEY,
  at_ms BIGINT NOT NULL,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  unit TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  before TEXT NOT NULL,
  after TEXT NOT NULL
);
CREATE INDEX audit_object ON audit(object);
CREATE FUNCTION hcp_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit is append-only';
END
$$;
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION hcp_audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION hcp_audit_append_only()
)sql",
    // 5 (issue 6 part A): the closed loop (as in sqlite_store.cpp).
    R"sql(
CREATE TABLE handling_cases (
  case_id TEXT NOT NULL,
  assess INTEGER NOT NULL,
  rating_id TEXT NOT NULL UNIQUE,
  unit TEXT NOT NULL,
  unit_name TEXT NOT NULL,
  satisfaction INTEGER NOT NULL,
  closed BOOLEAN NOT NULL DEFAULT false,
  opened_at_ms BIGINT NOT NULL,
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
  at_ms BIGINT NOT NULL,
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
  at_ms BIGINT NOT NULL
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
    // 7 (issue 6): the outbox to citizens and units' systems (as in sqlite_store.cpp).
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
  next_at_ms BIGINT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  sent_at_ms BIGINT,
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
ALTER TABLE ratings ADD COLUMN export_seq BIGINT;
CREATE UNIQUE INDEX ratings_export_seq ON ratings(export_seq);
CREATE INDEX ratings_unstamped ON ratings(ingested_at_ms, id COLLATE "C") WHERE export_seq IS NULL;
CREATE INDEX ratings_received ON ratings(received_at_ms, id COLLATE "C");
CREATE TABLE export_cursors (
  name TEXT PRIMARY KEY,
  acked BIGINT NOT NULL,
  pending_first BIGINT NOT NULL,
  pending_last BIGINT NOT NULL,
  pending_key TEXT NOT NULL,
  pending_body TEXT NOT NULL,
  updated_at_ms BIGINT NOT NULL
);
CREATE TABLE reports (
  kind TEXT NOT NULL,
  period TEXT NOT NULL,
  as_of TEXT NOT NULL,
  html TEXT NOT NULL,
  csv TEXT NOT NULL,
  json TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  PRIMARY KEY (kind, period)
);
CREATE TABLE samples (
  month TEXT NOT NULL,
  seed TEXT NOT NULL,
  size BIGINT NOT NULL,
  population BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
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
CREATE INDEX public_close_days_summed ON public_close_days(grain, period, area, unit, hall, win, item, days) INCLUDE (cases)
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
    // 14 (issue 7): public_to_date looked up by a 64-bit hash of its cell and the day (LatestToDate):
    // an entry holds the hash and the day instead of five text columns and the day, an index of 35 MB
    // instead of 66 MB at 10 million ratings, and a from/to range's lookups ~30 % less of the
    // database's time. (A migration that makes public_to_date again must make this index and
    // 15's again.)
    kCellHashMigration,
    // 15 (issue 7): public_to_date's rows of one day (a range's lookups over every cell read the
    // rows of its last day first: PublicTallies). 6.5 MB at 10 million ratings: one entry per row,
    // the day's text stored once per page (deduplicated).
    "CREATE INDEX public_to_date_day ON public_to_date (day)",
};

constexpr const char* kCaseColumns =
    "case_id, assess, unit, unit_name, area, channel, finished_at_unix, contact, body, ticket, "
    "coalesce(short_code, ''), source, registered_at_ms";

// Held for the migration transaction: two centres starting at once apply each migration once.
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(7236828238418620020)";  // "hcp_cent.."

constexpr size_t kPoolSize = 4;
constexpr int kIngestAttempts = 5;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string Trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// A PostgreSQL array literal of text: every element quoted, `"` and `\` escaped.
std::string TextArray(const std::vector<const std::string*>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : *items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

template <class T>
std::string NumberArray(const std::vector<T>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(items[i]);
  }
  out += '}';
  return out;
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

// What a failed statement means for the caller.
struct Failure {
  std::string message;
  bool retry = false;  // deadlock, serialization failure, broken connection: run the batch again
};

// One statement on one leased connection; text parameters, text results.
class Session {
 public:
  explicit Session(PGconn* conn) : conn_(conn) {}

  // Runs `sql`; on failure fills `failure` and returns null.
  PgResult Run(const char* sql, const std::vector<std::string>& params = {}) {
    const std::vector<const char*> values = Values(params);
    return Checked(PgResult(params.empty() ? PQexec(conn_, sql)
                                           : PQexecParams(conn_, sql, static_cast<int>(params.size()), nullptr,
                                                          values.data(), nullptr, nullptr, 0)));
  }

  // Run in two halves, for a statement that runs while this thread waits on another connection:
  // Send starts it (false, with `failure` set, if it could not be sent); Collect waits for it and
  // returns what Run would have. Each Send needs its Collect before the session is used again.
  bool Send(const char* sql, const std::vector<std::string>& params) {
    const std::vector<const char*> values = Values(params);
    sent_ = PQsendQueryParams(conn_, sql, static_cast<int>(params.size()), nullptr, values.data(), nullptr, nullptr, 0);
    if (!sent_) Checked(nullptr);
    return sent_;
  }
  PgResult Collect() {
    sent_ = false;
    PgResult res;
    while (PGresult* next = PQgetResult(conn_)) res.reset(next);  // its result, then null: read to the end
    return Checked(std::move(res));
  }

  // Ends a failed transaction so the connection goes back to the pool clean (after waiting for a
  // statement still running from Send).
  void Rollback() {
    if (sent_) Collect();
    if (PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) != PQTRANS_IDLE) PQclear(PQexec(conn_, "ROLLBACK"));
  }

  Failure failure;

 private:
  // The parameters as libpq takes them (pointers into `params`, which must outlive the call).
  static std::vector<const char*> Values(const std::vector<std::string>& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p.c_str());
    return values;
  }

  // `res` if the statement worked; else null, with `failure` filled.
  PgResult Checked(PgResult res) {
    const ExecStatusType status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return res;
    const char* state = res ? PQresultErrorField(res.get(), PG_DIAG_SQLSTATE) : nullptr;
    const std::string sqlstate = state ? state : "";
    failure.message = Trimmed(res ? PQresultErrorMessage(res.get()) : PQerrorMessage(conn_));
    if (failure.message.empty()) failure.message = Trimmed(PQerrorMessage(conn_));
    failure.retry = PQstatus(conn_) != CONNECTION_OK || sqlstate == "40001" || sqlstate == "40P01" ||
                    sqlstate.rfind("08", 0) == 0 || sqlstate == "57P01";
    return nullptr;
  }

  PGconn* conn_;
  bool sent_ = false;
};

bool Migrate(PGconn* conn, std::string& error) {
  Session s(conn);
  auto fail = [&](const std::string& what) {
    error = what + ": " + s.failure.message;
    s.Rollback();
    return false;
  };
  if (!s.Run("BEGIN")) return fail("migrations");
  if (!s.Run(kMigrationLock)) return fail("migration lock");
  if (!s.Run("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
             "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")) {
    return fail("schema_migrations");
  }
  auto current = s.Run("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!current) return fail("schema_migrations");
  const long applied = std::strtol(PQgetvalue(current.get(), 0, 0), nullptr, 10);
  if (applied > static_cast<long>(kMigrations.size())) {
    error = "the database has schema version " + std::to_string(applied) + ", newer than this hcp knows (" +
            std::to_string(kMigrations.size()) + ")";
    s.Rollback();
    return false;
  }
  for (size_t i = static_cast<size_t>(applied); i < kMigrations.size(); ++i) {
    const std::string version = std::to_string(i + 1);
    if (!s.Run(std::string(kMigrations[i]).c_str())) return fail("migration " + version);
    if (!s.Run("INSERT INTO schema_migrations (version) VALUES ($1::int)", {version})) return fail("migration " + version);
  }
  if (!s.Run("COMMIT")) return fail("migrations");
  return true;
}

class PostgresStore : public CentralStore {
 public:
  explicit PostgresStore(std::unique_ptr<pg::Pool> pool) : pool_(std::move(pool)) {}

  Result<std::vector<IngestResult>> Ingest(const std::string& edge_kid, const std::vector<RelayedRating>& batch) override {
    if (batch.empty()) return std::vector<IngestResult>{};
    thread_local std::minstd_rand jitter(std::random_device{}());
    for (int attempt = 1;; ++attempt) {
      {
        auto lease = pool_->Acquire();
        if (!lease) return lease.errors();
        Session s(lease->get());
        auto results = IngestOnce(s, edge_kid, batch);
        if (results) return std::move(*results);
        s.Rollback();
        if (!s.failure.retry || attempt == kIngestAttempts) return Unavailable(s.failure.message);
      }  // the connection goes back to the pool (or, broken, is closed) before we wait
      // Back off a little (5, 10, 20, 40 ms and jitter) before running the batch again.
      const int base = 5 << (attempt - 1);
      std::this_thread::sleep_for(std::chrono::milliseconds(base + static_cast<int>(jitter() % base)));
    }
  }

  Result<Summary> StatsSummary() override {
    // A connection the server dropped is only noticed on use: then once more on a fresh one.
    for (int attempt = 1;; ++attempt) {
      auto lease = pool_->Acquire();
      if (!lease) return lease.errors();
      Session s(lease->get());
      auto summary = SummaryOnce(s);
      if (summary) return std::move(*summary);
      s.Rollback();
      if (!s.failure.retry || attempt == 2) return Unavailable(s.failure.message);
    }
  }

  Result<CaseRegistered> RegisterCase(const CaseRecord& c) override {
    return WithSession<CaseRegistered>([&](Session& s) -> std::optional<CaseRegistered> {
      // The short code goes in as NULL when there is none: UNIQUE allows many NULLs.
      const std::string sql =
          "INSERT INTO cases (case_id, assess, unit, unit_name, area, channel, finished_at_unix, contact, body, ticket, "
          "short_code, source, registered_at_ms) VALUES ($1, $2::int, $3, $4, $5, $6, $7::bigint, $8, $9, $10, "
          "nullif($11, ''), $12, $13::bigint) ON CONFLICT (case_id, assess) DO NOTHING RETURNING case_id";
      auto inserted = s.Run(sql.c_str(), {c.case_id, std::to_string(c.assess), c.unit, c.unit_name, c.area, c.channel,
                                          std::to_string(c.finished_at_unix), c.contact, c.body, c.ticket, c.short_code,
                                          c.source, std::to_string(c.registered_at_ms)});
      if (!inserted) return std::nullopt;
      if (PQntuples(inserted.get()) == 1) return CaseRegistered{true, c};
      // Another report of the case committed first (the insert waited for it): read it.
      auto existing = FindOnce(s, c.case_id, c.assess);
      if (!existing) return std::nullopt;
      if (!*existing) {
        s.failure = Failure{"case " + c.case_id + " was neither stored nor found", true};
        return std::nullopt;
      }
      return CaseRegistered{false, **existing};
    });
  }

  Result<std::optional<CaseRecord>> FindCase(const std::string& case_id, int assess) override {
    return WithSession<std::optional<CaseRecord>>([&](Session& s) { return FindOnce(s, case_id, assess); });
  }

  Result<std::optional<std::string>> TicketByShortCode(const std::string& code) override {
    return OneText("SELECT ticket FROM cases WHERE short_code = $1", {code});
  }

  Result<std::optional<std::string>> RatingText(const std::string& case_id, int assess) override {
    return OneText("SELECT rating FROM ratings WHERE case_id = $1 AND assess = $2::int", {case_id, std::to_string(assess)});
  }

  Result<std::optional<std::string>> RatingClaims(const std::string& case_id, int assess) override {
    return OneText("SELECT claims FROM ratings WHERE case_id = $1 AND assess = $2::int", {case_id, std::to_string(assess)});
  }

  Result<bool> RecordContactAccess(const ContactAccess& a) override {
    return WithSession<bool>([&](Session& s) -> std::optional<bool> {
      if (!s.Run("INSERT INTO contact_access (case_id, assess, purpose, actor, at_ms) VALUES ($1, $2::int, $3, $4, $5::bigint)",
                 {a.case_id, std::to_string(a.assess), a.purpose, a.actor, std::to_string(a.at_ms)}))
        return std::nullopt;
      return true;
    });
  }

  Result<std::vector<ContactAccess>> ContactAccesses(const std::string& case_id, int assess) override {
    return WithSession<std::vector<ContactAccess>>([&](Session& s) -> std::optional<std::vector<ContactAccess>> {
      auto r = s.Run("SELECT case_id, assess, purpose, actor, at_ms FROM contact_access WHERE case_id = $1 AND "
                     "assess = $2::int ORDER BY seq",
                     {case_id, std::to_string(assess)});
      if (!r) return std::nullopt;
      std::vector<ContactAccess> out;
      for (int i = 0, n = PQntuples(r.get()); i < n; ++i)
        out.push_back(ContactAccess{PQgetvalue(r.get(), i, 0),
                                    static_cast<int>(std::strtol(PQgetvalue(r.get(), i, 1), nullptr, 10)),
                                    PQgetvalue(r.get(), i, 2), PQgetvalue(r.get(), i, 3),
                                    std::strtoll(PQgetvalue(r.get(), i, 4), nullptr, 10)});
      return out;
    });
  }

  Result<bool> AddApiKey(const std::string& name, const std::string& key_hash) override {
    return WithSession<bool>([&](Session& s) -> std::optional<bool> {
      auto r = s.Run("INSERT INTO api_keys (name, hash, created_at_ms) VALUES ($1, $2, $3::bigint) "
                     "ON CONFLICT (name) DO NOTHING RETURNING name",
                     {name, key_hash, std::to_string(NowMs())});
      if (!r) return std::nullopt;
      return PQntuples(r.get()) == 1;
    });
  }

  Result<std::optional<std::string>> ApiKeyName(const std::string& key_hash) override {
    return OneText("SELECT name FROM api_keys WHERE hash = $1 AND revoked_at_ms IS NULL", {key_hash});
  }

  Result<std::vector<ApiKeyInfo>> ListApiKeys() override {
    return WithSession<std::vector<ApiKeyInfo>>([&](Session& s) -> std::optional<std::vector<ApiKeyInfo>> {
      auto r = s.Run("SELECT name, created_at_ms, (revoked_at_ms IS NOT NULL)::int FROM api_keys ORDER BY name COLLATE \"C\"");
      if (!r) return std::nullopt;
      std::vector<ApiKeyInfo> out;
      for (int i = 0, n = PQntuples(r.get()); i < n; ++i)
        out.push_back(ApiKeyInfo{PQgetvalue(r.get(), i, 0), std::strtoll(PQgetvalue(r.get(), i, 1), nullptr, 10),
                                 std::string_view(PQgetvalue(r.get(), i, 2)) == "1"});
      return out;
    });
  }

  Result<bool> RevokeApiKey(const std::string& name) override {
    return WithSession<bool>([&](Session& s) -> std::optional<bool> {
      auto r = s.Run("UPDATE api_keys SET revoked_at_ms = $1::bigint WHERE name = $2 AND revoked_at_ms IS NULL "
                     "RETURNING name",
                     {std::to_string(NowMs()), name});
      if (!r) return std::nullopt;
      return PQntuples(r.get()) == 1;
    });
  }

  // ---- People and access (issue 6 part B) ----

  Result<bool> AddUnit(const UnitRecord& u) override {
    return WithSession<bool>([&](Session& s) { return InsertUnit(s, u, true); });
  }

  Result<std::optional<UnitRecord>> FindUnit(const std::string& code) override {
    return WithSession<std::optional<UnitRecord>>([&](Session& s) -> std::optional<std::optional<UnitRecord>> {
      auto r = s.Run("SELECT code, name, created_at_ms FROM units WHERE code = $1", {code});
      if (!r) return std::nullopt;
      if (PQntuples(r.get()) == 0) return std::optional<UnitRecord>();
      return std::optional<UnitRecord>(UnitRecord{PQgetvalue(r.get(), 0, 0), PQgetvalue(r.get(), 0, 1),
                                                  std::strtoll(PQgetvalue(r.get(), 0, 2), nullptr, 10)});
    });
  }

  Result<bool> AddUser(const UserRecord& u) override {
    return WithSession<bool>([&](Session& s) { return InsertUser(s, u, true); });
  }

  Result<std::optional<UserRecord>> FindUser(const std::string& name) override {
    return WithSession<std::optional<UserRecord>>([&](Session& s) -> std::optional<std::optional<UserRecord>> {
      auto r = s.Run("SELECT name, role, coalesce(unit, ''), password_hash, disabled::int, created_at_ms FROM users "
                     "WHERE name = $1",
                     {name});
      if (!r) return std::nullopt;
      if (PQntuples(r.get()) == 0) return std::optional<UserRecord>();
      auto text = [&](int col) { return std::string(PQgetvalue(r.get(), 0, col)); };
      return std::optional<UserRecord>(UserRecord{text(0), text(1), text(2), text(3), text(4) == "1",
                                                  std::strtoll(text(5).c_str(), nullptr, 10)});
    });
  }

  Result<bool> DisableUser(const std::string& name) override {
    return WithSession<bool>([&](Session& s) -> std::optional<bool> {
      if (!s.Run("BEGIN")) return std::nullopt;
      auto r = s.Run("UPDATE users SET disabled = true WHERE name = $1 RETURNING name", {name});
      if (!r) return std::nullopt;
      if (!s.Run("DELETE FROM sessions WHERE user_name = $1", {name})) return std::nullopt;
      if (!s.Run("COMMIT")) return std::nullopt;
      return PQntuples(r.get()) == 1;
    });
  }

  Result<bool> ImportPeople(const std::vector<UnitRecord>& units, const std::vector<UserRecord>& users) override {
    return WithSession<bool>([&](Session& s) -> std::optional<bool> {
      if (!s.Run("BEGIN")) return std::nullopt;
      for (const auto& u : units)
        if (!InsertUnit(s, u, false)) return std::nullopt;
      for (const auto& u : users)
        if (!InsertUser(s, u, false)) return std::nullopt;
      if (!s.Run("COMMIT")) return std::nullopt;
      return true;
    });
  }

  Result<bool> AddSession(const SessionRecord& x) override {
    return WithSession<bool>([&](Session& s) -> std::optional<bool> {
      if (!s.Run("INSERT INTO sessions (token_hash, user_name, csrf_token, created_at_ms, expires_at_ms) "
                 "VALUES ($1, $2, $3, $4::bigint, $5::bigint)",
                 {x.token_hash, x.user, x.csrf_token, std::to_string(x.created_at_ms), std::to_string(x.expires_at_ms)}))
        return std::nullopt;
      return true;
    });
  }

  Result<std::optional<SessionRecord>> FindSession(const std::string& token_hash) override {
    return WithSession<std::optional<SessionRecord>>([&](Session& s) -> std::optional<std::optional<SessionRecord>> {
      auto r = s.Run("SELECT token_hash, user_name, csrf_token, created_at_ms, expires_at_ms FROM sessions "
                     "WHERE token_hash = $1",
                     {token_hash});
      if (!r) return std::nullopt;
      if (PQntuples(r.get()) == 0) return std::optional<SessionRecord>();
      auto text = [&](int col) { return std::string(PQgetvalue(r.get(), 0, col)); };
      return std::optional<SessionRecord>(SessionRecord{text(0), text(1), text(2),
                                                        std::strtoll(text(3).c_str(), nullptr, 10),
                                                        std::strtoll(text(4).c_str(), nullptr, 10)});
    });
  }

  Result<bool> DeleteSession(const std::string& token_hash) override {
    return WithSession<bool>([&](Session& s) -> std::optional<bool> {
      auto r = s.Run("DELETE FROM sessions WHERE token_hash = $1 RETURNING token_hash", {token_hash});
      if (!r) return std::nullopt;
      return PQntuples(r.get()) == 1;
    });
  }

  Result<int64_t> AppendAudit(const AuditEntry& e) override {
    return WithSession<int64_t>([&](Session& s) -> std::optional<int64_t> {
      auto r = s.Run("INSERT INTO audit (at_ms, actor, role, unit, action, object, before, after) "
                     "VALUES ($1::bigint, $2, $3, $4, $5, $6, $7, $8) RETURNING seq",
                     {std::to_string(e.at_ms), e.actor, e.role, e.unit, e.action, e.object, e.before_json, e.after_json});
      if (!r) return std::nullopt;
      return std::strtoll(PQgetvalue(r.get(), 0, 0), nullptr, 10);
    });
  }

  Result<std::vector<AuditEntry>> AuditTrail(const std::string& object, int64_t limit) override {
    return WithSession<std::vector<AuditEntry>>([&](Session& s) -> std::optional<std::vector<AuditEntry>> {
      auto r = s.Run("SELECT seq, at_ms, actor, role, unit, action, object, before, after FROM audit "
                     "WHERE $1::text = '' OR object = $1::text ORDER BY seq LIMIT $2::bigint",
                     {object, std::to_string(limit)});
      if (!r) return std::nullopt;
      std::vector<AuditEntry> out;
      for (int i = 0, n = PQntuples(r.get()); i < n; ++i) {
        auto text = [&](int col) { return std::string(PQgetvalue(r.get(), i, col)); };
        out.push_back(AuditEntry{std::strtoll(text(0).c_str(), nullptr, 10), std::strtoll(text(1).c_str(), nullptr, 10),
                                 text(2), text(3), text(4), text(5), text(6), text(7), text(8)});
      }
      return out;
    });
  }

  bool Healthy() override {
    for (int attempt = 1; attempt <= 2; ++attempt) {
      auto lease = pool_->Acquire(std::chrono::seconds(5));
      if (!lease) return false;
      Session s(lease->get());
      auto one = s.Run("SELECT 1");
      if (one) return PQntuples(one.get()) == 1;
      if (!s.failure.retry) return false;
    }
    return false;
  }

  // ---- Reports, sampling and the national export (issue 7) ----
  Result<bool> ScanRatings(const RatingScan& scan, const std::function<bool(std::vector<StoredRating>&)>& page) override {
    // Keyset pages on (received_at_ms, id in byte order): one short query per page, memory one
    // page; the lower bound on received_at_ms is the cursor's own, so each page starts in the
    // index where the last one ended.
    int64_t after_ms = scan.from_ms - 1;
    std::string after_id;
    const std::string filter =
        " WHERE r.received_at_ms < $1::bigint AND ($2 = '' OR r.unit = $2) AND r.received_at_ms >= $3::bigint AND "
        "(r.received_at_ms, r.id COLLATE \"C\") > ($4::bigint, $5::text COLLATE \"C\")";
    for (;;) {
      const std::string low = std::to_string(std::max(scan.from_ms, after_ms));
      auto rows = WithSession<std::vector<StoredRating>>([&](Session& s) -> std::optional<std::vector<StoredRating>> {
        const std::string sql = std::string(kStoredRatingSelect) + filter +
                                " ORDER BY r.received_at_ms, r.id COLLATE \"C\" LIMIT $6::int";
        auto r = s.Run(sql.c_str(), {std::to_string(scan.to_ms), scan.unit, low, std::to_string(after_ms), after_id,
                                     std::to_string(scan.page_size)});
        if (!r) return std::nullopt;
        std::vector<StoredRating> out = StoredRows(r.get());
        if (out.empty()) return out;
        const std::string esql = std::string(kStoredEventSelect) + filter +
                                 " AND r.received_at_ms <= $6::bigint AND (r.received_at_ms, r.id COLLATE \"C\") <= "
                                 "($6::bigint, $7::text COLLATE \"C\")" + kStoredEventOrder;
        auto e = s.Run(esql.c_str(), {std::to_string(scan.to_ms), scan.unit, low, std::to_string(after_ms), after_id,
                                      std::to_string(out.back().received_at_ms), out.back().id});
        if (!e) return std::nullopt;
        AttachEvents(e.get(), out);
        return out;
      });
      if (!rows) return rows.errors();
      std::vector<StoredRating> got = std::move(rows).value();
      if (got.empty()) return true;
      after_ms = got.back().received_at_ms;
      after_id = got.back().id;
      const bool full = static_cast<int>(got.size()) == scan.page_size;
      if (!page(got)) return false;
      if (!full) return true;
    }
  }

  Result<int64_t> StampExportSequence() override {
    // Serialised by an advisory lock held to COMMIT: the numbers of one step are all above those
    // of every step committed before it, so a reader that sees n sees every number below n.
    for (;;) {
      auto step = WithSession<std::pair<int64_t, int64_t>>([&](Session& s) -> std::optional<std::pair<int64_t, int64_t>> {
        if (!s.Run("BEGIN") || !s.Run(kExportStampLock)) return std::nullopt;
        auto top = s.Run("SELECT coalesce(max(export_seq), 0) FROM ratings");
        if (!top) return std::nullopt;
        const int64_t base = std::strtoll(PQgetvalue(top.get(), 0, 0), nullptr, 10);
        auto u = s.Run(
            "UPDATE ratings SET export_seq = s.n FROM (SELECT id, $1::bigint + row_number() OVER (ORDER BY ingested_at_ms, "
            "id COLLATE \"C\") AS n FROM (SELECT id, ingested_at_ms FROM ratings WHERE export_seq IS NULL ORDER BY "
            "ingested_at_ms, id COLLATE \"C\" LIMIT $2::int) t) s WHERE ratings.id = s.id",
            {std::to_string(base), std::to_string(kStampChunk)});
        if (!u) return std::nullopt;
        const int64_t changed = std::strtoll(PQcmdTuples(u.get()), nullptr, 10);
        if (!s.Run("COMMIT")) return std::nullopt;
        return std::make_pair(base, changed);
      });
      if (!step) return step.errors();
      if (step->second < kStampChunk) return step->first + step->second;
    }
  }

  Result<std::vector<StoredRating>> RatingsBySequence(int64_t after, int64_t upto, int64_t limit) override {
    return WithSession<std::vector<StoredRating>>([&](Session& s) -> std::optional<std::vector<StoredRating>> {
      const std::string sql = std::string(kStoredRatingSelect) +
                              " WHERE r.export_seq > $1::bigint AND r.export_seq <= $2::bigint ORDER BY r.export_seq "
                              "LIMIT $3::bigint";
      auto r = s.Run(sql.c_str(), {std::to_string(after), std::to_string(upto), std::to_string(limit)});
      if (!r) return std::nullopt;
      std::vector<StoredRating> out = StoredRows(r.get());
      if (out.empty()) return out;
      const std::string esql = std::string(kStoredEventSelect) +
                               " WHERE r.export_seq > $1::bigint AND r.export_seq <= $2::bigint" + kStoredEventOrder;
      auto e = s.Run(esql.c_str(), {std::to_string(after), std::to_string(out.back().export_seq)});
      if (!e) return std::nullopt;
      AttachEvents(e.get(), out);
      return out;
    });
  }

  Result<ExportCursor> LoadExportCursor(const std::string& name) override {
    return WithSession<ExportCursor>([&](Session& s) -> std::optional<ExportCursor> {
      auto r = s.Run("SELECT acked, pending_first, pending_last, pending_key, updated_at_ms, pending_body FROM "
                     "export_cursors WHERE name = $1",
                     {name});
      if (!r) return std::nullopt;
      ExportCursor c;
      c.name = name;
      if (PQntuples(r.get()) == 0) return c;
      auto number = [&](int col) { return std::strtoll(PQgetvalue(r.get(), 0, col), nullptr, 10); };
      c.acked = number(0);
      c.pending_first = number(1);
      c.pending_last = number(2);
      c.pending_key = PQgetvalue(r.get(), 0, 3);
      c.updated_at_ms = number(4);
      c.pending_body = PQgetvalue(r.get(), 0, 5);
      return c;
    });
  }

  Result<bool> SaveExportCursor(const ExportCursor& c) override {
    return WithSession<bool>([&](Session& s) -> std::optional<bool> {
      if (!s.Run("INSERT INTO export_cursors (name, acked, pending_first, pending_last, pending_key, updated_at_ms, "
                 "pending_body) VALUES ($1, $2::bigint, $3::bigint, $4::bigint, $5, $6::bigint, $7) ON CONFLICT (name) "
                 "DO UPDATE SET acked = excluded.acked, pending_first = excluded.pending_first, pending_last = "
                 "excluded.pending_last, pending_key = excluded.pending_key, updated_at_ms = excluded.updated_at_ms, "
                 "pending_body = excluded.pending_body",
                 {c.name, std::to_string(c.acked), std::to_string(c.pending_first), std::to_string(c.pending_last),
                  c.pending_key, std::to_string(c.updated_at_ms ? c.updated_at_ms : NowMs()), c.pending_body}))
        return std::nullopt;
      return true;
    });
  }

  Result<bool> StoreReport(const StoredReport& r) override {
    return WithSession<bool>([&](Session& s) -> std::optional<bool> {
      auto res = s.Run("INSERT INTO reports (kind, period, as_of, html, csv, json, created_at_ms) VALUES ($1, $2, $3, $4, "
                       "$5, $6, $7::bigint) ON CONFLICT DO NOTHING RETURNING kind",
                       {r.kind, r.period, r.as_of, r.html, r.csv, r.json,
                        std::to_string(r.created_at_ms ? r.created_at_ms : NowMs())});
      if (!res) return std::nullopt;
      return PQntuples(res.get()) == 1;
    });
  }

  Result<std::vector<StoredReport>> ListReports() override {
    return WithSession<std::vector<StoredReport>>([&](Session& s) -> std::optional<std::vector<StoredReport>> {
      auto r = s.Run("SELECT kind, period, as_of, created_at_ms FROM reports ORDER BY period COLLATE \"C\" DESC, kind COLLATE \"C\"");
      if (!r) return std::nullopt;
      std::vector<StoredReport> out;
      for (int i = 0, n = PQntuples(r.get()); i < n; ++i)
        out.push_back(StoredReport{PQgetvalue(r.get(), i, 0), PQgetvalue(r.get(), i, 1), PQgetvalue(r.get(), i, 2), "",
                                   "", "", std::strtoll(PQgetvalue(r.get(), i, 3), nullptr, 10)});
      return out;
    });
  }

  Result<std::optional<StoredReport>> FindReport(const std::string& kind, const std::string& period) override {
    return WithSession<std::optional<StoredReport>>([&](Session& s) -> std::optional<std::optional<StoredReport>> {
      auto r = s.Run("SELECT kind, period, as_of, html, csv, json, created_at_ms FROM reports WHERE kind = $1 AND period = $2",
                     {kind, period});
      if (!r) return std::nullopt;
      if (PQntuples(r.get()) == 0) return std::optional<StoredReport>();
      auto text = [&](int col) { return std::string(PQgetvalue(r.get(), 0, col)); };
      return std::optional<StoredReport>(StoredReport{text(0), text(1), text(2), text(3), text(4), text(5),
                                                      std::strtoll(text(6).c_str(), nullptr, 10)});
    });
  }

  Result<bool> StoreSample(const SampleRecord& x, const std::vector<SurveyTask>& tasks) override {
    return WithSession<bool>([&](Session& s) -> std::optional<bool> {
      if (!s.Run("BEGIN")) return std::nullopt;
      auto ins = s.Run("INSERT INTO samples (month, seed, size, population, created_by, created_at_ms) VALUES ($1, $2, "
                       "$3::bigint, $4::bigint, $5, $6::bigint) ON CONFLICT DO NOTHING RETURNING month",
                       {x.month, x.seed, std::to_string(x.size), std::to_string(x.population), x.created_by,
                        std::to_string(x.created_at_ms ? x.created_at_ms : NowMs())});
      if (!ins) return std::nullopt;
      if (PQntuples(ins.get()) == 0) {
        s.Rollback();
        return false;
      }
      std::vector<const std::string*> units, names, evaluators, ratings, cases;
      std::vector<int> positions, assesses;
      for (const auto& t : tasks) {
        units.push_back(&t.unit);
        names.push_back(&t.unit_name);
        evaluators.push_back(&t.evaluator_id);
        ratings.push_back(&t.rating_id);
        cases.push_back(&t.case_id);
        positions.push_back(t.position);
        assesses.push_back(t.assess);
      }
      if (!tasks.empty() &&
          !s.Run("INSERT INTO survey_tasks (month, seed, position, unit, unit_name, evaluator_id, rating_id, case_id, "
                 "assess) SELECT $1, $2, * FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::text[], "
                 "$8::text[], $9::int[])",
                 {x.month, x.seed, NumberArray(positions), TextArray(units), TextArray(names), TextArray(evaluators),
                  TextArray(ratings), TextArray(cases), NumberArray(assesses)}))
        return std::nullopt;
      if (!s.Run("COMMIT")) return std::nullopt;
      return true;
    });
  }

  Result<std::optional<SampleRecord>> FindSample(const std::string& month, const std::string& seed) override {
    return WithSession<std::optional<SampleRecord>>([&](Session& s) -> std::optional<std::optional<SampleRecord>> {
      auto r = s.Run("SELECT month, seed, size, population, created_by, created_at_ms FROM samples WHERE month = $1 AND "
                     "seed = $2",
                     {month, seed});
      if (!r) return std::nullopt;
      if (PQntuples(r.get()) == 0) return std::optional<SampleRecord>();
      return std::optional<SampleRecord>(SampleAt(r.get(), 0));
    });
  }

  Result<std::vector<SampleRecord>> ListSamples() override {
    return WithSession<std::vector<SampleRecord>>([&](Session& s) -> std::optional<std::vector<SampleRecord>> {
      auto r = s.Run("SELECT month, seed, size, population, created_by, created_at_ms FROM samples ORDER BY month "
                     "COLLATE \"C\" DESC, created_at_ms");
      if (!r) return std::nullopt;
      std::vector<SampleRecord> out;
      for (int i = 0, n = PQntuples(r.get()); i < n; ++i) out.push_back(SampleAt(r.get(), i));
      return out;
    });
  }

  Result<std::vector<SurveyTask>> SurveyTasks(const std::string& month, const std::string& seed,
                                              const std::string& unit) override {
    return WithSession<std::vector<SurveyTask>>([&](Session& s) -> std::optional<std::vector<SurveyTask>> {
      auto r = s.Run("SELECT month, seed, position, unit, unit_name, evaluator_id, rating_id, case_id, assess FROM "
                     "survey_tasks WHERE month = $1 AND seed = $2 AND ($3 = '' OR unit = $3) ORDER BY position",
                     {month, seed, unit});
      if (!r) return std::nullopt;
      std::vector<SurveyTask> out;
      for (int i = 0, n = PQntuples(r.get()); i < n; ++i) {
        auto text = [&](int col) { return std::string(PQgetvalue(r.get(), i, col)); };
        out.push_back(SurveyTask{text(0), text(1), std::atoi(text(2).c_str()), text(3), text(4), text(5), text(6),
                                 text(7), std::atoi(text(8).c_str())});
      }
      return out;
    });
  }

 private:
  static constexpr int64_t kStampChunk = 10000;
  static constexpr const char* kExportStampLock = "SELECT pg_advisory_xact_lock(7236828238418620021)";
  static constexpr const char* kStoredRatingSelect =
      "SELECT coalesce(r.export_seq, 0), r.id, r.case_id, r.assess, r.unit, r.unit_name, r.channel, r.satisfaction, "
      "r.is_default::int, r.excluded::int, r.claims, r.rating, r.received_at_ms FROM ratings r";
  static constexpr const char* kStoredEventSelect =
      "SELECT e.case_id, e.assess, e.seq, e.on_date, e.actor, e.action, e.fields, e.by_user, e.at_ms FROM ratings r "
      "JOIN handling_events e ON e.case_id = r.case_id AND e.assess = r.assess";
  static constexpr const char* kStoredEventOrder = " ORDER BY e.case_id COLLATE \"C\", e.assess, e.seq";

  static std::vector<StoredRating> StoredRows(PGresult* r) {
    std::vector<StoredRating> out;
    for (int i = 0, n = PQntuples(r); i < n; ++i) {
      auto text = [&](int col) { return std::string(PQgetvalue(r, i, col)); };
      auto number = [&](int col) { return std::strtoll(PQgetvalue(r, i, col), nullptr, 10); };
      StoredRating s;
      s.export_seq = number(0);
      s.id = text(1);
      s.case_id = text(2);
      s.assess = static_cast<int>(number(3));
      s.unit = text(4);
      s.unit_name = text(5);
      s.channel = text(6);
      s.satisfaction = static_cast<int>(number(7));
      s.is_default = number(8) != 0;
      s.excluded = number(9) != 0;
      s.claims_json = text(10);
      s.rating_json = text(11);
      s.received_at_ms = number(12);
      out.push_back(std::move(s));
    }
    return out;
  }

  static void AttachEvents(PGresult* e, std::vector<StoredRating>& rows) {
    std::map<std::pair<std::string, int>, size_t> index;
    for (size_t i = 0; i < rows.size(); ++i) index[{rows[i].case_id, rows[i].assess}] = i;
    for (int i = 0, n = PQntuples(e); i < n; ++i) {
      auto text = [&](int col) { return std::string(PQgetvalue(e, i, col)); };
      auto number = [&](int col) { return std::strtoll(PQgetvalue(e, i, col), nullptr, 10); };
      auto it = index.find({text(0), static_cast<int>(number(1))});
      if (it == index.end()) continue;
      rows[it->second].events.push_back(HandlingEvent{static_cast<int>(number(2)), text(3), text(4), text(5), text(6),
                                                      text(7), number(8)});
    }
  }

  static SampleRecord SampleAt(PGresult* r, int i) {
    auto text = [&](int col) { return std::string(PQgetvalue(r, i, col)); };
    return SampleRecord{text(0), text(1), std::strtoll(text(2).c_str(), nullptr, 10),
                        std::strtoll(text(3).c_str(), nullptr, 10), text(4), std::strtoll(text(5).c_str(), nullptr, 10)};
  }
  // ---- end of issue 7 ----

 private:
  static Error Unavailable(const std::string& message) { return MakeError("server.unavailable", "", message); }

  // Runs `once` on a leased connection; once more on a fresh one when the connection broke (a
  // restarted server is only noticed on use). `once` returns nothing with s.failure set.
  template <class T, class F>
  Result<T> WithSession(F once) {
    for (int attempt = 1;; ++attempt) {
      auto lease = pool_->Acquire();
      if (!lease) return lease.errors();
      Session s(lease->get());
      std::optional<T> out = once(s);
      if (out) return std::move(*out);
      s.Rollback();
      if (!s.failure.retry || attempt == 2) return Unavailable(s.failure.message);
    }
  }

  // The first column of the first row, if there is a row.
  Result<std::optional<std::string>> OneText(const char* sql, const std::vector<std::string>& params) {
    return WithSession<std::optional<std::string>>([&](Session& s) -> std::optional<std::optional<std::string>> {
      auto r = s.Run(sql, params);
      if (!r) return std::nullopt;
      if (PQntuples(r.get()) == 0) return std::optional<std::string>();
      return std::optional<std::string>(PQgetvalue(r.get(), 0, 0));
    });
  }

  // ---- People and access: inserts shared by Add* (false when taken) and ImportPeople (a taken
  // code or name fails the statement, and so the whole import). ----
  static std::optional<bool> InsertUnit(Session& s, const UnitRecord& u, bool taken_is_false) {
    const std::string sql = std::string("INSERT INTO units (code, name, created_at_ms) VALUES ($1, $2, $3::bigint)") +
                            (taken_is_false ? " ON CONFLICT (code) DO NOTHING" : "") + " RETURNING code";
    auto r = s.Run(sql.c_str(), {u.code, u.name, std::to_string(u.created_at_ms ? u.created_at_ms : NowMs())});
    if (!r) return std::nullopt;
    return PQntuples(r.get()) == 1;
  }
  static std::optional<bool> InsertUser(Session& s, const UserRecord& u, bool taken_is_false) {
    const std::string sql =
        std::string("INSERT INTO users (name, role, unit, password_hash, disabled, created_at_ms) "
                    "VALUES ($1, $2, nullif($3, ''), $4, $5::boolean, $6::bigint)") +
        (taken_is_false ? " ON CONFLICT (name) DO NOTHING" : "") + " RETURNING name";
    auto r = s.Run(sql.c_str(), {u.name, u.role, u.unit, u.password_hash, u.disabled ? "true" : "false",
                                 std::to_string(u.created_at_ms ? u.created_at_ms : NowMs())});
    if (!r) return std::nullopt;
    return PQntuples(r.get()) == 1;
  }

  static std::optional<std::optional<CaseRecord>> FindOnce(Session& s, const std::string& case_id, int assess) {
    const std::string sql = std::string("SELECT ") + kCaseColumns + " FROM cases WHERE case_id = $1 AND assess = $2::int";
    auto r = s.Run(sql.c_str(), {case_id, std::to_string(assess)});
    if (!r) return std::nullopt;
    if (PQntuples(r.get()) == 0) return std::optional<CaseRecord>();
    return std::optional<CaseRecord>(CaseAt(r.get(), 0));
  }

  static CaseRecord CaseAt(PGresult* res, int row) {
    auto text = [&](int col) { return std::string(PQgetvalue(res, row, col)); };
    auto number = [&](int col) { return std::strtoll(PQgetvalue(res, row, col), nullptr, 10); };
    CaseRecord c;
    c.case_id = text(0);
    c.assess = static_cast<int>(number(1));
    c.unit = text(2);
    c.unit_name = text(3);
    c.area = text(4);
    c.channel = text(5);
    c.finished_at_unix = number(6);
    c.contact = text(7);
    c.body = text(8);
    c.ticket = text(9);
    c.short_code = text(10);
    c.source = text(11);
    c.registered_at_ms = number(12);
    return c;
  }

  static std::optional<Summary> SummaryOnce(Session& s) {
    // One snapshot for both queries, so the rejected count matches the totals. Units in byte order,
    // as SQLite sorts them, whatever the database's collation.
    if (!s.Run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")) return std::nullopt;
    auto rows = s.Run(
        "SELECT unit, unit_name, channel, satisfaction, is_default::int, excluded::int, count(*) FROM ratings "
        "GROUP BY unit, unit_name, channel, satisfaction, is_default, excluded ORDER BY unit COLLATE \"C\"");
    if (!rows) return std::nullopt;
    auto rejected = s.Run("SELECT reason, count(*) FROM rejected GROUP BY reason");
    if (!rejected) return std::nullopt;
    if (!s.Run("COMMIT")) return std::nullopt;

    Summary out;
    auto text = [&](int row, int col) { return std::string(PQgetvalue(rows.get(), row, col)); };
    auto number = [&](int row, int col) { return std::strtoll(PQgetvalue(rows.get(), row, col), nullptr, 10); };
    std::map<std::string, size_t> unit_index;
    for (int i = 0, n = PQntuples(rows.get()); i < n; ++i) {
      auto level = FromCode(static_cast<int>(number(i, 3)), CodeDirection::Deployed);
      if (!level) continue;
      const RatingFacts facts{*level, number(i, 4) != 0, number(i, 5) != 0};
      const std::string unit = text(i, 0);
      if (!unit_index.count(unit)) {
        unit_index[unit] = out.by_unit.size();
        out.by_unit.push_back(UnitFigures{unit, text(i, 1), {}});
      }
      for (int64_t k = number(i, 6); k > 0; --k) {
        out.all.Add(facts);
        out.by_unit[unit_index[unit]].tally.Add(facts);
        out.by_channel[text(i, 2)].Add(facts);
      }
    }
    for (int i = 0, n = PQntuples(rejected.get()); i < n; ++i) {
      const int64_t count = std::strtoll(PQgetvalue(rejected.get(), i, 1), nullptr, 10);
      out.rejected_by_reason[PQgetvalue(rejected.get(), i, 0)] = count;
      out.rejected += count;
    }
    return out;
  }

  // One attempt in one transaction; on failure, s.failure says what and whether to retry.
  static std::optional<std::vector<IngestResult>> IngestOnce(Session& s, const std::string& edge_kid,
                                                             const std::vector<RelayedRating>& batch) {
    // The lock order: case, assess number, then position in the batch (which keeps "first in the
    // batch wins" for two ratings of one case in one batch).
    std::vector<size_t> order(batch.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      if (batch[a].case_id != batch[b].case_id) return batch[a].case_id < batch[b].case_id;
      return batch[a].assess < batch[b].assess;
    });

    // ids, cases and assess of every rating in `order`; the other columns of those to insert only
    // (a rating the centre cannot count, RelayedRating::invalid, is never inserted into ratings).
    std::vector<const std::string *> ids, cases, new_ids, new_cases, kids, units, unit_names, channels, claims, ratings;
    std::vector<int> assess, new_assess, satisfaction;
    std::vector<int64_t> received;
    for (size_t i : order) {
      const auto& r = batch[i];
      ids.push_back(&r.id);
      cases.push_back(&r.case_id);
      assess.push_back(r.assess);
      if (!r.invalid.empty()) continue;
      new_ids.push_back(&r.id);
      new_cases.push_back(&r.case_id);
      new_assess.push_back(r.assess);
      kids.push_back(&r.kid);
      units.push_back(&r.unit);
      unit_names.push_back(&r.unit_name);
      channels.push_back(&r.channel);
      claims.push_back(&r.claims_json);
      ratings.push_back(&r.rating_json);
      satisfaction.push_back(r.satisfaction);
      received.push_back(r.received_at_ms);
    }
    const std::string now = std::to_string(NowMs());

    if (!s.Run("BEGIN")) return std::nullopt;
    // Every new rating in one statement; the ones that conflict are skipped and looked at below.
    auto inserted = s.Run(
        "INSERT INTO ratings (id, edge, case_id, assess, kid, unit, unit_name, channel, satisfaction, claims, rating, "
        "received_at_ms, ingested_at_ms) "
        "SELECT id, $1, case_id, assess, kid, unit, unit_name, channel, satisfaction, claims, rating, received_at_ms, "
        "$2::bigint "
        "FROM unnest($3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[], "
        "$11::text[], $12::text[], $13::bigint[]) WITH ORDINALITY "
        "AS x(id, case_id, assess, kid, unit, unit_name, channel, satisfaction, claims, rating, received_at_ms, pos) "
        "ORDER BY pos "
        "ON CONFLICT DO NOTHING RETURNING id",
        {edge_kid, now, TextArray(new_ids), TextArray(new_cases), NumberArray(new_assess), TextArray(kids), TextArray(units),
         TextArray(unit_names), TextArray(channels), NumberArray(satisfaction), TextArray(claims), TextArray(ratings),
         NumberArray(received)});
    if (!inserted) return std::nullopt;
    std::set<std::string> stored;
    for (int i = 0, n = PQntuples(inserted.get()); i < n; ++i) stored.insert(PQgetvalue(inserted.get(), i, 0));

    if (!FollowUp(s, batch, stored, now)) return std::nullopt;
    if (!PublicIngest(s, batch, stored, now)) return std::nullopt;  // the public figures (issue 7)

    std::vector<IngestResult> results(batch.size());
    std::vector<size_t> others;  // positions in `order` of ratings that were not new
    for (size_t k = 0; k < order.size(); ++k) {
      const auto& r = batch[order[k]];
      results[order[k]] = IngestResult{r.id, IngestStatus::Stored, {}, {}, {}};
      if (!stored.count(r.id)) others.push_back(k);
    }

    if (!others.empty()) {
      std::vector<const std::string*> o_ids, o_cases;
      std::vector<int> o_assess;
      for (size_t k : others) {
        o_ids.push_back(ids[k]);
        o_cases.push_back(cases[k]);
        o_assess.push_back(assess[k]);
      }
      // For each: stored before (a replay)? rejected before (a replay)? else invalid, or the case's winner.
      auto seen = s.Run(
          "SELECT x.pos, r.id IS NOT NULL, j.reason, j.existing_id, w.id, j.detail "
          "FROM unnest($1::text[], $2::text[], $3::int[]) WITH ORDINALITY AS x(id, case_id, assess, pos) "
          "LEFT JOIN ratings r ON r.id = x.id "
          "LEFT JOIN rejected j ON j.id = x.id "
          "LEFT JOIN ratings w ON w.case_id = x.case_id AND w.assess = x.assess "
          "ORDER BY x.pos",
          {TextArray(o_ids), TextArray(o_cases), NumberArray(o_assess)});
      if (!seen) return std::nullopt;
      std::vector<size_t> refuse;  // positions in `others` that go to rejected now
      for (int i = 0, n = PQntuples(seen.get()); i < n; ++i) {
        const size_t p = static_cast<size_t>(std::strtoll(PQgetvalue(seen.get(), i, 0), nullptr, 10)) - 1;
        const auto& rating = batch[order[others[p]]];
        auto& result = results[order[others[p]]];
        if (std::string_view(PQgetvalue(seen.get(), i, 1)) == "t") continue;  // Stored
        result.status = IngestStatus::Rejected;
        if (!PQgetisnull(seen.get(), i, 2)) {
          result.reason = PQgetvalue(seen.get(), i, 2);
          result.existing_id = PQgetvalue(seen.get(), i, 3);
          result.detail = PQgetvalue(seen.get(), i, 5);
        } else if (!rating.invalid.empty()) {
          result.reason = rating.invalid;
          result.detail = rating.invalid_detail;
          refuse.push_back(p);
        } else if (!PQgetisnull(seen.get(), i, 4)) {
          result.reason = "rating.already_rated";
          result.existing_id = PQgetvalue(seen.get(), i, 4);
          refuse.push_back(p);
        } else {
          s.failure = Failure{"rating " + result.id + " was neither stored nor refused", true};
          return std::nullopt;
        }
      }
      if (!refuse.empty()) {
        std::vector<const std::string *> r_ids, r_cases, r_claims, r_ratings, r_reasons, r_winners, r_details;
        std::vector<int> r_assess;
        std::vector<int64_t> r_received;
        for (size_t p : refuse) {
          const auto& r = batch[order[others[p]]];
          const auto& result = results[order[others[p]]];
          r_ids.push_back(&r.id);
          r_cases.push_back(&r.case_id);
          r_assess.push_back(r.assess);
          r_claims.push_back(&r.claims_json);
          r_ratings.push_back(&r.rating_json);
          r_reasons.push_back(&result.reason);
          r_winners.push_back(&result.existing_id);
          r_details.push_back(&result.detail);
          r_received.push_back(r.received_at_ms);
        }
        // The same refused id from another batch in flight: one row, the same answer.
        if (!s.Run("INSERT INTO rejected (id, edge, case_id, assess, reason, existing_id, claims, rating, "
                   "received_at_ms, ingested_at_ms, detail) "
                   "SELECT id, $1, case_id, assess, reason, existing_id, claims, rating, received_at_ms, $2::bigint, detail "
                   "FROM unnest($3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::bigint[], "
                   "$10::text[], $11::text[]) "
                   "WITH ORDINALITY AS x(id, case_id, assess, existing_id, claims, rating, received_at_ms, reason, detail, pos) "
                   "ORDER BY pos ON CONFLICT (id) DO NOTHING",
                   {edge_kid, now, TextArray(r_ids), TextArray(r_cases), NumberArray(r_assess), TextArray(r_winners),
                    TextArray(r_claims), TextArray(r_ratings), NumberArray(r_received), TextArray(r_reasons),
                    TextArray(r_details)})) {
          return std::nullopt;
        }
      }
    }
    if (!s.Run("COMMIT")) return std::nullopt;
    return results;
  }

  // ---- The closed loop (issue 6): what newly stored ratings start, in the ingest transaction ----
  // Only ratings this transaction inserted (`stored`), so a replayed batch opens nothing twice.
  static bool FollowUp(Session& s, const std::vector<RelayedRating>& batch, const std::set<std::string>& stored,
                       const std::string& now) {
    const std::string today = CentreDay(std::strtoll(now.c_str(), nullptr, 10)).ToString();
    std::vector<const std::string*> bad, days, good, texts;
    std::vector<const OutboxMessage*> todos;  // the units' to-dos by webhook (docs/notifications.md)
    for (const auto& r : batch) {
      if (!stored.count(r.id)) continue;
      const auto level = FromCode(r.satisfaction, CodeDirection::Deployed);
      if (!level) continue;
      if (IsBad(*level)) {
        bad.push_back(&r.id);
        days.push_back(r.day.empty() ? &today : &r.day);
        if (r.todo) todos.push_back(&*r.todo);
      } else if (r.comment.find_first_not_of(" \t\r\n") != std::string::npos) {
        good.push_back(&r.id);
        texts.push_back(&r.comment);
      }
    }
    if (!bad.empty()) {
      const std::string ids = TextArray(bad);
      if (!s.Run("INSERT INTO handling_cases (case_id, assess, rating_id, unit, unit_name, satisfaction, closed, "
                 "opened_at_ms) SELECT case_id, assess, id, unit, unit_name, satisfaction, false, $2::bigint FROM ratings "
                 "WHERE id = ANY($1::text[]) ORDER BY case_id, assess",
                 {ids, now}))
        return false;
      if (!s.Run("INSERT INTO handling_events (case_id, assess, seq, on_date, actor, action, fields, by_user, at_ms) "
                 "SELECT r.case_id, r.assess, 0, x.day, 'system', 'open', '{}', 'system', $2::bigint "
                 "FROM unnest($1::text[], $3::text[]) AS x(id, day) JOIN ratings r ON r.id = x.id "
                 "ORDER BY r.case_id, r.assess",
                 {ids, now, TextArray(days)}))
        return false;
    }
    if (!todos.empty() && !InsertWebhooks(s, todos)) return false;
    if (!good.empty()) {
      if (!s.Run("INSERT INTO suggestions (rating_id, case_id, assess, unit, unit_name, satisfaction, text, at_ms) "
                 "SELECT r.id, r.case_id, r.assess, r.unit, r.unit_name, r.satisfaction, x.text, $3::bigint "
                 "FROM unnest($1::text[], $2::text[]) AS x(id, text) JOIN ratings r ON r.id = x.id",
                 {TextArray(good), TextArray(texts), now}))
        return false;
    }
    return true;
  }

 public:
  Result<std::optional<HandlingCase>> FindHandlingCase(const std::string& case_id, int assess) override {
    auto cases = Cases("WHERE c.case_id = $1 AND c.assess = $2::int", {case_id, std::to_string(assess)});
    if (!cases) return cases.errors();
    if (cases->empty()) return std::optional<HandlingCase>();
    return std::optional<HandlingCase>(std::move(cases->front()));
  }

  Result<std::vector<HandlingCase>> HandlingCases(const std::string& unit, bool open_only) override {
    std::string where = "WHERE ($1 = '' OR c.unit = $1)";
    if (open_only) where += " AND NOT c.closed";
    return Cases(where, {unit});
  }

  Result<AppendStatus> AppendHandlingEvent(const std::string& case_id, int assess, const HandlingEvent& e, bool closed,
                                           bool exclude_rating, const std::optional<CaseFigures>& figures) override {
    return WithSession<AppendStatus>([&](Session& s) -> std::optional<AppendStatus> {
      if (!s.Run("BEGIN")) return std::nullopt;
      const std::string a = std::to_string(assess);
      // Locks the case row: two actions on one case are serialised here.
      auto c = s.Run("SELECT rating_id FROM handling_cases WHERE case_id = $1 AND assess = $2::int FOR UPDATE", {case_id, a});
      if (!c) return std::nullopt;
      auto finish = [&](AppendStatus status) -> std::optional<AppendStatus> {
        s.Rollback();
        return status;
      };
      if (PQntuples(c.get()) == 0) return finish(AppendStatus::NoCase);
      const std::string rating_id = PQgetvalue(c.get(), 0, 0);
      auto count = s.Run("SELECT count(*) FROM handling_events WHERE case_id = $1 AND assess = $2::int", {case_id, a});
      if (!count) return std::nullopt;
      if (std::strtol(PQgetvalue(count.get(), 0, 0), nullptr, 10) != e.seq) return finish(AppendStatus::Conflict);
      if (!s.Run("INSERT INTO handling_events (case_id, assess, seq, on_date, actor, action, fields, by_user, at_ms) "
                 "VALUES ($1, $2::int, $3::int, $4, $5, $6, $7, $8, $9::bigint)",
                 {case_id, a, std::to_string(e.seq), e.date, e.actor, e.action, e.fields_json, e.by, std::to_string(e.at_ms)}))
        return std::nullopt;
      if (!s.Run("UPDATE handling_cases SET closed = $3::boolean WHERE case_id = $1 AND assess = $2::int",
                 {case_id, a, closed ? "true" : "false"}))
        return std::nullopt;
      if (exclude_rating && !s.Run("UPDATE ratings SET excluded = true WHERE id = $1", {rating_id})) return std::nullopt;
      if (e.audit && !s.Run("INSERT INTO audit (at_ms, actor, role, unit, action, object, before, after) "
                            "VALUES ($1::bigint, $2, $3, $4, $5, $6, $7, $8)",  // the action's audit row (issue 6)
                            {std::to_string(e.at_ms), e.by, e.audit->role, e.audit->unit, "case." + e.action,
                             "case:" + case_id + "/" + a, e.audit->before_json, e.audit->after_json}))
        return std::nullopt;
      if (figures || exclude_rating) {  // the public figures follow the case (issue 7)
        PublicPending pending;
        if (!PublicCase(s, pending, case_id, assess, figures, exclude_rating) || !PublicFlush(s, pending))
          return std::nullopt;
      }
      for (const auto& m : e.outbox)  // the SMS and webhook the event causes (docs/notifications.md)
        if (!InsertOutbox(s, m)) return std::nullopt;
      if (!s.Run("COMMIT")) return std::nullopt;
      return AppendStatus::Appended;
    });
  }

  Result<bool> Escalate(const std::string& case_id, int assess, const std::string& due, const std::string& today,
                        const std::vector<OutboxMessage>& outbox) override {
    return WithSession<bool>([&](Session& s) -> std::optional<bool> {
      if (!s.Run("BEGIN")) return std::nullopt;
      auto r = s.Run("INSERT INTO handling_escalations (case_id, assess, due, flagged_on) VALUES ($1, $2::int, $3, $4) "
                     "ON CONFLICT DO NOTHING RETURNING case_id",
                     {case_id, std::to_string(assess), due, today});
      if (!r) return std::nullopt;
      const bool first = PQntuples(r.get()) == 1;
      // The unit hears of an escalation once, with the escalation itself (docs/notifications.md).
      if (first)
        for (const auto& m : outbox)
          if (!InsertOutbox(s, m)) return std::nullopt;
      if (!s.Run("COMMIT")) return std::nullopt;
      return first;
    });
  }

  Result<int64_t> EscalationCount() override {
    auto n = OneText("SELECT count(*) FROM handling_escalations", {});
    if (!n) return n.errors();
    return static_cast<int64_t>(std::strtoll(n->value_or("0").c_str(), nullptr, 10));
  }

  Result<std::vector<Suggestion>> Suggestions(const std::string& unit) override {
    return WithSession<std::vector<Suggestion>>([&](Session& s) -> std::optional<std::vector<Suggestion>> {
      auto r = s.Run("SELECT rating_id, case_id, assess, unit, unit_name, satisfaction, text, at_ms FROM suggestions "
                     "WHERE unit = $1 ORDER BY at_ms DESC, rating_id COLLATE \"C\"",
                     {unit});
      if (!r) return std::nullopt;
      std::vector<Suggestion> out;
      auto text = [&](int row, int col) { return std::string(PQgetvalue(r.get(), row, col)); };
      auto number = [&](int row, int col) { return std::strtoll(PQgetvalue(r.get(), row, col), nullptr, 10); };
      for (int i = 0, n = PQntuples(r.get()); i < n; ++i)
        out.push_back(Suggestion{text(i, 0), text(i, 1), static_cast<int>(number(i, 2)), text(i, 3), text(i, 4),
                                 static_cast<int>(number(i, 5)), text(i, 6), number(i, 7)});
      return out;
    });
  }

  Result<std::vector<CaseRecord>> UnratedCases(int64_t finished_before_unix) override {
    return WithSession<std::vector<CaseRecord>>([&](Session& s) -> std::optional<std::vector<CaseRecord>> {
      const std::string sql = std::string("SELECT ") + kCaseColumns +
                              " FROM cases c WHERE finished_at_unix < $1::bigint AND NOT EXISTS (SELECT 1 FROM ratings r "
                              "WHERE r.case_id = c.case_id AND r.assess = c.assess) "
                              "ORDER BY finished_at_unix, case_id COLLATE \"C\", assess";
      auto r = s.Run(sql.c_str(), {std::to_string(finished_before_unix)});
      if (!r) return std::nullopt;
      std::vector<CaseRecord> out;
      for (int i = 0, n = PQntuples(r.get()); i < n; ++i) out.push_back(CaseAt(r.get(), i));
      return out;
    });
  }

  Result<bool> StoreDefaultRating(const RelayedRating& r) override {
    return WithSession<bool>([&](Session& s) -> std::optional<bool> {
      if (!s.Run("BEGIN")) return std::nullopt;
      auto res = s.Run(
          "INSERT INTO ratings (id, edge, case_id, assess, kid, unit, unit_name, channel, satisfaction, is_default, claims, "
          "rating, received_at_ms, ingested_at_ms) VALUES ($1, 'centre', $2, $3::int, $4, $5, $6, $7, $8::int, true, $9, "
          "$10, $11::bigint, $11::bigint) ON CONFLICT DO NOTHING RETURNING id",
          {r.id, r.case_id, std::to_string(r.assess), r.kid, r.unit, r.unit_name, r.channel,
           std::to_string(r.satisfaction), r.claims_json, r.rating_json, std::to_string(r.received_at_ms)});
      if (!res) return std::nullopt;
      const bool stored = PQntuples(res.get()) == 1;
      PublicPending pending;  // the public figures count it in the same transaction (issue 7)
      if (stored && (!PublicRating(s, pending, r, true, 0, false) || !PublicFlush(s, pending))) return std::nullopt;
      if (!s.Run("COMMIT")) return std::nullopt;
      return stored;
    });
  }

  // ---- Public figures (issue 7; docs/reports.md §10) ----
  Result<PublicCells> PublicTallies(const PublicFilter& filter) override {
    return WithSession<PublicCells>([&](Session& s) -> std::optional<PublicCells> {
      auto range = PublicRange(filter);
      if (!range) {
        s.failure = Failure{"bad period", false};
        return std::nullopt;
      }
      PublicCells out;
      // One snapshot for all the lookups.
      if (!s.Run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")) return std::nullopt;
      auto ends = s.Run("SELECT (SELECT min(period) FROM public_tally WHERE grain = 'D'), "
                        "(SELECT max(period) FROM public_tally WHERE grain = 'D')");
      if (!ends) return std::nullopt;
      auto first_day = Date::Parse(PQgetisnull(ends.get(), 0, 0) ? "" : PQgetvalue(ends.get(), 0, 0));
      auto last_day = Date::Parse(PQgetisnull(ends.get(), 0, 1) ? "" : PQgetvalue(ends.get(), 0, 1));
      if (first_day && last_day) {  // else nothing is stored yet
        // Each cell of the year (its Y cell) and its latest year-to-date row in the read's days.
        std::string tally, nulls, hist;  // the counters' names (", l1, …"), as many NULLs, the buckets summed
        for (const char* c : kTallyColumnNames) tally += std::string(", ") + c, nulls += ", NULL";
        for (int b = 0; b < kCloseBuckets; ++b) hist += std::string(b ? ", " : "") + "coalesce(sum(h" + std::to_string(b) + "), 0)";
        ToDateSum sum;
        std::vector<std::string> no_params;
        const bool every_cell = PublicWhere(filter, no_params).empty();
        // A lookup read: its SQL and parameters. Its rows: the cells' counters (unit, hall, win, item
        // and kTallyColumns), then one row of the histogram summed over them (the cells' columns
        // NULL, then the buckets as an array: "{n0,n1,…}"). The figures need the histogram only
        // summed; read per cell, it was 33 of 53 columns of the 2,500 rows that the centre parses.
        // `found`: the CTE of the rows; `extra`: a last column (", expression") of the histogram row.
        auto rows = [&](const std::string& found, const std::string& extra) {
          return " SELECT unit, hall, win, item" + tally + ", NULL" + (extra.empty() ? "" : ", NULL") + " FROM " + found +
                 " UNION ALL SELECT NULL, NULL, NULL, NULL" + nulls + ", ARRAY[" + hist + "]::text" + extra + " FROM " + found;
        };
        // Most cells have a row on the read's last day itself (at 10 million ratings all do), and
        // the rows of one day are one range of migration 15's index on the day: ~6 ms of the
        // database's time for 2,500 cells against ~30 ms for as many lookups by the cell. So a read
        // over every cell is that day's rows first; its histogram row also says how many cells of
        // the year have none that day (a day's rows are of cells of its year), and only if some
        // have none does `missing` look them up in the days before (a second statement: with it in
        // the first, planning that statement alone cost 2-5 ms more, on every read).
        auto lookup = [&](const ToDateRead& read, std::vector<std::string>& params) {
          const Date first = *Date::Parse(read.first), last = *Date::Parse(read.last);
          if (every_cell) {
            params = {read.last};
            std::string lacking = ", 0";  // a single day: a cell without a row on it has nothing in it
            if (first < last) {
              params.push_back(read.year);
              lacking = ", (SELECT count(*) FROM public_tally WHERE grain = 'Y' AND period = $2) - count(*)";
            }
            return "WITH d AS (SELECT * FROM public_to_date WHERE day = $1)" + rows("d", lacking);
          }
          // A filter: its cells looked up one by one.
          params = {read.year};
          const std::string latest = LatestToDate(first, last, params);
          return "WITH f AS (SELECT c.* FROM public_tally y CROSS JOIN LATERAL " + latest +
                 " c WHERE y.grain = 'Y' AND y.period = $1" + PublicWhere(filter, params, "y.") + ")" + rows("f", "");
        };
        // The cells of the year without a row on an every-cell read's last day, each looked up in
        // the days before it (OFFSET 0: the cells are chosen before any lookup; else the planner
        // may look every cell up first).
        auto missing = [&](const ToDateRead& read, std::vector<std::string>& params) {
          params = {read.last, read.year};
          const std::string latest = LatestToDate(*Date::Parse(read.first), Date::Parse(read.last)->AddDays(-1), params);
          return "WITH d AS (SELECT area, unit, hall, win, item FROM public_to_date WHERE day = $1), "
                 "f AS (SELECT c.* FROM (SELECT * FROM public_tally y WHERE grain = 'Y' AND period = $2 AND NOT EXISTS "
                 "(SELECT 1 FROM d WHERE (d.area, d.unit, d.hall, d.win, d.item) = (y.area, y.unit, y.hall, y.win, y.item)) "
                 "OFFSET 0) y CROSS JOIN LATERAL " + latest + " c)" + rows("f", "");
        };
        auto add = [&](PGresult* r, int sign) {
          int64_t v[ToDateSum::kValues] = {};
          for (int i = 0, n = PQntuples(r); i < n; ++i) {
            if (PQgetisnull(r, i, 0)) {  // the histogram: "{n0,n1,…}"
              const char* p = PQgetvalue(r, i, 4 + kTallyColumns);
              for (int b = 0; b < kCloseBuckets && *p; ++b) sum.AddCloseDays(b, Integer(++p), sign);
              continue;
            }
            for (int k = 0; k < kTallyColumns; ++k) {
              const char* p = PQgetvalue(r, i, 4 + k);
              v[k] = Integer(p);
            }
            sum.Add(PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2), PQgetvalue(r, i, 3), v, sign);
          }
        };
        // A whole year's or months' read: its cells' rows, then the histogram summed (days over
        // kCloseBuckets - 1 in the last bucket, as AddCloseDays would), in a lookup's shape. With a
        // filter the histogram's rows are those of the cells found (a unit's, say): a filter on a
        // column after the area reads the period's every row of public_close_days else (37,000 for
        // a year at 10 million: 9 ms, against 1 ms for a unit's 25 cells).
        auto grain = [&](const ToDateRead& read, std::vector<std::string>& params) {
          params = {read.grain, read.first, read.last};
          const std::string last = std::to_string(kCloseBuckets - 1);
          const std::string days = every_cell ? "SELECT days, cases FROM public_close_days WHERE grain = $1 AND period BETWEEN $2 AND $3"
                                              : "SELECT h.days, h.cases FROM t JOIN public_close_days h ON (h.grain, h.period, "
                                                "h.area, h.unit, h.hall, h.win, h.item) = (t.grain, t.period, t.area, t.unit, "
                                                "t.hall, t.win, t.item)";
          return "WITH t AS (SELECT * FROM public_tally WHERE grain = $1 AND period BETWEEN $2 AND $3" + PublicWhere(filter, params) +
                 ") SELECT unit, hall, win, item" + tally + ", NULL FROM t UNION ALL SELECT NULL, NULL, NULL, NULL" + nulls +
                 ", (SELECT array_agg(coalesce(h.n, 0) ORDER BY b)::text FROM generate_series(0, " + last +
                 ") AS b(b) LEFT JOIN (SELECT least(greatest(days, 0), " + last + ") AS d, sum(cases) AS n FROM (" + days +
                 ") x GROUP BY 1) h ON h.d = b)";
        };
        auto statement = [&](const ToDateRead& read, std::vector<std::string>& params) {
          return read.grain.empty() ? lookup(read, params) : grain(read, params);
        };
        const std::vector<ToDateRead> reads = ToDateReads(range->first, range->second, *first_day, *last_day);
        // A from/to range is several reads of ~2,500 cells each at 10 million ratings (to its end,
        // minus to the day before its start, and a whole year or months where it crosses one),
        // 10-20 ms of the database's CPU each. All but the last run on other connections while this
        // one runs the last, so the database's cores share them (docs/performance.md, "Public
        // figures"). Those connections read this transaction's snapshot (exported here, imported
        // there), so the figures are still of one moment. Only connections free at once are taken:
        // the reads without one run here, one after the other (waiting for one could deadlock
        // requests that each hold one).
        struct Aside {  // a read sent on another connection; rolled back (waited for) unless committed
          pg::Lease lease;
          Session session;
          const ToDateRead& read;
          Aside(pg::Lease l, const ToDateRead& r) : lease(std::move(l)), session(lease.get()), read(r) {}
          ~Aside() { session.Rollback(); }
        };
        std::vector<std::unique_ptr<Aside>> asides;
        std::string snapshot_id;
        for (size_t i = 0; side_reads_ && i + 1 < reads.size(); ++i) {
          auto lease = pool_->Acquire(std::chrono::milliseconds(0));
          if (!lease) break;
          if (snapshot_id.empty()) {
            // A database that cannot share a snapshot (a compatible one may lack it) is asked on
            // one connection from then on: this request again at once, the next ones from the start.
            auto snapshot = s.Run("SELECT pg_export_snapshot()");
            if (!snapshot) {
              if (!s.failure.retry) side_reads_ = false;
              s.failure.retry = true;
              return std::nullopt;
            }
            snapshot_id = PQgetvalue(snapshot.get(), 0, 0);  // the server's id: hex digits and dashes
          }
          auto aside = std::make_unique<Aside>(std::move(lease).value(), reads[i]);
          std::vector<std::string> params;
          const std::string sql = statement(reads[i], params);
          if (!aside->session.Run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") ||
              !aside->session.Run(("SET TRANSACTION SNAPSHOT '" + snapshot_id + "'").c_str()) ||
              !aside->session.Send(sql.c_str(), params)) {
            if (!aside->session.failure.retry) side_reads_ = false;
            break;  // this transaction is unharmed: the rest run here
          }
          asides.push_back(std::move(aside));
        }
        // A read's result counted; with the cells it lacks looked up on the same session.
        auto count = [&](Session& session, const ToDateRead& read, PgResult r) {
          if (!r) return false;
          add(r.get(), read.sign);
          const int n = PQntuples(r.get());
          const char* lacking = every_cell && read.grain.empty() && n > 0 ? PQgetvalue(r.get(), n - 1, 5 + kTallyColumns) : "0";
          if (Integer(lacking) == 0) return true;
          std::vector<std::string> params;
          const std::string sql = missing(read, params);
          auto more = session.Run(sql.c_str(), params);
          if (more) add(more.get(), read.sign);
          return bool(more);
        };
        for (size_t i = asides.size(); i < reads.size(); ++i) {
          std::vector<std::string> params;
          const std::string sql = statement(reads[i], params);
          if (!count(s, reads[i], s.Run(sql.c_str(), params))) return std::nullopt;
        }
        for (auto& aside : asides) {
          if (!count(aside->session, aside->read, aside->session.Collect()) || !aside->session.Run("COMMIT")) {
            s.failure = aside->session.failure;
            return std::nullopt;
          }
        }
        sum.Into(out);
        if (MedianInLastBucket(out.close_days)) {  // the values of 32 days or more, from the day cells
          out.close_days.erase(kCloseBuckets - 1);
          const auto [first, last] = Widened(range->first, range->second, *first_day, *last_day);
          for (const auto& seg : Segments(first, last)) {
            std::vector<std::string> params{seg.grain, seg.first, seg.last};
            const std::string where = PublicWhere(filter, params);
            auto h = s.Run(("SELECT days, sum(cases) FROM public_close_days WHERE grain = $1 AND period BETWEEN $2 AND $3" +
                            where + " AND days >= " + std::to_string(kCloseBuckets - 1) + " GROUP BY days").c_str(), params);
            if (!h) return std::nullopt;
            for (int i = 0, n = PQntuples(h.get()); i < n; ++i)
              out.close_days[static_cast<int>(std::strtol(PQgetvalue(h.get(), i, 0), nullptr, 10))] +=
                  std::strtoll(PQgetvalue(h.get(), i, 1), nullptr, 10);
          }
        }
      }
      auto names = s.Run("SELECT kind, key, name FROM public_names");
      if (!names) return std::nullopt;
      for (int i = 0, n = PQntuples(names.get()); i < n; ++i)
        out.names[PQgetvalue(names.get(), i, 0)][PQgetvalue(names.get(), i, 1)] = PQgetvalue(names.get(), i, 2);
      if (!s.Run("COMMIT")) return std::nullopt;
      return out;
    });
  }

  Result<PublicBadPage> PublicBadRatings(const PublicFilter& filter, int64_t offset, int64_t limit,
                                         std::optional<int64_t> total) override {
    auto page = WithSession<PublicBadPage>([&](Session& s) -> std::optional<PublicBadPage> {
      auto range = PublicRange(filter);
      if (!range) {
        s.failure = Failure{"bad period", false};
        return std::nullopt;
      }
      std::vector<std::string> params{range->first.ToString(), range->second.ToString()};
      const std::string listed =
          " WHERE p.is_public = 1 AND p.upheld = 0 AND p.day BETWEEN $1 AND $2" + PublicWhere(filter, params, "p.");
      const std::string where = " FROM public_cases p JOIN ratings r ON r.id = p.rating_id" + listed;
      if (!s.Run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")) return std::nullopt;
      PublicBadPage out;
      if (total) {
        out.total = *total;
      } else {  // every public_cases row has its rating (stored with it, neither is deleted): no join to count
        auto count = s.Run(("SELECT count(*) FROM public_cases p" + listed).c_str(), params);
        if (!count) return std::nullopt;
        out.total = std::strtoll(PQgetvalue(count.get(), 0, 0), nullptr, 10);
      }
      // Past the last: nothing to read (with a filter that none matches, the page's read would
      // otherwise go through every entry of the period in the index to find none).
      if (offset >= out.total) {
        if (!s.Run("COMMIT")) return std::nullopt;
        return out;
      }
      const std::string n = std::to_string(params.size());
      params.push_back(std::to_string(limit));
      params.push_back(std::to_string(offset));
      auto r = s.Run(("SELECT p.rating_id, p.day, p.unit, p.hall, p.win, p.item, p.satisfaction, r.claims, r.rating" +
                      where + " ORDER BY p.day DESC, p.rating_id COLLATE \"C\" DESC LIMIT $" +
                      std::to_string(params.size() - 1) + "::bigint OFFSET $" + std::to_string(params.size()) + "::bigint")
                         .c_str(),
                     params);
      if (!r) return std::nullopt;
      if (!s.Run("COMMIT")) return std::nullopt;
      for (int i = 0, rows = PQntuples(r.get()); i < rows; ++i) {
        auto text = [&](int col) { return std::string(PQgetvalue(r.get(), i, col)); };
        out.rows.push_back(PublicBadRow{text(0), text(1), text(2), text(3), text(4), text(5),
                                        static_cast<int>(std::strtol(PQgetvalue(r.get(), i, 6), nullptr, 10)), text(7),
                                        text(8), {}});
      }
      return out;
    });
    if (!page) return page;
    PublicBadPage out = std::move(page).value();
    if (out.rows.empty()) return out;
    // The page's cases in one query (one per row was ~10 ms of a page of 20 at 10 million ratings).
    std::vector<const std::string*> ids;
    for (const auto& row : out.rows) ids.push_back(&row.rating_id);
    auto cases = Cases("WHERE c.rating_id = ANY($1::text[])", {TextArray(ids)});
    if (!cases) return cases.errors();
    for (auto& c : *cases)
      for (auto& row : out.rows)
        if (row.rating_id == c.rating_id) row.handling = c;
    return out;
  }

  Result<std::vector<HandlingCase>> StalePublicCases() override {
    return Cases("WHERE EXISTS (SELECT 1 FROM public_cases p WHERE p.case_id = c.case_id AND p.assess = c.assess AND "
                 "p.stale = 1)", {});
  }

  Result<bool> SetPublicCaseFigures(const std::string& case_id, int assess, const CaseFigures& figures) override {
    return WithSession<bool>([&](Session& s) -> std::optional<bool> {
      if (!s.Run("BEGIN")) return std::nullopt;
      PublicPending pending;
      auto changed = PublicCase(s, pending, case_id, assess, figures, false);
      if (!changed || !PublicFlush(s, pending) || !s.Run("COMMIT")) return std::nullopt;
      return *changed;
    });
  }

  // Counts every rating stored before migration 6 (and again after migration 13, which changed
  // where a rating counts), once (the row of public_backfill is locked, so a second centre
  // starting at once waits and then finds nothing to do); case figures stale. Read through a
  // cursor, a page at a time: the whole table in one result held every rating's claims in memory.
  static bool PublicBackfill(PGconn* conn, std::string& error) {
    Session s(conn);
    auto fail = [&] {
      error = "public figures backfill: " + s.failure.message;
      s.Rollback();
      return false;
    };
    if (!s.Run("BEGIN")) return fail();
    auto pending = s.Run("SELECT pending FROM public_backfill FOR UPDATE");
    if (!pending) return fail();
    if (PQntuples(pending.get()) == 0) return s.Run("COMMIT") ? true : fail();
    if (!s.Run("DECLARE backfill NO SCROLL CURSOR FOR SELECT r.id, r.case_id, r.assess, r.unit, r.unit_name, "
               "r.channel, r.satisfaction, r.is_default::int, r.excluded::int, r.claims, r.rating, r.received_at_ms, "
               "EXISTS (SELECT 1 FROM handling_events e WHERE e.case_id = r.case_id AND e.assess = r.assess AND "
               "e.seq = 0)::int FROM ratings r"))
      return fail();
    PublicPending p;
    for (;;) {
      auto rows = s.Run("FETCH 5000 FROM backfill");
      if (!rows) return fail();
      const int n = PQntuples(rows.get());
      if (n == 0) break;
      for (int i = 0; i < n; ++i) {
        auto text = [&](int col) { return std::string(PQgetvalue(rows.get(), i, col)); };
        RelayedRating r;
        r.id = text(0);
        r.case_id = text(1);
        r.assess = std::atoi(text(2).c_str());
        r.unit = text(3);
        r.unit_name = text(4);
        r.channel = text(5);
        r.satisfaction = std::atoi(text(6).c_str());
        r.claims_json = text(9);
        r.rating_json = text(10);
        r.received_at_ms = std::strtoll(text(11).c_str(), nullptr, 10);
        if (!PublicRating(s, p, r, text(7) == "1", 0, text(12) == "1", text(8) == "1")) return fail();
      }
    }
    if (!s.Run("CLOSE backfill") || !PublicFlush(s, p) || !s.Run("DELETE FROM public_backfill") || !s.Run("COMMIT"))
      return fail();
    return true;
  }
  // ---- end of the public figures ----

 private:
  // ---- Public figures (issue 7): changes collected in a transaction, written at its end ----
  struct PublicPending {
    std::map<CellKey, TallyDelta> cells;
    std::map<std::pair<CellKey, int>, int64_t> days;
    std::map<std::pair<std::string, std::string>, std::string> names;
  };

  static Result<std::pair<Date, Date>> PublicRange(const PublicFilter& f) {
    auto first = Date::Parse(f.from.empty() ? "1900-01-01" : f.from, "from");
    if (!first) return first.errors();
    auto last = Date::Parse(f.to.empty() ? "2999-12-31" : f.to, "to");
    if (!last) return last.errors();
    return std::make_pair(*first, *last);
  }
  // Each cell y's latest public_to_date row on a day in [first, last] (a subquery for a LATERAL
  // join; the days are added to `params`). One backward index scan from `last` would find it, but
  // PostgreSQL (15) reads every entry of the index page that qualifies before the LIMIT stops it:
  // for a busy cell, the year's rows back to `first` on that page (up to ~100), each compared on
  // six text columns: about two thirds of a lookup's time at 10 million ratings
  // (docs/performance.md, "Public figures"). So the days are asked in windows, latest first: the
  // last 8 days, the 24 before, then the rest; a window is read only if the later ones found
  // nothing (Append runs its branches in order and the outer LIMIT stops it at the first row), and
  // reads at most its own days. (Each branch is planned on every request: six doubling windows cost
  // a small filtered range 2–4 ms more of the database's CPU, these three 1–1.5 ms.)
  // A cell is found by its hash (migration 14's index, a third smaller than the primary key's);
  // the five columns are compared with IS NOT DISTINCT FROM, which no index serves, so that the
  // planner does not take the primary key for them instead (and a hash collision is harmless).
  // (Strings never NULL: the same as `=` here.)
  static std::string LatestToDate(Date first, Date last, std::vector<std::string>& params) {
    std::string branches;
    int window = 0;
    for (Date hi = last; first <= hi; ++window) {
      const long size = window == 0 ? 8 : 24;
      const Date lo = window == 2 || hi.AddDays(1 - size) < first ? first : hi.AddDays(1 - size);
      params.push_back(lo.ToString());
      params.push_back(hi.ToString());
      const std::string n = std::to_string(params.size());
      branches += std::string(branches.empty() ? "" : " UNION ALL ") +
                  "(SELECT * FROM public_to_date c WHERE " + CellHash("c.") + " = " + CellHash("y.") +
                  " AND (c.area, c.unit, c.hall, c.win, c.item) IS NOT DISTINCT FROM (y.area, y.unit, y.hall, y.win, "
                  "y.item) AND c.day BETWEEN $" + std::to_string(params.size() - 1) + " AND $" + n +
                  " ORDER BY c.day DESC LIMIT 1)";
      hi = lo.AddDays(-1);
    }
    return "(SELECT * FROM (" + branches + ") w LIMIT 1)";
  }

  // The filters as " AND col = $n", their values appended to `params`. A window filter
  // "hall/window" names both; a bare one only the window.
  static std::string PublicWhere(const PublicFilter& f, std::vector<std::string>& params, const std::string& p = "") {
    std::string hall = f.hall, win = f.window;
    if (const auto slash = f.window.rfind('/'); slash != std::string::npos) {
      hall = f.window.substr(0, slash);
      win = f.window.substr(slash + 1);
    }
    std::string w;
    const std::pair<const char*, std::string> cols[] = {{"area", f.area}, {"unit", f.unit}, {"item", f.item}, {"hall", hall}, {"win", win}};
    for (const auto& [col, value] : cols) {
      if (value.empty()) continue;
      params.push_back(value);
      w += " AND " + p + col + " = $" + std::to_string(params.size());
    }
    return w;
  }

  static bool PublicRating(Session& s, PublicPending& p, const RelayedRating& r, bool is_default, int64_t now,
                           bool has_case = true, bool upheld = false) {
    const RatingPlace place = PlaceOf(r);
    AddAt(p.cells, place, RatingDelta(r.satisfaction, is_default));
    AddNames(p.names, place);
    const auto level = FromCode(r.satisfaction, CodeDirection::Deployed);
    if (!level || !IsBad(*level) || !has_case) return true;
    CaseFigures figures;
    figures.upheld = upheld;
    AddAt(p.cells, place, CaseDelta(r.satisfaction, CaseFigures{}, figures));
    AddAt(p.cells, place, ListedDelta(false, place.is_public && !upheld));
    return s.Run("INSERT INTO public_cases (rating_id, case_id, assess, day, area, unit, hall, win, item, satisfaction, "
                 "is_public, upheld, stale) VALUES ($1, $2, $3::int, $4, $5, $6, $7, $8, $9, $10::int, $11::int, $12::int, "
                 "$13::int)",
                 {r.id, r.case_id, std::to_string(r.assess), place.day, place.area, place.unit, place.hall, place.window,
                  place.item, std::to_string(r.satisfaction), place.is_public ? "1" : "0", upheld ? "1" : "0",
                  now == 0 ? "1" : "0"}) != nullptr;
  }

  // The ratings this ingest transaction stored (`stored`), counted.
  static bool PublicIngest(Session& s, const std::vector<RelayedRating>& batch,
                           const std::set<std::string>& stored, const std::string& now) {
    PublicPending p;
    const int64_t now_ms = std::strtoll(now.c_str(), nullptr, 10);
    for (const auto& r : batch)
      if (stored.count(r.id) && !PublicRating(s, p, r, false, now_ms)) return false;
    return PublicFlush(s, p);
  }

  static std::optional<bool> PublicCase(Session& s, PublicPending& p, const std::string& case_id, int assess,
                                        const std::optional<CaseFigures>& figures, bool exclude) {
    auto r = s.Run("SELECT day, area, unit, hall, win, item, satisfaction, valid_bad, rectified, on_time, closed_invalid, "
                   "upheld, close_days, is_public FROM public_cases WHERE case_id = $1 AND assess = $2::int FOR UPDATE",
                   {case_id, std::to_string(assess)});
    if (!r) return std::nullopt;
    if (PQntuples(r.get()) == 0) return false;
    auto text = [&](int col) { return std::string(PQgetvalue(r.get(), 0, col)); };
    auto flag = [&](int col) { return text(col) == "1"; };
    RatingPlace place;
    place.day = text(0);
    place.area = text(1);
    place.unit = text(2);
    place.hall = text(3);
    place.window = text(4);
    place.item = text(5);
    const int satisfaction = std::atoi(text(6).c_str());
    const CaseFigures before{flag(7), flag(8), flag(9), flag(10), flag(11), std::atoi(text(12).c_str())};
    const bool is_public = flag(13);
    CaseFigures after = figures.value_or(before);
    if (exclude) after.upheld = true;
    AddAt(p.cells, place, CaseDelta(satisfaction, before, after));
    AddAt(p.cells, place, ListedDelta(is_public && !before.upheld, is_public && !after.upheld));
    AddCloseDays(p.days, place, before, after);
    auto b = [](bool x) { return std::string(x ? "1" : "0"); };
    if (!s.Run("UPDATE public_cases SET valid_bad = $3::int, rectified = $4::int, on_time = $5::int, closed_invalid = "
               "$6::int, upheld = $7::int, close_days = $8::int, stale = 0 WHERE case_id = $1 AND assess = $2::int",
               {case_id, std::to_string(assess), b(after.valid_bad), b(after.rectified), b(after.rectified_on_time),
                b(after.closed_invalid), b(after.upheld), std::to_string(after.close_days)}))
      return std::nullopt;
    return true;
  }

  // One statement per table, rows in key order (concurrent writers lock cells in one order).
  // The year-to-date rows of the pending day cells (public_tally.h), for the whole batch at once:
  // the cells' Y rows locked first (so two writers of one cell's year go one after the other), a
  // row on each changed day (carried from the cell's latest row before it in the year, or zero),
  // then to every row of the year from each changed day on, the sum of the changes up to its day.
  static bool PublicToDate(Session& s, const PublicPending& p) {
    const auto deltas = ToDateDeltas(p.cells, p.days);
    if (deltas.empty()) return true;
    std::vector<const std::string*> keys[6];
    std::vector<std::string> years;
    std::vector<int64_t> values[ToDateSum::kValues];
    for (const auto& [k, d] : deltas) {
      const auto& [g, day, a, u, h, w, i] = k;
      for (int c = 0; const std::string* v : {&a, &u, &h, &w, &i, &day}) keys[c++].push_back(v);
      years.push_back(day.substr(0, 4));
      for (int c = 0; c < ToDateSum::kValues; ++c) values[c].push_back(d.At(c));
    }
    std::vector<std::string> params;
    std::string unnest = "unnest(";
    for (int c = 0; c < 6; ++c) {
      params.push_back(TextArray(keys[c]));
      unnest += std::string(c ? ", " : "") + "$" + std::to_string(params.size()) + "::text[]";
    }
    std::vector<const std::string*> year_keys;
    for (const auto& y : years) year_keys.push_back(&y);
    params.push_back(TextArray(year_keys));
    unnest += ", $7::text[]";
    const std::string keys_only = unnest + ") AS k(area, unit, hall, win, item, day, year)";
    const std::vector<std::string> key_params = params;
    std::string names, sums;
    for (int c = 0; c < ToDateSum::kValues; ++c) {
      params.push_back(NumberArray(values[c]));
      unnest += ", $" + std::to_string(params.size()) + "::bigint[]";
      const std::string name = c < kTallyColumns ? kTallyColumnNames[c] : "h" + std::to_string(c - kTallyColumns);
      names += ", " + name;
      sums += std::string(c ? ", " : "") + name + " = t." + name + " + d." + name;
    }
    const std::string cell = "t.area = k.area AND t.unit = k.unit AND t.hall = k.hall AND t.win = k.win AND t.item = k.item";
    if (!s.Run(("SELECT 1 FROM public_tally t JOIN " + keys_only + " ON t.grain = 'Y' AND t.period = k.year AND " + cell +
                " ORDER BY t.area, t.unit, t.hall, t.win, t.item, t.period FOR UPDATE OF t").c_str(), key_params))
      return false;
    if (!s.Run(("INSERT INTO public_to_date (area, unit, hall, win, item, day, " + ToDateCounters() + ") SELECT k.area, "
                "k.unit, k.hall, k.win, k.item, k.day, t.* FROM " + keys_only + " CROSS JOIN LATERAL (SELECT " +
                ToDateCounters() + " FROM public_to_date t WHERE " + cell + " AND t.day BETWEEN k.year || '-01-01' AND "
                "k.day ORDER BY t.day DESC LIMIT 1) t ON CONFLICT DO NOTHING").c_str(), key_params))
      return false;
    if (!s.Run(("INSERT INTO public_to_date (area, unit, hall, win, item, day) SELECT k.area, k.unit, k.hall, k.win, "
                "k.item, k.day FROM " + keys_only + " ON CONFLICT DO NOTHING").c_str(), key_params))
      return false;
    std::string summed;
    for (int c = 0; c < ToDateSum::kValues; ++c) {
      const std::string name = c < kTallyColumns ? kTallyColumnNames[c] : "h" + std::to_string(c - kTallyColumns);
      summed += ", sum(k." + name + ") AS " + name;
    }
    const std::string sql = "UPDATE public_to_date t SET " + sums + " FROM (SELECT t.area, t.unit, t.hall, t.win, t.item, "
                            "t.day" + summed + " FROM public_to_date t JOIN " + unnest + ") AS k(area, unit, hall, win, "
                            "item, day, year" + names + ") ON " + cell + " AND t.day BETWEEN k.day AND k.year || '-12-31' "
                            "GROUP BY t.area, t.unit, t.hall, t.win, t.item, t.day) d WHERE t.area = d.area AND t.unit = "
                            "d.unit AND t.hall = d.hall AND t.win = d.win AND t.item = d.item AND t.day = d.day";
    return static_cast<bool>(s.Run(sql.c_str(), params));
  }
  static bool PublicFlush(Session& s, PublicPending& p) {
    if (!p.cells.empty()) {
      std::vector<const std::string*> keys[7];
      std::vector<int64_t> counts[kTallyColumns];
      for (const auto& [k, d] : p.cells) {
        if (d.Empty()) continue;
        const auto& [g, per, a, u, h, w, i] = k;
        for (int c = 0; const std::string* v : {&g, &per, &a, &u, &h, &w, &i}) keys[c++].push_back(v);
        for (int c = 0; c < kTallyColumns; ++c) counts[c].push_back(d.v[c]);
      }
      if (!keys[0].empty()) {
        std::string cols, unnest, sets;
        std::vector<std::string> params;
        for (int c = 0; c < 7; ++c) {
          params.push_back(TextArray(keys[c]));
          unnest += std::string(c ? ", " : "") + "$" + std::to_string(params.size()) + "::text[]";
        }
        for (int c = 0; c < kTallyColumns; ++c) {
          params.push_back(NumberArray(counts[c]));
          unnest += ", $" + std::to_string(params.size()) + "::bigint[]";
          cols += std::string(", ") + kTallyColumnNames[c];
          sets += std::string(c ? ", " : "") + kTallyColumnNames[c] + " = public_tally." + kTallyColumnNames[c] +
                  " + excluded." + kTallyColumnNames[c];
        }
        const std::string sql = "INSERT INTO public_tally (grain, period, area, unit, hall, win, item" + cols +
                                ") SELECT * FROM unnest(" + unnest + ") ON CONFLICT (grain, period, area, unit, hall, win, "
                                "item) DO UPDATE SET " + sets;
        if (!s.Run(sql.c_str(), params)) return false;
      }
    }
    if (!p.days.empty()) {
      std::vector<const std::string*> keys[7];
      std::vector<int> days;
      std::vector<int64_t> cases;
      for (const auto& [kd, n] : p.days) {
        if (n == 0) continue;
        const auto& [g, per, a, u, h, w, i] = kd.first;
        for (int c = 0; const std::string* v : {&g, &per, &a, &u, &h, &w, &i}) keys[c++].push_back(v);
        days.push_back(kd.second);
        cases.push_back(n);
      }
      if (!days.empty() &&
          !s.Run("INSERT INTO public_close_days (grain, period, area, unit, hall, win, item, days, cases) SELECT * FROM "
                 "unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], "
                 "$9::bigint[]) ON CONFLICT (grain, period, area, unit, hall, win, item, days) DO UPDATE SET cases = "
                 "public_close_days.cases + excluded.cases",
                 {TextArray(keys[0]), TextArray(keys[1]), TextArray(keys[2]), TextArray(keys[3]), TextArray(keys[4]),
                  TextArray(keys[5]), TextArray(keys[6]), NumberArray(days), NumberArray(cases)}))
        return false;
    }
    if (!PublicToDate(s, p)) return false;
    if (!p.names.empty()) {
      std::vector<const std::string *> kinds, keys, names;
      for (const auto& [k, n] : p.names) {
        kinds.push_back(&k.first);
        keys.push_back(&k.second);
        names.push_back(&n);
      }
      if (!s.Run("INSERT INTO public_names (kind, key, name) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) "
                 "ON CONFLICT (kind, key) DO UPDATE SET name = excluded.name",
                 {TextArray(kinds), TextArray(keys), TextArray(names)}))
        return false;
    }
    p = {};
    return true;
  }
  // ---- end of the public figures' private part ----

  // The closed loop's cases with their events, one query; `where` filters handling_cases c.
  Result<std::vector<HandlingCase>> Cases(const std::string& where, const std::vector<std::string>& params) {
    return WithSession<std::vector<HandlingCase>>([&](Session& s) -> std::optional<std::vector<HandlingCase>> {
      const std::string sql =
          "SELECT c.case_id, c.assess, c.rating_id, c.unit, c.unit_name, c.satisfaction, c.closed::int, c.opened_at_ms, "
          "e.seq, e.on_date, e.actor, e.action, e.fields, e.by_user, e.at_ms FROM handling_cases c JOIN handling_events e "
          "ON e.case_id = c.case_id AND e.assess = c.assess " + where +
          " ORDER BY c.case_id COLLATE \"C\", c.assess, e.seq";
      auto r = s.Run(sql.c_str(), params);
      if (!r) return std::nullopt;
      auto text = [&](int row, int col) { return std::string(PQgetvalue(r.get(), row, col)); };
      auto number = [&](int row, int col) { return std::strtoll(PQgetvalue(r.get(), row, col), nullptr, 10); };
      std::vector<HandlingCase> out;
      for (int i = 0, n = PQntuples(r.get()); i < n; ++i) {
        const std::string case_id = text(i, 0);
        const int assess = static_cast<int>(number(i, 1));
        if (out.empty() || out.back().case_id != case_id || out.back().assess != assess)
          out.push_back(HandlingCase{case_id, assess, text(i, 2), text(i, 3), text(i, 4), static_cast<int>(number(i, 5)),
                                     number(i, 6) != 0, number(i, 7), {}});
        out.back().events.push_back(HandlingEvent{static_cast<int>(number(i, 8)), text(i, 9), text(i, 10), text(i, 11),
                                                  text(i, 12), text(i, 13), number(i, 14)});
      }
      return out;
    });
  }
  // ---- end of the closed loop ----

 public:
  // ---- Outboxes: SMS to citizens, webhooks to units (docs/notifications.md) ----
  static constexpr const char* kOutboxColumns =
      "id, channel, case_id, assess, unit, kind, body, attempts, next_at_ms, created_at_ms, last_error, state";

  Result<std::vector<OutboxMessage>> ClaimOutbox(const std::string& channel, int64_t now_ms, int64_t lease_ms,
                                                 int limit) override {
    // SKIP LOCKED: two centres claiming at once take different messages, neither waits.
    const std::string sql = std::string("UPDATE outbox SET next_at_ms = $3::bigint WHERE id IN (SELECT id FROM outbox ") +
                            "WHERE channel = $1 AND state = 'pending' AND next_at_ms <= $2::bigint "
                            "ORDER BY next_at_ms, id COLLATE \"C\" LIMIT $4::int FOR UPDATE SKIP LOCKED) RETURNING " +
                            kOutboxColumns;
    return WithSession<std::vector<OutboxMessage>>([&](Session& s) -> std::optional<std::vector<OutboxMessage>> {
      auto r = s.Run(sql.c_str(), {channel, std::to_string(now_ms), std::to_string(now_ms + lease_ms), std::to_string(limit)});
      if (!r) return std::nullopt;
      std::vector<OutboxMessage> out;
      for (int i = 0, n = PQntuples(r.get()); i < n; ++i) out.push_back(OutboxAt(r.get(), i));
      // The order the SELECT chose; RETURNING does not keep it.
      std::sort(out.begin(), out.end(), [](const OutboxMessage& a, const OutboxMessage& b) {
        return a.next_at_ms != b.next_at_ms ? a.next_at_ms < b.next_at_ms : a.id < b.id;
      });
      return out;
    });
  }

  Result<bool> MarkOutboxSent(const std::string& id, int attempts, int64_t now_ms) override {
    return WithSession<bool>([&](Session& s) -> std::optional<bool> {
      auto r = s.Run("UPDATE outbox SET state = 'sent', attempts = $2::int, sent_at_ms = $3::bigint, last_error = '' "
                     "WHERE id = $1 AND state = 'pending' RETURNING id",
                     {id, std::to_string(attempts), std::to_string(now_ms)});
      if (!r) return std::nullopt;
      return PQntuples(r.get()) == 1;
    });
  }

  Result<bool> MarkOutboxRetry(const std::string& id, int attempts, int64_t next_at_ms, const std::string& error,
                               bool failed) override {
    return WithSession<bool>([&](Session& s) -> std::optional<bool> {
      auto r = s.Run("UPDATE outbox SET state = $2, attempts = $3::int, next_at_ms = $4::bigint, last_error = $5 "
                     "WHERE id = $1 AND state = 'pending' RETURNING id",
                     {id, failed ? "failed" : "pending", std::to_string(attempts), std::to_string(next_at_ms), error});
      if (!r) return std::nullopt;
      return PQntuples(r.get()) == 1;
    });
  }

  Result<int64_t> RequeueFailedOutbox(const std::string& channel, const std::string& id, int64_t now_ms) override {
    return WithSession<int64_t>([&](Session& s) -> std::optional<int64_t> {
      auto r = s.Run("UPDATE outbox SET state = 'pending', attempts = 0, next_at_ms = $3::bigint "
                     "WHERE channel = $1 AND state = 'failed' AND ($2 = '' OR id = $2) RETURNING id",
                     {channel, id, std::to_string(now_ms)});
      if (!r) return std::nullopt;
      return static_cast<int64_t>(PQntuples(r.get()));
    });
  }

  Result<OutboxStats> OutboxStatsOf(const std::string& channel) override {
    return WithSession<OutboxStats>([&](Session& s) -> std::optional<OutboxStats> {
      auto r = s.Run("SELECT state, count(*), min(created_at_ms) FROM outbox WHERE channel = $1 GROUP BY state", {channel});
      if (!r) return std::nullopt;
      OutboxStats out;
      for (int i = 0, n = PQntuples(r.get()); i < n; ++i) {
        const std::string state = PQgetvalue(r.get(), i, 0);
        const int64_t count = std::strtoll(PQgetvalue(r.get(), i, 1), nullptr, 10);
        if (state == "pending") {
          out.pending = count;
          out.oldest_pending_ms = std::strtoll(PQgetvalue(r.get(), i, 2), nullptr, 10);
        } else if (state == "failed") {
          out.failed = count;
        } else {
          out.sent = count;
        }
      }
      return out;
    });
  }

  Result<std::vector<OutboxMessage>> OutboxOfCase(const std::string& case_id, int assess) override {
    const std::string sql = std::string("SELECT ") + kOutboxColumns +
                            " FROM outbox WHERE case_id = $1 AND assess = $2::int ORDER BY created_at_ms, id COLLATE \"C\"";
    return WithSession<std::vector<OutboxMessage>>([&](Session& s) -> std::optional<std::vector<OutboxMessage>> {
      auto r = s.Run(sql.c_str(), {case_id, std::to_string(assess)});
      if (!r) return std::nullopt;
      std::vector<OutboxMessage> out;
      for (int i = 0, n = PQntuples(r.get()); i < n; ++i) out.push_back(OutboxAt(r.get(), i));
      return out;
    });
  }

  Result<bool> SetUnitWebhook(const std::string& unit, const UnitWebhook& hook) override {
    return WithSession<bool>([&](Session& s) -> std::optional<bool> {
      auto r = s.Run("UPDATE units SET webhook_url = $2, webhook_secret = $3 WHERE code = $1 RETURNING code",
                     {unit, hook.url, hook.url.empty() ? "" : hook.secret});
      if (!r) return std::nullopt;
      return PQntuples(r.get()) == 1;
    });
  }

  Result<std::optional<UnitWebhook>> FindUnitWebhook(const std::string& unit) override {
    return WithSession<std::optional<UnitWebhook>>([&](Session& s) -> std::optional<std::optional<UnitWebhook>> {
      auto r = s.Run("SELECT webhook_url, webhook_secret FROM units WHERE code = $1", {unit});
      if (!r) return std::nullopt;
      if (PQntuples(r.get()) == 0) return std::optional<UnitWebhook>();
      return std::optional<UnitWebhook>(UnitWebhook{PQgetvalue(r.get(), 0, 0), PQgetvalue(r.get(), 0, 1)});
    });
  }

 private:
  // One message in the caller's transaction: a webhook only when its unit has one configured; the
  // same id again (a replayed event) changes nothing.
  static bool InsertOutbox(Session& s, const OutboxMessage& m) {
    return static_cast<bool>(
        s.Run("INSERT INTO outbox (id, channel, case_id, assess, unit, kind, body, next_at_ms, created_at_ms) "
              "SELECT $1::text, $2::text, $3::text, $4::int, $5::text, $6::text, $7::text, $8::bigint, $9::bigint "
              "WHERE $2::text = 'sms' OR EXISTS (SELECT 1 FROM units WHERE code = $5::text AND webhook_url <> '') "
              "ON CONFLICT DO NOTHING",
              {m.id, m.channel, m.case_id, std::to_string(m.assess), m.unit, m.kind, m.body, std::to_string(m.next_at_ms),
               std::to_string(m.created_at_ms)}));
  }
  // The units' "case.opened" webhooks of one ingest batch, in one statement.
  static bool InsertWebhooks(Session& s, const std::vector<const OutboxMessage*>& todos) {
    std::vector<const std::string *> ids, cases, units, kinds, bodies;
    std::vector<int> assess;
    std::vector<int64_t> at;
    for (const auto* m : todos) {
      ids.push_back(&m->id);
      cases.push_back(&m->case_id);
      units.push_back(&m->unit);
      kinds.push_back(&m->kind);
      bodies.push_back(&m->body);
      assess.push_back(m->assess);
      at.push_back(m->created_at_ms);
    }
    return static_cast<bool>(
        s.Run("INSERT INTO outbox (id, channel, case_id, assess, unit, kind, body, next_at_ms, created_at_ms) "
              "SELECT x.id, 'webhook', x.case_id, x.assess, x.unit, x.kind, x.body, x.at, x.at "
              "FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::bigint[]) "
              "AS x(id, case_id, assess, unit, kind, body, at) "
              "WHERE EXISTS (SELECT 1 FROM units u WHERE u.code = x.unit AND u.webhook_url <> '') "
              "ORDER BY x.id ON CONFLICT DO NOTHING",
              {TextArray(ids), TextArray(cases), NumberArray(assess), TextArray(units), TextArray(kinds),
               TextArray(bodies), NumberArray(at)}));
  }
  static OutboxMessage OutboxAt(PGresult* r, int row) {
    auto text = [&](int col) { return std::string(PQgetvalue(r, row, col)); };
    auto number = [&](int col) { return std::strtoll(PQgetvalue(r, row, col), nullptr, 10); };
    OutboxMessage m;
    m.id = text(0);
    m.channel = text(1);
    m.case_id = text(2);
    m.assess = static_cast<int>(number(3));
    m.unit = text(4);
    m.kind = text(5);
    m.body = text(6);
    m.attempts = static_cast<int>(number(7));
    m.next_at_ms = number(8);
    m.created_at_ms = number(9);
    m.last_error = text(10);
    m.state = text(11);
    return m;
  }
  // ---- end of the outboxes ----

  std::unique_ptr<pg::Pool> pool_;
  // PublicTallies may run a from/to range's sets of lookups on two connections (false once the
  // database could not share a snapshot between them).
  std::atomic<bool> side_reads_{true};
};

bool IsPostgresUrl(const std::string& url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

}  // namespace

std::unique_ptr<CentralStore> OpenPostgresStore(const std::string& conninfo, std::string& error) {
  auto pool = std::make_unique<pg::Pool>(conninfo, kPoolSize);
  {
    auto lease = pool->Acquire(std::chrono::seconds(30), &error);
    if (!lease) return nullptr;
    if (!Migrate(lease->get(), error)) {
      error = "PostgreSQL " + error;
      return nullptr;
    }
    if (!PostgresStore::PublicBackfill(lease->get(), error)) return nullptr;  // issue 7: ratings before migration 6
  }
  return std::make_unique<PostgresStore>(std::move(pool));
}

std::unique_ptr<CentralStore> OpenStore(const std::string& db_url, const std::string& data_dir, std::string& error) {
  if (db_url.empty()) return OpenSqliteStore(data_dir, error);
  if (IsPostgresUrl(db_url)) return OpenPostgresStore(db_url, error);
  error = "--db " + db_url + ": expected a postgresql:// URL (without --db the centre uses SQLite in its data folder)";
  return nullptr;
}

}  // namespace hcp::central
