#pragma once
// The edge's only state: accepted ratings waiting to be relayed to the centre. A rating is
// "accepted" (201) only after its transaction is on disk (WAL, synchronous=FULL). Concurrent
// submissions are committed in groups: one fsync covers many ratings, and each caller still waits
// for the commit that holds its own row. There is no writer thread: the first submitter that finds
// no commit running commits the whole queue itself (leader/follower), so a rating that arrives at
// an idle outbox is committed by its own thread, and no switch is spent waking a writer.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sqlite_db.h"

namespace hcp::edge {

struct NewRating {
  std::string id;                              // "r-…", unique across edges
  std::optional<std::string> idempotency_key;  // from the Idempotency-Key header
  std::string request_hash;                    // detects a key reused for another request
  std::string case_id;
  int assess = 1;
  std::string kid;
  std::string claims_json;  // the verified ticket claims (contact stays sealed)
  std::string rating_json;  // satisfaction, reasons, comment, public, dimensions, client
  int satisfaction = 0;
  int64_t received_at_ms = 0;
};

struct StoredRating {
  std::string id;
  std::string case_id;
  int assess = 1;
  int satisfaction = 0;
  int64_t received_at_ms = 0;
};

enum class SubmitStatus {
  Stored,        // committed now
  Replayed,      // same Idempotency-Key and same request: the original answer
  KeyConflict,   // same Idempotency-Key, different request
  AlreadyRated,  // this case and assess number already have a rating
  StorageFull,   // SQLITE_FULL: nothing stored
  Failed,        // any other storage error: nothing stored
};

struct SubmitResult {
  SubmitStatus status = SubmitStatus::Failed;
  StoredRating rating;  // the stored one, or the existing one for Replayed / AlreadyRated
  std::string error;    // storage error text for the log (never shown to citizens)
};

// A row on its way to the centre.
struct RelayRow {
  int64_t seq = 0;  // acceptance order
  std::string id;
  std::string case_id;
  int assess = 1;
  std::string kid;
  std::string claims_json;
  std::string rating_json;
  int satisfaction = 0;
  int64_t received_at_ms = 0;
};

// The centre's verdict on one relayed row.
struct RelayAck {
  std::string id;
  std::string status;  // "stored" or "rejected"
  // Error id when rejected: rating.already_rated (another edge's rating of the case won) or
  // ingest.rating_invalid (the centre cannot count it; `detail` says why). Either way settled:
  // the centre keeps it as rejected, and the relay does not send it again.
  std::string reason;
  std::string detail;
};

class Outbox {
 public:
  struct Options {
    long max_page_count = 0;  // 0 = unlimited; small values simulate a full disk
    size_t max_group = 256;   // ratings per commit at most
  };
  static std::unique_ptr<Outbox> Open(const std::string& path, const Options& options, std::string& error);
  ~Outbox();  // waits for the commit in flight; later submissions are refused

  // Blocks until the rating is durable (or refused). Safe from any thread.
  SubmitResult Submit(NewRating rating);
  std::optional<StoredRating> FindByCase(const std::string& case_id, int assess);
  int64_t Backlog();  // ratings not yet relayed
  // The oldest unrelayed rows after `after_seq`, in the order they were accepted. The relay's
  // lanes take disjoint batches this way while earlier ones are still in flight.
  std::vector<RelayRow> NextBatch(size_t limit, int64_t after_seq = 0);
  // Marks rows relayed once the centre has acknowledged them; false on a storage error.
  bool MarkRelayed(const std::vector<RelayAck>& acks, int64_t now_ms);
  // The same for a whole batch the centre stored, in one range update instead of a lookup by id
  // per row. Only for the rows of one NextBatch, first to last: no other row waits between them
  // (NextBatch takes every waiting row in order, and rows accepted later are numbered higher).
  bool MarkRangeStored(int64_t first_seq, int64_t last_seq, int64_t now_ms);
  std::optional<int64_t> OldestUnrelayedMs();
  // What the centre said of a relayed rating; nothing while it has not been relayed.
  std::optional<RelayAck> RelayOutcome(const std::string& id);  // received_at of the oldest waiting row
  int64_t Count();    // all ratings held
  // Statistics of group commit, for /metrics and the benchmark.
  int64_t Commits() const { return commits_; }
  bool Healthy();     // the database answers a query

 private:
  // One waiting submission. Each has its own mutex, so that waking it never makes it queue for
  // mu_ behind the thread that woke it (a second context switch per rating).
  struct Pending {
    NewRating rating;
    SubmitResult result;
    std::mutex m;
    std::condition_variable cv;
    bool done = false;  // result is set (guarded by m)
    bool lead = false;  // this submitter commits the next group (guarded by m)
  };
  Outbox() = default;
  // The leader's loop: commits groups from the queue until its own rating is committed, hands
  // the lead to the next waiting submitter, if any, then wakes its group. noexcept: a commit
  // that threw half way would leave the lead taken for ever; better to stop.
  void Lead(Pending& self) noexcept;
  static void Wake(Pending& p, bool& flag);  // sets p.done or p.lead and wakes p's submitter
  void CommitGroup(std::vector<Pending*>& group);
  SubmitResult Place(const NewRating& r);
  // The leader's statements, prepared once (preparing per rating cost ~9 % of the edge's CPU).
  sql::Statement* Prepared(std::optional<sql::Statement>& slot, std::string_view sql);

  std::unique_ptr<sql::Db> writer_db_;
  std::unique_ptr<sql::Db> reader_db_;
  std::unique_ptr<sql::Db> relay_db_;  // the relay's own connection: it writes beside the group commits
  // Declared after writer_db_, so finalized before it closes; used by the leader only.
  std::optional<sql::Statement> insert_, find_by_key_, find_by_case_;
  std::mutex reader_mu_;
  std::mutex relay_mu_;  // relay_db_ is shared by the relay's lanes: one transaction at a time
  Options options_;

  std::mutex mu_;
  std::condition_variable idle_;  // the destructor waits on it for the last commit
  std::deque<Pending*> queue_;
  bool committing_ = false;       // a leader holds writer_db_ (or is being handed it)
  bool stopping_ = false;
  std::atomic<int64_t> commits_{0};
};

}  // namespace hcp::edge
