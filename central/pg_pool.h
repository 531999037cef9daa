#pragma once
// A small pool of libpq connections, so the centre's HTTP threads don't queue on one connection.
// A PGconn is used by one thread at a time; the pool hands each out under a Lease (RAII) and
// takes it back when the Lease ends. Connections open lazily up to `size`; a connection found
// broken (PQstatus) is reset with PQreset when leased, and dropped when returned broken, so a
// restarted server is reconnected to without restarting the centre. No SQL here.
#include <libpq-fe.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "hcp/result.h"

namespace hcp::central::pg {

class Pool;

class Lease {
 public:
  Lease(Pool* pool, PGconn* conn) : pool_(pool), conn_(conn) {}
  Lease(Lease&& o) noexcept : pool_(o.pool_), conn_(o.conn_) { o.conn_ = nullptr; }
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  ~Lease();

  PGconn* get() const { return conn_; }

 private:
  Pool* pool_;
  PGconn* conn_;
};

class Pool {
 public:
  // `conninfo`: a libpq connection string or postgresql:// URI.
  Pool(std::string conninfo, size_t size);
  ~Pool();  // every Lease must have ended
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // A connection in working order, or server.unavailable with libpq's words after `wait` with
  // every connection in use, or when the server cannot be reached; `why`, if given, gets the words
  // (server.unavailable has no place for them).
  Result<Lease> Acquire(std::chrono::milliseconds wait = std::chrono::seconds(10), std::string* why = nullptr);

 private:
  friend class Lease;
  void Release(PGconn* conn);
  PGconn* Connect(std::string& error) const;
  void Forget(PGconn* conn);  // closes a connection and frees its slot

  const std::string conninfo_;
  const size_t size_;
  std::mutex mu_;
  std::condition_variable freed_;
  std::vector<PGconn*> idle_;
  size_t open_ = 0;  // idle + leased + being opened
};

}  // namespace hcp::central::pg
