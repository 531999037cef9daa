#pragma once
// The public disclosure (issue 7; MoT 第十三条, SR 第十四条), no login: GET /api/v1/public/stats,
// GET /api/v1/public/bad-ratings and the page at /public/. Thin: the figures come from the store's
// pre-aggregated tables through the shared core (PublicFiguresFromAggregates, PublishBadRatings),
// so suppression (样本不足) and masking are the core's.
#include <httplib.h>

#include <functional>
#include <string>

#include "central_store.h"
#include "hcp/calendar.h"
#include "hcp/case_machine.h"
#include "hcp/figure_format.h"
#include "hcp/period.h"
#include "hcp/public_figures.h"
#include "public_config.h"

namespace hcp::central {

// A request's filters and period. The period: `period=YYYY-MM` (a month) or `period=YYYY` (a
// year), or `from` and/or `to` (YYYY-MM-DD); none: the current year to today.
struct PublicQuery {
  PublicFilter filter;
  Period period;
  int page = 1;
  int per_page = 20;
};
// Every bad parameter as request.filter_invalid naming it (400); unknown parameters too.
Result<PublicQuery> ParsePublicQuery(const std::multimap<std::string, std::string>& params, Date today,
                                     bool paged, int max_per_page);

class PublicApi {
 public:
  PublicApi(CentralStore& store, const WorkingCalendar& calendar, CaseLimits limits,
            std::function<int64_t()> now_ms, PublicSettings settings);
  void Register(httplib::Server& http);
  // The backfill's cases (stored before migration 6): their figures, now. Answers how many.
  Result<int> RefreshStale();

  // `listed`, if given: set to the period's published bad ratings (read with the figures).
  Result<Json> Stats(const PublicQuery& q, int64_t* listed = nullptr);
  // `total`: their number if known (the page has it from Stats), else the store counts them.
  Result<Json> BadRatings(const PublicQuery& q, std::optional<int64_t> total = std::nullopt);

 private:
  void Handle(const httplib::Request& req, httplib::Response& res, bool paged,
              const std::function<Result<Json>(const PublicQuery&)>& answer);
  void HandlePage(const httplib::Request& req, httplib::Response& res);
  Date Today() const;

  CentralStore& store_;
  const WorkingCalendar& calendar_;
  CaseLimits limits_;
  std::function<int64_t()> now_ms_;
  PublicSettings settings_;
};

// The page (public_page.cpp): the figures and published bad ratings as plain HTML tables with a
// GET form for the filters, so it works without script; `error` set when the filters were bad.
std::string RenderPublicPage(const Json& stats, const Json& bad, const PublicQuery& q, const std::string& error);

}  // namespace hcp::central
