#include "sqlite_db.h"

#include <chrono>
#include <thread>

namespace hcp::sql {

std::unique_ptr<Db> Db::Open(const std::string& path, const Options& options, std::string& error) {
  // SQLite's memory statistics (on by default) take one process-wide mutex around every allocation
  // it makes, from every connection; nothing here reads them. Off before SQLite initialises, i.e.
  // before the first open (later, sqlite3_config refuses and changes nothing). That mutex was a
  // few per cent of the centre's CPU in a relay drain (docs/performance.md).
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                     (options.serialized ? SQLITE_OPEN_FULLMUTEX : SQLITE_OPEN_NOMUTEX),
                                 nullptr);
  if (rc != SQLITE_OK) {
    error = std::string("cannot open ") + path + ": " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc));
    sqlite3_close(raw);
    return nullptr;
  }
  std::unique_ptr<Db> db(new Db(raw));
  // busy_timeout first: the pragmas below may themselves wait for another connection's lock.
  sqlite3_busy_timeout(raw, options.busy_timeout_ms);
  std::string setup = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;";
  if (options.max_page_count > 0) setup += " PRAGMA max_page_count=" + std::to_string(options.max_page_count) + ";";
  // Switching a new file to WAL needs its exclusive lock, and SQLite answers SQLITE_BUSY at once,
  // without the busy handler, when another connection is doing the same (several processes
  // opening one new file together): try again until the busy timeout has passed.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options.busy_timeout_ms);
  while (!db->Exec(setup)) {
    const int code = db->LastErrorCode();
    if ((code != SQLITE_BUSY && code != SQLITE_LOCKED) || std::chrono::steady_clock::now() >= deadline) {
      error = "cannot configure " + path + ": " + db->LastError();
      return nullptr;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return db;
}

Db::~Db() { sqlite3_close_v2(db_); }

bool Db::Exec(std::string_view sql) {
  return sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
}

std::optional<Statement> Db::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) return std::nullopt;
  return Statement(stmt);
}

std::string Db::LastError() const { return sqlite3_errmsg(db_); }
int Db::LastErrorCode() const { return sqlite3_errcode(db_) & 0xff; }
int64_t Db::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

Statement& Statement::operator=(Statement&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(stmt_);
    stmt_ = o.stmt_;
    o.stmt_ = nullptr;
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::Bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

int Statement::Step() { return sqlite3_step(stmt_); }

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::Text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, column)) : std::string();
}

bool Statement::IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

bool Migrate(Db& db, const std::vector<std::string_view>& migrations, std::string& error) {
  // Several processes (or connections) may open a new database at once. Reading user_version
  // outside the write lock and then applying "the rest" would let two of them both see 0 and both
  // run migration 1 (the second failing with "table already exists"). So each step takes the write
  // lock first (BEGIN IMMEDIATE waits for busy_timeout), then re-reads user_version inside the
  // transaction and applies only what is still missing. The statement is reset after every read:
  // an unfinished read would hold a read transaction open across the next BEGIN IMMEDIATE.
  auto version = db.Prepare("PRAGMA user_version");
  if (!version) {
    error = db.LastError();
    return false;
  }
  // Up to date (every open but the first): no write lock, so a read-only copy opens too. The
  // version only ever grows, so reading it without the lock cannot skip a step.
  if (version->Step() == SQLITE_ROW && version->Int(0) == static_cast<int64_t>(migrations.size())) {
    version->Reset();
    return true;
  }
  version->Reset();
  for (;;) {
    if (!db.Exec("BEGIN IMMEDIATE")) {
      error = "migrations: " + db.LastError();
      return false;
    }
    if (version->Step() != SQLITE_ROW) {
      error = "migrations: " + db.LastError();
      version->Reset();
      db.Exec("ROLLBACK");
      return false;
    }
    const int64_t current = version->Int(0);
    version->Reset();
    if (current > static_cast<int64_t>(migrations.size())) {
      error = "the database has schema version " + std::to_string(current) + ", newer than this hcp knows (" +
              std::to_string(migrations.size()) + ")";
      db.Exec("ROLLBACK");
      return false;
    }
    if (current == static_cast<int64_t>(migrations.size())) {
      db.Exec("ROLLBACK");  // nothing was written: up to date
      return true;
    }
    const size_t i = static_cast<size_t>(current);
    const std::string sql = std::string(migrations[i]) + "; PRAGMA user_version=" + std::to_string(i + 1) + ";";
    if (!db.Exec(sql) || !db.Exec("COMMIT")) {
      error = "migration " + std::to_string(i + 1) + ": " + db.LastError();
      db.Exec("ROLLBACK");
      return false;
    }
  }
}

}  // namespace hcp::sql
