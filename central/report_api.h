#pragma once
// The back office's reports and return-visit samples over HTTP (docs/api.md, "Reports and
// samples"): the monthly 通报 the centre made, listed and fetched as HTML, CSV or JSON; the
// month's sample drawn (office only) and listed; each unit's survey to-dos, and the evaluator's
// contact for them, opened only by a handler of the task's unit, every opening audited and
// logged. Only parsing and answering here: report_maker.h and survey_sample.h do the work.
//
// Who reads what: a 通报 is circulated to every unit (SR 第十四条), so every signed-in role reads
// whole reports; a sample's tasks are per unit, so a handler sees only its own unit's.
#include <httplib.h>

#include <functional>
#include <optional>

#include "access.h"
#include "central_store.h"
#include "contact_unsealer.h"
#include "hcp/calendar.h"
#include "hcp/case_machine.h"

namespace hcp::central {

class ReportApi {
 public:
  ReportApi(CentralStore& store, ActorResolver who, const WorkingCalendar& calendar, CaseLimits limits,
            std::function<int64_t()> now_ms, std::optional<SealKeyPair> seal = std::nullopt);

  void Mount(httplib::Server& server);
  // The route pattern of `path` for the request metrics, or "" when it is none of these.
  static std::string RouteOf(const std::string& path);

 private:
  void HandleList(const httplib::Request& req, httplib::Response& res);
  void HandleReport(const httplib::Request& req, httplib::Response& res);
  void HandleSamples(const httplib::Request& req, httplib::Response& res);
  void HandleDraw(const httplib::Request& req, httplib::Response& res);
  void HandleSample(const httplib::Request& req, httplib::Response& res);
  void HandleContact(const httplib::Request& req, httplib::Response& res);

  CentralStore& store_;
  ActorResolver who_;
  const WorkingCalendar& calendar_;
  CaseLimits limits_;
  std::function<int64_t()> now_ms_;
  std::optional<ContactUnsealer> unsealer_;
};

}  // namespace hcp::central
