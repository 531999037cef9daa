#pragma once
// A thin RAII wrapper over one SQLite connection: prepared statements, binding by position,
// errors as values. Every store opens its database through Open(), which sets busy_timeout first,
// then WAL, synchronous=FULL and foreign keys: durability is decided here, in one place.
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hcp::sql {

class Statement;

class Db {
 public:
  struct Options {
    int busy_timeout_ms = 5000;
    long max_page_count = 0;  // 0 = unlimited; set to simulate a full disk in tests
    // false: the connection takes no mutex of its own on each call (SQLite's "multi-thread"
    // mode), for an owner that never uses it from two threads at once (a store under its lock).
    bool serialized = true;
  };
  // Opens (creating) `path`; the error text says what failed.
  static std::unique_ptr<Db> Open(const std::string& path, const Options& options, std::string& error);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs one or more statements without results; false with LastError() on failure.
  bool Exec(std::string_view sql);
  std::optional<Statement> Prepare(std::string_view sql);
  std::string LastError() const;
  int LastErrorCode() const;  // SQLITE_FULL, SQLITE_CONSTRAINT, ...
  int64_t LastInsertRowId() const;
  sqlite3* raw() { return db_; }

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Statement(Statement&& o) noexcept : stmt_(o.stmt_) { o.stmt_ = nullptr; }
  Statement& operator=(Statement&& o) noexcept;
  ~Statement();

  Statement& Bind(int index, std::string_view text);  // 1-based, like SQLite
  Statement& Bind(int index, int64_t value);
  Statement& BindNull(int index);
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step();
  void Reset();
  int64_t Int(int column) const;
  std::string Text(int column) const;
  bool IsNull(int column) const;

 private:
  sqlite3_stmt* stmt_;
};

// Applies numbered migrations in order, each in its own transaction, recording the version in
// PRAGMA user_version so a restart applies only what is new. Safe when several processes open a
// new file at once: the version is re-read under the write lock before each step.
bool Migrate(Db& db, const std::vector<std::string_view>& migrations, std::string& error);

}  // namespace hcp::sql
