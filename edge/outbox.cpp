#include "outbox.h"

#include <atomic>

namespace hcp::edge {
namespace {

// Numbered migrations: append, never edit a published one.
const std::vector<std::string_view> kMigrations = {
    R"sql(
CREATE TABLE ratings (
  seq INTEGER PRIMARY KEY,             -- relay order
  id TEXT NOT NULL UNIQUE,
  idempotency_key TEXT UNIQUE,
  request_hash TEXT NOT NULL,
  case_id TEXT NOT NULL,
  assess INTEGER NOT NULL,
  kid TEXT NOT NULL,
  claims TEXT NOT NULL,
  rating TEXT NOT NULL,
  satisfaction INTEGER NOT NULL,
  received_at_ms INTEGER NOT NULL,
  relayed_at_ms INTEGER,
  UNIQUE (case_id, assess)
);
CREATE INDEX ratings_unrelayed ON ratings(seq) WHERE relayed_at_ms IS NULL
)sql",
    // 2: what the centre said of each relayed rating.
    "ALTER TABLE ratings ADD COLUMN relay_status TEXT; ALTER TABLE ratings ADD COLUMN relay_reason TEXT",
    // 3: why the centre refused a rating as invalid (relay_reason ingest.rating_invalid).
    "ALTER TABLE ratings ADD COLUMN relay_detail TEXT",
};

StoredRating ReadStored(const sql::Statement& s) {
  return StoredRating{s.Text(0), s.Text(1), static_cast<int>(s.Int(2)), static_cast<int>(s.Int(3)), s.Int(4)};
}

constexpr const char* kStoredColumns = "id, case_id, assess, satisfaction, received_at_ms";

}  // namespace

std::unique_ptr<Outbox> Outbox::Open(const std::string& path, const Options& options, std::string& error) {
  std::unique_ptr<Outbox> box(new Outbox());
  box->options_ = options;
  sql::Db::Options db_options;
  db_options.max_page_count = options.max_page_count;
  box->writer_db_ = sql::Db::Open(path, db_options, error);
  if (!box->writer_db_ || !sql::Migrate(*box->writer_db_, kMigrations, error)) return nullptr;
  box->reader_db_ = sql::Db::Open(path, db_options, error);
  if (!box->reader_db_) return nullptr;
  box->relay_db_ = sql::Db::Open(path, db_options, error);
  if (!box->relay_db_) return nullptr;
  return box;
}

Outbox::~Outbox() {
  std::unique_lock lock(mu_);
  stopping_ = true;
  idle_.wait(lock, [&] { return queue_.empty() && !committing_; });
}

SubmitResult Outbox::Submit(NewRating rating) {
  Pending p;
  p.rating = std::move(rating);
  {
    std::lock_guard lock(mu_);
    if (stopping_) return SubmitResult{SubmitStatus::Failed, {}, "outbox is stopping"};
    queue_.push_back(&p);
    if (!committing_) committing_ = p.lead = true;  // nothing is being committed: lead at once
  }
  for (;;) {
    {
      std::unique_lock lock(p.m);
      p.cv.wait(lock, [&] { return p.done || p.lead; });
      if (p.done) break;
      p.lead = false;
    }
    Lead(p);
  }
  return std::move(p.result);
}

// Under p.m, which the woken submitter needs before it can return and destroy p.
void Outbox::Wake(Pending& p, bool& flag) {
  std::lock_guard lock(p.m);
  flag = true;
  p.cv.notify_one();
}

void Outbox::Lead(Pending& self) noexcept {
  std::vector<Pending*> group;
  for (bool mine = false; !mine;) {  // more than max_group may be waiting before this one
    group.clear();
    {
      std::lock_guard lock(mu_);
      // Everything that arrived while the last group was being fsynced: that is the group.
      while (!queue_.empty() && group.size() < options_.max_group) {
        mine = mine || queue_.front() == &self;
        group.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    CommitGroup(group);
    if (mine) {
      // The next group's first submitter leads it. It is woken before this group's submitters,
      // so that the disk does not wait for them; it has to be woken anyway, and is then already
      // running when its own commit is done.
      std::lock_guard lock(mu_);
      if (!queue_.empty()) {
        Wake(*queue_.front(), queue_.front()->lead);
      } else {
        committing_ = false;
        if (stopping_) idle_.notify_all();
      }
    }
    // Wake exactly the submitters of this group (one condition variable each): waking every
    // waiter would cost a context switch per later submitter per group.
    for (Pending* p : group) Wake(*p, p->done);
  }
}

void Outbox::CommitGroup(std::vector<Pending*>& group) {
  auto fail_all = [&](SubmitStatus status, const std::string& why) {
    for (Pending* p : group) p->result = SubmitResult{status, {}, why};
  };
  auto status_of = [&] { return writer_db_->LastErrorCode() == SQLITE_FULL ? SubmitStatus::StorageFull : SubmitStatus::Failed; };
  if (!writer_db_->Exec("BEGIN IMMEDIATE")) return fail_all(status_of(), writer_db_->LastError());
  for (Pending* p : group) {
    p->result = Place(p->rating);
    if (p->result.status == SubmitStatus::StorageFull || p->result.status == SubmitStatus::Failed) {
      // One insert failed: the transaction is unusable. Nothing in this group is stored.
      const SubmitResult failed = p->result;
      writer_db_->Exec("ROLLBACK");
      return fail_all(failed.status, failed.error);
    }
  }
  if (!writer_db_->Exec("COMMIT")) {
    const SubmitStatus status = status_of();
    const std::string why = writer_db_->LastError();
    writer_db_->Exec("ROLLBACK");
    return fail_all(status, why);
  }
  ++commits_;
}

sql::Statement* Outbox::Prepared(std::optional<sql::Statement>& slot, std::string_view sql) {
  if (!slot) slot = writer_db_->Prepare(sql);
  if (slot) slot->Reset();
  return slot ? &*slot : nullptr;
}

// Inside the group's transaction: the single writer sees its own earlier inserts, so two
// submissions for the same case in one group are still told apart correctly. Insert first:
// nearly every submission is new, and a UNIQUE violation only undoes its own statement, not the
// group's transaction; only then is it worth finding out which rule refused it.
SubmitResult Outbox::Place(const NewRating& r) {
  auto failed = [&] {
    const int code = writer_db_->LastErrorCode();
    return SubmitResult{code == SQLITE_FULL ? SubmitStatus::StorageFull : SubmitStatus::Failed, {}, writer_db_->LastError()};
  };
  sql::Statement* insert = Prepared(insert_,
      "INSERT INTO ratings (id, idempotency_key, request_hash, case_id, assess, kid, claims, rating, satisfaction, "
      "received_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return failed();
  insert->Bind(1, r.id);
  if (r.idempotency_key) insert->Bind(2, *r.idempotency_key);
  else insert->BindNull(2);
  insert->Bind(3, r.request_hash).Bind(4, r.case_id).Bind(5, static_cast<int64_t>(r.assess)).Bind(6, r.kid);
  insert->Bind(7, r.claims_json).Bind(8, r.rating_json).Bind(9, static_cast<int64_t>(r.satisfaction));
  insert->Bind(10, r.received_at_ms);
  const int step = insert->Step();
  insert->Reset();
  if (step == SQLITE_DONE)
    return {SubmitStatus::Stored, StoredRating{r.id, r.case_id, r.assess, r.satisfaction, r.received_at_ms}, {}};
  if ((writer_db_->LastErrorCode() & 0xff) != SQLITE_CONSTRAINT) return failed();

  // The same key again is a retry (same body) or a misuse (another body); it wins over the
  // case rule, so a retried rating gets its own answer back, not "already rated".
  if (r.idempotency_key) {
    sql::Statement* by_key = Prepared(find_by_key_, std::string("SELECT ") + kStoredColumns +
                                                        ", request_hash FROM ratings WHERE idempotency_key = ?");
    if (!by_key) return failed();
    by_key->Bind(1, *r.idempotency_key);
    if (by_key->Step() == SQLITE_ROW) {
      const bool same = by_key->Text(5) == r.request_hash;
      SubmitResult found{same ? SubmitStatus::Replayed : SubmitStatus::KeyConflict, ReadStored(*by_key), {}};
      // Reset now: a cached statement left on a row keeps its read snapshot past COMMIT, and the
      // next BEGIN IMMEDIATE then fails at once with SQLITE_BUSY (no busy wait) as soon as the
      // relay has committed in between: 503s after a restart, when clients retry (reliability tests).
      by_key->Reset();
      return found;
    }
  }
  sql::Statement* by_case =
      Prepared(find_by_case_, std::string("SELECT ") + kStoredColumns + " FROM ratings WHERE case_id = ? AND assess = ?");
  if (!by_case) return failed();
  by_case->Bind(1, r.case_id).Bind(2, static_cast<int64_t>(r.assess));
  if (by_case->Step() == SQLITE_ROW) {
    SubmitResult found{SubmitStatus::AlreadyRated, ReadStored(*by_case), {}};
    by_case->Reset();  // as above: release the read snapshot before COMMIT
    return found;
  }
  return {SubmitStatus::Failed, {}, "a uniqueness rule refused the rating, but no row explains it"};
}

std::optional<StoredRating> Outbox::FindByCase(const std::string& case_id, int assess) {
  std::lock_guard lock(reader_mu_);
  auto s = reader_db_->Prepare(std::string("SELECT ") + kStoredColumns + " FROM ratings WHERE case_id = ? AND assess = ?");
  if (!s) return std::nullopt;
  s->Bind(1, case_id).Bind(2, static_cast<int64_t>(assess));
  if (s->Step() != SQLITE_ROW) return std::nullopt;
  return ReadStored(*s);
}

int64_t Outbox::Backlog() {
  std::lock_guard lock(reader_mu_);
  auto s = reader_db_->Prepare("SELECT count(*) FROM ratings WHERE relayed_at_ms IS NULL");
  return s && s->Step() == SQLITE_ROW ? s->Int(0) : -1;
}

int64_t Outbox::Count() {
  std::lock_guard lock(reader_mu_);
  auto s = reader_db_->Prepare("SELECT count(*) FROM ratings");
  return s && s->Step() == SQLITE_ROW ? s->Int(0) : -1;
}

bool Outbox::Healthy() {
  std::lock_guard lock(reader_mu_);
  auto s = reader_db_->Prepare("SELECT 1");
  return s && s->Step() == SQLITE_ROW;
}

std::vector<RelayRow> Outbox::NextBatch(size_t limit, int64_t after_seq) {
  std::lock_guard lock(relay_mu_);
  std::vector<RelayRow> rows;
  auto s = relay_db_->Prepare(
      "SELECT seq, id, case_id, assess, kid, claims, rating, satisfaction, received_at_ms FROM ratings "
      "WHERE relayed_at_ms IS NULL AND seq > ? ORDER BY seq LIMIT ?");
  if (!s) return rows;
  s->Bind(1, after_seq).Bind(2, static_cast<int64_t>(limit));
  while (s->Step() == SQLITE_ROW) {
    rows.push_back(RelayRow{s->Int(0), s->Text(1), s->Text(2), static_cast<int>(s->Int(3)), s->Text(4), s->Text(5),
                            s->Text(6), static_cast<int>(s->Int(7)), s->Int(8)});
  }
  return rows;
}

bool Outbox::MarkRelayed(const std::vector<RelayAck>& acks, int64_t now_ms) {
  std::lock_guard lock(relay_mu_);
  if (!relay_db_->Exec("BEGIN IMMEDIATE")) return false;
  auto s = relay_db_->Prepare(
      "UPDATE ratings SET relayed_at_ms = ?, relay_status = ?, relay_reason = ?, relay_detail = ? WHERE id = ?");
  if (!s) {
    relay_db_->Exec("ROLLBACK");
    return false;
  }
  for (const auto& a : acks) {
    s->Bind(1, now_ms).Bind(2, a.status).Bind(5, a.id);
    if (a.reason.empty()) s->BindNull(3);
    else s->Bind(3, a.reason);
    if (a.detail.empty()) s->BindNull(4);
    else s->Bind(4, a.detail);
    if (s->Step() != SQLITE_DONE) {
      relay_db_->Exec("ROLLBACK");
      return false;
    }
    s->Reset();
  }
  if (relay_db_->Exec("COMMIT")) return true;
  relay_db_->Exec("ROLLBACK");
  return false;
}

bool Outbox::MarkRangeStored(int64_t first_seq, int64_t last_seq, int64_t now_ms) {
  std::lock_guard lock(relay_mu_);
  auto s = relay_db_->Prepare(
      "UPDATE ratings SET relayed_at_ms = ?, relay_status = 'stored', relay_reason = NULL "
      "WHERE seq BETWEEN ? AND ? AND relayed_at_ms IS NULL");
  if (!s) return false;
  s->Bind(1, now_ms).Bind(2, first_seq).Bind(3, last_seq);
  return s->Step() == SQLITE_DONE;  // one statement: its own transaction
}

std::optional<int64_t> Outbox::OldestUnrelayedMs() {
  std::lock_guard lock(reader_mu_);
  // Rows are numbered in the order they were accepted, so the first waiting row is the oldest
  // (to within one group commit). min(received_at_ms) read every waiting row: a fifth of the
  // edge's CPU in a drain polled for its metrics (docs/performance.md, relay drain).
  auto s = reader_db_->Prepare("SELECT received_at_ms FROM ratings WHERE relayed_at_ms IS NULL ORDER BY seq LIMIT 1");
  if (!s || s->Step() != SQLITE_ROW) return std::nullopt;
  return s->Int(0);
}

std::optional<RelayAck> Outbox::RelayOutcome(const std::string& id) {
  std::lock_guard lock(reader_mu_);
  auto s = reader_db_->Prepare(
      "SELECT relay_status, relay_reason, relay_detail FROM ratings WHERE id = ? AND relayed_at_ms IS NOT NULL");
  if (!s) return std::nullopt;
  s->Bind(1, id);
  if (s->Step() != SQLITE_ROW) return std::nullopt;
  return RelayAck{id, s->Text(0), s->Text(1), s->Text(2)};
}

}  // namespace hcp::edge
