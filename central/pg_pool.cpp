#include "pg_pool.h"

namespace hcp::central::pg {
namespace {

std::string Trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

void QuietNotices(void*, const char*) {}  // "relation already exists, skipping" and the like

}  // namespace

Lease::~Lease() {
  if (conn_) pool_->Release(conn_);
}

Pool::Pool(std::string conninfo, size_t size) : conninfo_(std::move(conninfo)), size_(size ? size : 1) {}

Pool::~Pool() {
  std::lock_guard lock(mu_);
  for (PGconn* c : idle_) PQfinish(c);
  idle_.clear();
}

PGconn* Pool::Connect(std::string& error) const {
  // Our defaults first: with expand_dbname, whatever the caller's conninfo says comes later and wins.
  const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {"10", "hcp-central", conninfo_.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (!conn) {
    error = "out of memory for a PostgreSQL connection";
    return nullptr;
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    error = "cannot connect to PostgreSQL: " + Trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    return nullptr;
  }
  PQsetNoticeProcessor(conn, QuietNotices, nullptr);
  return conn;
}

void Pool::Forget(PGconn* conn) {
  if (conn) PQfinish(conn);
  std::lock_guard lock(mu_);
  --open_;
  freed_.notify_one();
}

Result<Lease> Pool::Acquire(std::chrono::milliseconds wait, std::string* why) {
  PGconn* conn = nullptr;
  {
    std::unique_lock lock(mu_);
    if (!freed_.wait_for(lock, wait, [&] { return !idle_.empty() || open_ < size_; })) {
      if (why) *why = "all " + std::to_string(size_) + " PostgreSQL connections stayed busy";
      return MakeError("server.unavailable");
    }
    if (!idle_.empty()) {
      conn = idle_.back();
      idle_.pop_back();
    } else {
      ++open_;  // reserve the slot; connect outside the lock
    }
  }
  std::string error;
  if (!conn) {
    conn = Connect(error);
    if (!conn) {
      Forget(nullptr);
      if (why) *why = error;
      return MakeError("server.unavailable", "", error);
    }
    return Lease(this, conn);
  }
  if (PQstatus(conn) != CONNECTION_OK) {  // the server restarted, or the network dropped it
    PQreset(conn);
    if (PQstatus(conn) != CONNECTION_OK) {
      error = "cannot reconnect to PostgreSQL: " + Trimmed(PQerrorMessage(conn));
      Forget(conn);
      if (why) *why = error;
      return MakeError("server.unavailable", "", error);
    }
    PQsetNoticeProcessor(conn, QuietNotices, nullptr);
  }
  return Lease(this, conn);
}

void Pool::Release(PGconn* conn) {
  // A connection that broke, or that is left inside a transaction it could not end, is closed:
  // the next Acquire opens a fresh one.
  if (PQstatus(conn) != CONNECTION_OK || PQtransactionStatus(conn) != PQTRANS_IDLE) {
    Forget(conn);
    return;
  }
  std::lock_guard lock(mu_);
  idle_.push_back(conn);
  freed_.notify_one();
}

}  // namespace hcp::central::pg
