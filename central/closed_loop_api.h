#pragma once
// The closed loop's HTTP API (docs/api.md, "Bad-rating handling"): a unit's to-dos, one case's
// handling (timeline, deadline, what the caller may do now, the rating it answers), taking an
// action, the unit's inbox of suggestions, the evaluator's contact for the return visit, the case
// search and the office's queues (reviews, appeals, overdue). Only parsing and answering here;
// ClosedLoop decides, the store keeps.
#include <httplib.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "access.h"
#include "closed_loop.h"
#include "contact_unsealer.h"
#include "hcp/catalogue.h"
#include "hcp/wire.h"

namespace hcp::central {

class ClosedLoopApi {
 public:
  // `who` says who is asking (access.h); `now_ms` is the centre's clock (its day is "today");
  // `seal` opens evaluators' contacts for the return visit (none: the centre has no seal key).
  ClosedLoopApi(ClosedLoop& loop, CentralStore& store, ActorResolver who, std::function<int64_t()> now_ms,
                std::optional<SealKeyPair> seal = std::nullopt);

  void Mount(httplib::Server& server);
  // The route pattern of `path` for the request metrics, or "" when it is none of these.
  static std::string RouteOf(const std::string& path);

 private:
  void HandleTodos(const httplib::Request& req, httplib::Response& res);
  void HandleSuggestions(const httplib::Request& req, httplib::Response& res);
  void HandleCase(const httplib::Request& req, httplib::Response& res);
  void HandleAction(const httplib::Request& req, httplib::Response& res);
  void HandleContact(const httplib::Request& req, httplib::Response& res);
  // GET /api/v1/handling (filters from the query) and the office's queues (a fixed filter).
  void HandleSearch(const httplib::Request& req, httplib::Response& res, std::optional<CaseQuery> office_queue);
  Json CaseJson(const Actor& who, const HandlingView& view, Date today) const;
  Json ListEntry(const Actor& who, const HandlingView& view, Date today) const;
  // What the case answers: the rating (reasons in words, the comment masked) and the service as
  // its ticket said (the evaluator's name masked, the contact only said to exist).
  Json RatingJson(const HandlingCase& record) const;

  ClosedLoop& loop_;
  CentralStore& store_;
  ActorResolver who_;
  std::function<int64_t()> now_ms_;
  std::optional<ContactUnsealer> unsealer_;
  std::optional<ReasonCatalogue> reasons_;  // the embedded catalogue: reason codes in words
};

// May `who` open the evaluator's contact of this case now? Only a handler of the case's unit, and
// only while the return visit is due (MoT 第十条: evaluator data strictly protected).
bool MayOpenContact(const Actor& who, const HandlingView& view);

}  // namespace hcp::central
