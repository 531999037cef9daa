#pragma once
// The centre's storage, behind one interface with one implementation per backend (SQLite, the
// embedded default; PostgreSQL at scale). All SQL of a backend lives in that backend's file.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hcp/result.h"
#include "hcp/statistics.h"

namespace hcp::central {

// ---- Outboxes (issue 6; docs/notifications.md): what the citizen is told by SMS and what a
// unit's own system is told by a signed webhook. A message is written in the same transaction as
// the event it tells of, and a sender thread delivers it later, retrying; its id is the
// Idempotency-Key the receiver sees, so a retry after a lost answer is recognisable. ----
struct OutboxMessage {
  std::string id;        // "sms:{case}:{assess}:{seq}", "hook:{case}:{assess}:{event}": one per event
  std::string channel;   // "sms" | "webhook"
  std::string case_id;
  int assess = 1;
  std::string unit;      // the handling unit (a webhook goes to this unit's configured URL)
  std::string kind;      // sms: "extended" | "rectified" | "closed"; webhook: "case.opened" | "case.escalated" | "case.closed"
  std::string body;      // sms: the text (no phone: it is unsealed at send time); webhook: the JSON sent
  int attempts = 0;      // delivery attempts so far
  int64_t next_at_ms = 0;
  int64_t created_at_ms = 0;
  std::string last_error;
  std::string state;     // read back: "pending" | "sent" | "failed"
};

// A rating as relayed by an edge: the edge's outbox row.
struct RelayedRating {
  std::string id;        // the edge's id, unique across edges
  std::string case_id;
  int assess = 1;
  std::string kid;       // ticket issuer
  std::string claims_json;
  std::string rating_json;
  int satisfaction = 0;
  int64_t received_at_ms = 0;
  // From the verified claims, for statistics without parsing JSON in SQL.
  std::string unit;
  std::string unit_name;
  std::string channel;
  std::string comment;  // the citizen's text: a good rating with text becomes a suggestion to the unit
  // What the public figures and the to-do event need of the claims and the rating, when the
  // caller has parsed them already (ingest: the verified claims, the rating). Unset, they are read
  // from claims_json and rating_json (PlaceOf, CaseOpenedEvent): parsing them again for every
  // rating was a sixth of the centre's CPU in a relay drain (docs/performance.md).
  struct Parsed {
    std::string area, item, item_name, window;
    bool is_public = false;
    std::vector<std::string> reasons;
  };
  std::optional<Parsed> parsed;
  std::string day;      // the centre's day at ingest (YYYY-MM-DD, centre_day.h): a bad rating's case
                        // opens on it; empty: the store's clock
  // For a bad rating: the unit's to-do event (webhook "case.opened"); the store enqueues it with
  // the case, only when the unit has a webhook configured.
  std::optional<OutboxMessage> todo;
  // Set when the centre cannot count this rating although its batch is fine (claims that do not
  // parse, a level out of range: an edge of another version, a damaged outbox row). The store
  // keeps it in `rejected` with this reason instead of storing it, so it neither holds back the
  // ratings behind it nor is lost; an id stored or refused before keeps its first answer.
  std::string invalid;         // error id ("ingest.rating_invalid"); empty: a rating to store
  std::string invalid_detail;  // what is wrong, for operators
};

enum class IngestStatus {
  Stored,    // new, or the same id again (a replayed batch): stored exactly once
  Rejected,  // kept apart with the reason: the case and assess number were rated already, or invalid
};

struct IngestResult {
  std::string id;
  IngestStatus status = IngestStatus::Stored;
  std::string reason;       // error id, for Rejected
  std::string existing_id;  // the rating that won, for Rejected as rating.already_rated
  std::string detail;       // what is wrong, for Rejected as invalid
};

struct UnitFigures {
  std::string unit;
  std::string unit_name;
  Tally tally;
};

struct Summary {
  Tally all;
  int64_t rejected = 0;  // ratings refused at ingest (duplicates, invalid ones), counted apart
  std::map<std::string, int64_t> rejected_by_reason;  // the same by reason (error id)
  std::vector<UnitFigures> by_unit;
  std::map<std::string, Tally> by_channel;
};

// A finished case reported by an integrating system (POST /api/v1/cases): what the default
// rating (5 working days after finished_at, per area's calendar) and the SMS reminder need.
struct CaseRecord {
  std::string case_id;
  int assess = 1;
  std::string unit;
  std::string unit_name;
  std::string area;
  std::string channel;
  int64_t finished_at_unix = 0;
  std::string contact;     // the evaluator's phone sealed to seal.pub (crypto_box_seal), or empty
  std::string body;        // the report as sent minus the phone, canonical: same report = same text
  std::string ticket;      // empty when the centre has no issuer key
  std::string short_code;  // empty without a ticket
  std::string source;      // the name of the API key that reported it
  int64_t registered_at_ms = 0;
};

struct CaseRegistered {
  bool created = false;  // false: the case (and assess number) was there already; `record` is that one
  CaseRecord record;
};

// One opening of an evaluator's sealed contact: who, why, when (MoT 第十条, SR 第十一条: evaluator
// data is protected and queries are restricted; every opening leaves a row).
struct ContactAccess {
  std::string case_id;
  int assess = 1;
  std::string purpose;  // "return_visit", "reminder"
  std::string actor;    // who asked: a back-office user, "system" for the reminder job
  int64_t at_ms = 0;
};

// ---- The closed loop for bad ratings (issue 6; docs/closed-loop.md) ----
// A bad rating opens a handling case for its unit in the same transaction that stores it, so a
// replayed batch can never open a second one. The case is the fold of its events (shared
// case_machine): the store keeps the events and only a `closed` flag for listing; deadlines and
// what may happen next are always recomputed by central/closed_loop.cpp.
struct HandlingEvent {
  int seq = 0;              // 0 is the system's `open`, written at ingest
  std::string date;         // YYYY-MM-DD, the centre's day (centre_day.h)
  std::string actor;        // case_machine wire names: "unit", "office", "system"
  std::string action;       // "open", "return_visit", ...
  std::string fields_json;  // {"method":"phone",...}: strings only
  std::string by;           // the user who took it; "system" for open
  int64_t at_ms = 0;
  // The messages the event causes (an SMS to the citizen, a webhook to the unit), stored by
  // AppendHandlingEvent in the event's transaction (a webhook only when the unit has one). Not
  // read back with the events.
  std::vector<OutboxMessage> outbox;
  // When set, AppendHandlingEvent writes the audit trail's row for the action (who = `by`, when =
  // `at_ms`, what = "case." + action, object "case:ID/ASSESS") in the event's own transaction, so
  // no action is stored unaudited and no refused one is audited. Not read back with the events.
  struct AuditRow {
    std::string role, unit;               // the actor's at the time
    std::string before_json, after_json;  // the case's state before and after
  };
  std::optional<AuditRow> audit;
};

struct HandlingCase {
  std::string case_id;
  int assess = 1;
  std::string rating_id;
  std::string unit;
  std::string unit_name;
  int satisfaction = 0;
  bool closed = false;
  int64_t opened_at_ms = 0;
  std::vector<HandlingEvent> events;  // oldest first
};

// A good rating with text, in its unit's inbox (MoT 第十四条).
struct Suggestion {
  std::string rating_id;
  std::string case_id;
  int assess = 1;
  std::string unit;
  std::string unit_name;
  int satisfaction = 0;
  std::string text;
  int64_t at_ms = 0;
};

enum class AppendStatus {
  Appended,
  Conflict,  // an event with this seq exists: someone acted on the case first
  NoCase,
};
// Where a unit's own system takes its to-do events (hcp admin unit add --webhook; docs/notifications.md).
struct UnitWebhook {
  std::string url;
  std::string secret;  // HMAC-SHA256 key of X-HCP-Signature
};

// An outbox channel's state for /metrics.
struct OutboxStats {
  int64_t pending = 0;            // not delivered yet (waiting, or being retried)
  int64_t failed = 0;             // given up: retries exhausted, or refused for good
  int64_t sent = 0;
  int64_t oldest_pending_ms = 0;  // created_at_ms of the oldest pending message; 0: none
};
// ---- end of the closed loop's types ----

struct ApiKeyInfo {
  std::string name;
  int64_t created_at_ms = 0;
  bool revoked = false;
};

// ---- People and access (issue 6 part B): units, back-office users, sessions, the audit trail ----

// A handling unit (承办单位): code as the integrating systems report it (the `unit` of a case).
struct UnitRecord {
  std::string code;
  std::string name;
  int64_t created_at_ms = 0;
};

// A back-office user. role: "handler" (unit handler, needs a unit), "reviewer" (office
// reviewer), "admin", "auditor" (read-only). password_hash: crypto_pwhash_str (argon2id) text.
struct UserRecord {
  std::string name;
  std::string role;
  std::string unit;  // empty: none
  std::string password_hash;
  bool disabled = false;
  int64_t created_at_ms = 0;
};

// A signed-in session: only a hash of the cookie's token is stored, so a copy of the database
// signs nobody in. The CSRF token is the synchronizer token the client echoes (X-CSRF-Token).
struct SessionRecord {
  std::string token_hash;
  std::string user;
  std::string csrf_token;
  int64_t created_at_ms = 0;
  int64_t expires_at_ms = 0;
};

// One row of the append-only audit trail: who (user, role, unit at the time), when, what, on
// which object, and the object before and after (JSON text, "" when not applicable).
struct AuditEntry {
  int64_t seq = 0;  // assigned by the store
  int64_t at_ms = 0;
  std::string actor;
  std::string role;
  std::string unit;
  std::string action;
  std::string object;
  std::string before_json;
  std::string after_json;
};


// ---- Public figures (issue 7; docs/reports.md §10): pre-aggregated in the stores' public_* tables ----
// What a bad rating's case counts for now (computed by the closed loop from the case machine,
// public_tally.h); the store applies the difference to its aggregates in the event's transaction.
struct CaseFigures {
  bool valid_bad = false;
  bool rectified = false;
  bool rectified_on_time = false;
  bool closed_invalid = false;
  bool upheld = false;  // appeal upheld: the rating is in no figure any more
  int close_days = -1;  // working days from the rating's day to closing; -1 while open
  friend bool operator==(const CaseFigures&, const CaseFigures&) = default;
};

// Filters of GET /api/v1/public/stats; empty = any. Days YYYY-MM-DD, both included.
struct PublicFilter {
  std::string area, unit, item, hall, window;
  std::string from, to;
};

// One aggregate cell summed over the period: counts by level (index 0 = level 1 非常不满意).
struct PublicCell {
  std::string unit, hall, window, item;
  int64_t levels[5] = {};
  int64_t defaults[5] = {};
  int64_t upheld = 0, valid_bad = 0, rectified = 0, on_time = 0, closed_invalid = 0;
  int64_t listed = 0;  // published bad ratings (what /api/v1/public/bad-ratings lists)
};

struct PublicCells {
  std::vector<PublicCell> cells;
  std::map<int, int64_t> close_days;  // working days to close → cases
  int64_t listed = 0;                  // the cells' published bad ratings, summed
  // kind ("unit", "hall", "window" keyed "hall/window", "item") → key → name
  std::map<std::string, std::map<std::string, std::string>> names;
};

// A published bad rating's raw parts, newest first (day, then rating id descending).
struct PublicBadRow {
  std::string rating_id;
  std::string day;
  std::string unit, hall, window, item;
  int satisfaction = 0;
  std::string claims_json, rating_json;
  HandlingCase handling;  // with its events (empty when the rating has no case)
};
struct PublicBadPage {
  int64_t total = 0;
  std::vector<PublicBadRow> rows;
};
// ---- end of the public figures' types ----

// ---- Reports, sampling and the national export (issue 7; docs/reports.md) ----
// A stored rating as the reports read it: the row, and for a bad rating its case's events (the
// adapter central/rating_source.cpp turns it into the shared RatingRecord).
struct StoredRating {
  int64_t export_seq = 0;  // the export sequence (docs/reports.md §7); 0 until stamped
  std::string id;
  std::string case_id;
  int assess = 1;
  std::string unit;
  std::string unit_name;
  std::string channel;
  int satisfaction = 0;
  bool is_default = false;
  bool excluded = false;
  std::string claims_json;
  std::string rating_json;
  int64_t received_at_ms = 0;
  std::vector<HandlingEvent> events;  // oldest first; empty without a handling case
};

// Ratings received in [from_ms, to_ms), of one unit unless `unit` is empty, read a page at a time.
struct RatingScan {
  int64_t from_ms = 0;
  int64_t to_ms = 0;
  std::string unit;
  int page_size = 2000;
};

// The push mode's durable cursor (hcp export national --push): `acked` is the highest export
// sequence the receiver acknowledged; a batch being sent is written down first (its range and
// idempotency key), so after a crash exactly that batch is sent again, with the same key.
struct ExportCursor {
  std::string name;
  int64_t acked = 0;
  int64_t pending_first = 0;  // 0: no batch in flight
  int64_t pending_last = 0;
  std::string pending_key;
  std::string pending_body;   // the batch as sent: a resend is byte for byte the same
  int64_t updated_at_ms = 0;
};

// A 通报 the centre made (monthly, on the first working day of the next month): stored once.
struct StoredReport {
  std::string kind;    // "monthly" | "annual"
  std::string period;  // "2026-03" | "2026"
  std::string as_of;   // YYYY-MM-DD
  std::string html;
  std::string csv;
  std::string json;
  int64_t created_at_ms = 0;
};

// A drawn return-visit sample (MoT 第十六条) and the survey to-dos it gave each unit.
struct SampleRecord {
  std::string month;  // "2026-03"
  std::string seed;   // decimal, 0..2^64-1
  int64_t size = 0;
  int64_t population = 0;
  std::string created_by;
  int64_t created_at_ms = 0;
};
struct SurveyTask {
  std::string month;
  std::string seed;
  int position = 0;  // 1.. in draw order over the whole sample
  std::string unit;
  std::string unit_name;
  std::string evaluator_id;
  std::string rating_id;
  std::string case_id;
  int assess = 1;
};
// ---- end of issue 7's types ----

class CentralStore {
 public:
  virtual ~CentralStore() = default;
  // One transaction for the whole batch: every rating id is stored once however often the
  // batch is replayed; one rating per case and assess number across all edges (first wins).
  virtual Result<std::vector<IngestResult>> Ingest(const std::string& edge_kid,
                                                   const std::vector<RelayedRating>& batch) = 0;
  virtual Result<Summary> StatsSummary() = 0;

  // The case registry. Inserts the case unless (case_id, assess) is registered already, in which
  // case nothing changes and the stored record comes back (concurrent reports: one wins).
  virtual Result<CaseRegistered> RegisterCase(const CaseRecord& record) = 0;
  virtual Result<std::optional<CaseRecord>> FindCase(const std::string& case_id, int assess) = 0;
  // The ticket behind a short link (GET /api/v1/links/{code}).
  virtual Result<std::optional<std::string>> TicketByShortCode(const std::string& code) = 0;
  // The signed claims (JSON text) of the accepted rating of a case, as relayed by its edge.
  virtual Result<std::optional<std::string>> RatingClaims(const std::string& case_id, int assess) = 0;
  // The rating itself (JSON text: satisfaction, reasons, comment) of a case, for its handling unit.
  virtual Result<std::optional<std::string>> RatingText(const std::string& case_id, int assess) = 0;

  // The audit trail of contact openings, oldest first.
  virtual Result<bool> RecordContactAccess(const ContactAccess& access) = 0;
  virtual Result<std::vector<ContactAccess>> ContactAccesses(const std::string& case_id, int assess) = 0;

  // API keys of integrating systems: only a hash of each key is stored. AddApiKey answers false
  // when the name is taken; RevokeApiKey false when there is no such (unrevoked) key.
  virtual Result<bool> AddApiKey(const std::string& name, const std::string& key_hash) = 0;
  virtual Result<std::optional<std::string>> ApiKeyName(const std::string& key_hash) = 0;
  virtual Result<std::vector<ApiKeyInfo>> ListApiKeys() = 0;
  virtual Result<bool> RevokeApiKey(const std::string& name) = 0;

  // ---- People and access (issue 6 part B) ----
  // AddUnit / AddUser answer false when the code / name is taken.
  virtual Result<bool> AddUnit(const UnitRecord& unit) = 0;
  virtual Result<std::optional<UnitRecord>> FindUnit(const std::string& code) = 0;
  virtual Result<bool> AddUser(const UserRecord& user) = 0;
  virtual Result<std::optional<UserRecord>> FindUser(const std::string& name) = 0;
  // Disables a user and ends all their sessions at once; false when there is no such user.
  virtual Result<bool> DisableUser(const std::string& name) = 0;
  // All units, then all users, in one transaction: any failure (a taken code or name) imports
  // nothing and answers the error.
  virtual Result<bool> ImportPeople(const std::vector<UnitRecord>& units, const std::vector<UserRecord>& users) = 0;
  virtual Result<bool> AddSession(const SessionRecord& session) = 0;
  virtual Result<std::optional<SessionRecord>> FindSession(const std::string& token_hash) = 0;
  virtual Result<bool> DeleteSession(const std::string& token_hash) = 0;
  // Appends one row (there is no update or delete of the audit trail, here or in the schema);
  // answers its sequence number.
  virtual Result<int64_t> AppendAudit(const AuditEntry& entry) = 0;
  // The trail of one object ("" = every object), oldest first, at most `limit` rows.
  virtual Result<std::vector<AuditEntry>> AuditTrail(const std::string& object, int64_t limit) = 0;
  virtual bool Healthy() = 0;

  // ---- The closed loop (issue 6) ----
  // The case with its events, or none.
  virtual Result<std::optional<HandlingCase>> FindHandlingCase(const std::string& case_id, int assess) = 0;
  // Cases with their events: of one unit (empty `unit`: every unit), only those not closed when
  // `open_only`; ordered by case and assess number.
  virtual Result<std::vector<HandlingCase>> HandlingCases(const std::string& unit, bool open_only) = 0;
  // Appends `event` (its seq must be the number of events already there) and records whether the
  // case is now closed; `exclude_rating` takes the rating out of the statistics (appeal upheld).
  // One transaction.
  virtual Result<AppendStatus> AppendHandlingEvent(const std::string& case_id, int assess, const HandlingEvent& event,
                                                   bool closed, bool exclude_rating,
                                                   const std::optional<CaseFigures>& figures = std::nullopt) = 0;
  // Records that the deadline `due` of a case was overdue on `today` and went to the office; false
  // when that deadline was escalated already (the daily job may run any number of times).
  // `outbox` (the unit's "case.escalated" webhook) is stored with a first escalation only.
  virtual Result<bool> Escalate(const std::string& case_id, int assess, const std::string& due,
                                const std::string& today, const std::vector<OutboxMessage>& outbox = {}) = 0;
  virtual Result<int64_t> EscalationCount() = 0;
  // The unit's inbox of suggestions, newest first.
  virtual Result<std::vector<Suggestion>> Suggestions(const std::string& unit) = 0;
  // Registered cases without any rating, finished before `finished_before_unix` (a coarse
  // pre-filter; the working-day rule is applied by the scheduler).
  virtual Result<std::vector<CaseRecord>> UnratedCases(int64_t finished_before_unix) = 0;
  // Stores the system's default rating (is_default) for a case unless it has a rating already:
  // the unique (case_id, assess) makes it happen once, whoever runs the job and however often.
  virtual Result<bool> StoreDefaultRating(const RelayedRating& rating) = 0;

  // ---- Outboxes: SMS to citizens, webhooks to units (issue 6; docs/notifications.md) ----
  // AppendHandlingEvent, Escalate and Ingest (RelayedRating::todo) enqueue; a webhook message is
  // stored only when its unit has a webhook. Up to `limit` pending messages of `channel` due at
  // `now_ms`, oldest due first, each leased for `lease_ms` (its next_at_ms moves on), so another
  // sender (a second centre) leaves them alone and a sender that dies mid-delivery has them
  // retried once the lease ends.
  virtual Result<std::vector<OutboxMessage>> ClaimOutbox(const std::string& channel, int64_t now_ms, int64_t lease_ms,
                                                         int limit) = 0;
  // Delivered (state "sent"), or not: retried at `next_at_ms`, or given up (state "failed").
  virtual Result<bool> MarkOutboxSent(const std::string& id, int attempts, int64_t now_ms) = 0;
  virtual Result<bool> MarkOutboxRetry(const std::string& id, int attempts, int64_t next_at_ms, const std::string& error,
                                       bool failed) = 0;
  virtual Result<OutboxStats> OutboxStatsOf(const std::string& channel) = 0;
  // The operator's resend (hcp central resend): failed messages of `channel` (one, by `id`, or all
  // when `id` is empty) become pending again with their attempts reset, due at `now_ms`. Their
  // last_error stays until the next attempt. Answers how many.
  virtual Result<int64_t> RequeueFailedOutbox(const std::string& channel, const std::string& id, int64_t now_ms) = 0;
  // Every message of a case, oldest first (tests, and the back office's timeline).
  virtual Result<std::vector<OutboxMessage>> OutboxOfCase(const std::string& case_id, int assess) = 0;
  // Sets (an empty url removes) a unit's webhook; false when there is no such unit.
  virtual Result<bool> SetUnitWebhook(const std::string& unit, const UnitWebhook& webhook) = 0;
  virtual Result<std::optional<UnitWebhook>> FindUnitWebhook(const std::string& unit) = 0;
  // ---- end of the outboxes ----

  // ---- Public figures (issue 7). `figures` above: what the case counts for after the event (the
  // aggregates follow in the same transaction); none = unchanged (an upheld exclusion still applies).
  // The aggregate cells of the period and filters, the close-days histogram and the names.
  virtual Result<PublicCells> PublicTallies(const PublicFilter& filter) = 0;
  // Bad ratings the evaluator allowed to publish (upheld appeals never), newest first, a page.
  // `total`: their number if the caller has it already (PublicCells::listed), else it is counted.
  virtual Result<PublicBadPage> PublicBadRatings(const PublicFilter& filter, int64_t offset, int64_t limit,
                                                 std::optional<int64_t> total = std::nullopt) = 0;
  // Cases counted by the backfill whose figures the centre must still compute (at start).
  virtual Result<std::vector<HandlingCase>> StalePublicCases() = 0;
  virtual Result<bool> SetPublicCaseFigures(const std::string& case_id, int assess, const CaseFigures& figures) = 0;
  // ---- end of the closed loop ----
  // ---- Reports, sampling and the national export (issue 7; docs/reports.md) ----
  // Hands `page` the scanned ratings a page at a time, in (received_at_ms, id) order, each with its
  // case's events; `page` answers false to stop. Memory stays one page however many rows match.
  virtual Result<bool> ScanRatings(const RatingScan& scan,
                                   const std::function<bool(std::vector<StoredRating>&)>& page) = 0;
  // Numbers every rating that has no export sequence yet, in one serialised step that commits
  // before the next may start (docs/reports.md §7); answers the highest number given so far.
  virtual Result<int64_t> StampExportSequence() = 0;
  // Up to `limit` ratings with after < export_seq <= upto, in export_seq order, with their events.
  virtual Result<std::vector<StoredRating>> RatingsBySequence(int64_t after, int64_t upto, int64_t limit) = 0;
  // The cursor named `name` (a new one at 0 when there is none) and its replacement.
  virtual Result<ExportCursor> LoadExportCursor(const std::string& name) = 0;
  virtual Result<bool> SaveExportCursor(const ExportCursor& cursor) = 0;
  // False when a report of that kind and period is stored already (it is never replaced).
  virtual Result<bool> StoreReport(const StoredReport& report) = 0;
  virtual Result<std::vector<StoredReport>> ListReports() = 0;  // newest period first, without bodies
  virtual Result<std::optional<StoredReport>> FindReport(const std::string& kind, const std::string& period) = 0;
  // The sample and its tasks in one transaction; false when (month, seed) is drawn already.
  virtual Result<bool> StoreSample(const SampleRecord& sample, const std::vector<SurveyTask>& tasks) = 0;
  virtual Result<std::optional<SampleRecord>> FindSample(const std::string& month, const std::string& seed) = 0;
  virtual Result<std::vector<SampleRecord>> ListSamples() = 0;  // newest month first
  // A sample's tasks in draw order, of one unit unless `unit` is empty.
  virtual Result<std::vector<SurveyTask>> SurveyTasks(const std::string& month, const std::string& seed,
                                                      const std::string& unit) = 0;
  // ---- end of issue 7 ----
};

// Opens `DIR/central.db` (creating it, applying migrations); `error` says what failed.
std::unique_ptr<CentralStore> OpenSqliteStore(const std::string& data_dir, std::string& error);
// Connects to PostgreSQL (`postgresql://…` URI or libpq key=value conninfo) through a small
// connection pool and applies the migrations; `error` says what failed.
std::unique_ptr<CentralStore> OpenPostgresStore(const std::string& conninfo, std::string& error);
// The centre's store as configured: `db_url` empty → SQLite in `data_dir`; `postgresql://…` (or
// `postgres://…`) → PostgreSQL; anything else is refused with `error`.
std::unique_ptr<CentralStore> OpenStore(const std::string& db_url, const std::string& data_dir, std::string& error);

}  // namespace hcp::central
