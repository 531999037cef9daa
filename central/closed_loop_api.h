#pragma once
// The closed loop's HTTP API (docs/api.md, "Bad-rating handling"): a unit's to-dos, one case's
// handling (timeline, deadline, what the caller may do now), taking an action, the unit's inbox
// of suggestions. Only parsing and answering here; ClosedLoop decides, the store keeps.
#include <httplib.h>

#include <cstdint>
#include <functional>
#include <string>

#include "access.h"
#include "closed_loop.h"
#include "hcp/wire.h"

namespace hcp::central {

class ClosedLoopApi {
 public:
  // `who` says who is asking (access.h); `now_ms` is the centre's clock (its day is "today").
  ClosedLoopApi(ClosedLoop& loop, CentralStore& store, ActorResolver who, std::function<int64_t()> now_ms)
      : loop_(loop), store_(store), who_(std::move(who)), now_ms_(std::move(now_ms)) {}

  void Mount(httplib::Server& server);
  // The route pattern of `path` for the request metrics, or "" when it is none of these.
  static std::string RouteOf(const std::string& path);

 private:
  void HandleTodos(const httplib::Request& req, httplib::Response& res);
  void HandleSuggestions(const httplib::Request& req, httplib::Response& res);
  void HandleCase(const httplib::Request& req, httplib::Response& res);
  void HandleAction(const httplib::Request& req, httplib::Response& res);
  Json CaseJson(const Actor& who, const HandlingView& view, Date today) const;

  ClosedLoop& loop_;
  CentralStore& store_;
  ActorResolver who_;
  std::function<int64_t()> now_ms_;
};

}  // namespace hcp::central
