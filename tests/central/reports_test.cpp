// Reports, samples and the national export from the centre's store, over both stores ("sqlite":
// a temporary folder; "postgresql": a database of its own in HCP_TEST_PG, test_database.h). The
// data set is the reports' fixed one (tests/shared/report_fixture.h), loaded through the store as
// production fills it (report_store_fixture.h); the expected numbers are the hand-written golden
// files and the figures counted by hand in docs/reports.md §8, not merely the presence of output.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "hcp/national_export.h"
#include "hcp/report_render.h"
#include "hcp/sampling.h"
#include "national_feed.h"
#include "national_push.h"
#include "rating_source.h"
#include "report_maker.h"
#include "report_store_fixture.h"
#include "survey_sample.h"
#include "test_database.h"

namespace hcp::central {
namespace {

namespace fs = std::filesystem;
using hcp::testing::D;
using hcp::testing::ReportFixture;

std::string ReadGolden(const std::string& name) {
  std::ifstream in(std::string(HCP_GOLDEN_DIR) + "/" + name, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The store knows halls and windows by their codes only (ticket claims carry no names): the
// golden file with the fixture's names written as the codes, and nothing else changed.
std::string WithCodesForNames(std::string text) {
  text = std::regex_replace(text, std::regex("市民中心 ([0-9])号窗口"), "H1 W$1");
  return std::regex_replace(text, std::regex(",市民中心,"), ",H1,");
}

// The fixture as the store gives it back: hall and window named by their codes.
std::vector<RatingRecord> FixtureAsStored() {
  auto records = ReportFixture();
  for (auto& r : records) {
    r.hall_name = r.hall;
    r.window_name = r.window;
  }
  return records;
}

ReportOptions Options() {
  ReportOptions o;
  o.min_sample = 5;
  return o;
}

class ReportsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto cal = WorkingCalendar::Embedded();
    ASSERT_TRUE(cal);
    calendar_ = std::move(cal).value();
    if (GetParam() == "sqlite") {
      static std::atomic<int> n{0};
      dir_ = (fs::temp_directory_path() / ("hcp_reports_" + std::to_string(getpid()) + "_" + std::to_string(n++))).string();
    } else {
      ASSERT_NO_FATAL_FAILURE(db_.Create());
    }
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  void Reopen() {  // a restart: the store opened again from the same database
    store_.reset();
    std::string error;
    store_ = OpenStore(GetParam() == "sqlite" ? "" : db_.url(), dir_, error);
    ASSERT_TRUE(store_) << error;
  }
  PeriodReport Make(ReportKind kind, int year, int month, const std::string& unit = "", const std::string& area = "") {
    ReportRequest request;
    request.kind = kind;
    request.year = year;
    request.month = month;
    request.as_of = D("2026-04-03");
    request.unit = unit;
    request.area = area;
    request.options = Options();
    auto report = MakeReport(*store_, request, calendar_, CaseLimits{});
    EXPECT_TRUE(report) << report.errors().front().id << " " << report.errors().front().message_en;
    return report ? std::move(report).value() : PeriodReport{};
  }

  WorkingCalendar calendar_;
  std::string dir_;
  testing::TestDatabase db_;
  std::unique_ptr<CentralStore> store_;
};

TEST_P(ReportsTest, MonthlyCsvFromTheStoreIsTheHandWrittenGolden) {
  ASSERT_NO_FATAL_FAILURE(testing::LoadFixture(*store_, calendar_));
  const std::string golden = ReadGolden("monthly_2026-03.csv");
  ASSERT_FALSE(golden.empty());
  EXPECT_EQ(RenderReportCsv(Make(ReportKind::Monthly, 2026, 3)), WithCodesForNames(golden));
}

TEST_P(ReportsTest, MonthlyJsonCarriesTheFiguresCountedByHand) {
  ASSERT_NO_FATAL_FAILURE(testing::LoadFixture(*store_, calendar_));
  const Json j = ReportToJson(Make(ReportKind::Monthly, 2026, 3));
  EXPECT_EQ(j["total"]["ratings"], 19);
  EXPECT_EQ(j["total"]["excluded_ratings"], 1);  // r15, appeal upheld through the closed loop
  EXPECT_EQ(j["total"]["good_rate"]["numerator"], 14);
  EXPECT_EQ(j["total"]["good_rate"]["denominator"], 19);
  EXPECT_EQ(j["total"]["good_rate"]["display"], "73.7%");
  EXPECT_EQ(j["total"]["change"]["good_rate_points"], "-13.0");
  ASSERT_EQ(j["units"].size(), 3u);
  EXPECT_EQ(j["units"][1]["key"], "U3");
  EXPECT_EQ(j["units"][1]["repeat_bad"]["consecutive_months"], 3);  // January, February, March
  EXPECT_EQ(j["units"][2]["key"], "U1");
  EXPECT_EQ(j["units"][2]["repeat_bad"]["flagged"], true);  // three in March
  // And every figure equals the core's report over the fixture itself.
  const auto records = FixtureAsStored();
  EXPECT_EQ(Dump(j, 1), Dump(ReportToJson(BuildMonthlyReport(records, 2026, 3, D("2026-04-03"), Options())), 1));
}

TEST_P(ReportsTest, AnnualReportFromTheStoreEqualsTheCoresOverTheFixture) {
  ASSERT_NO_FATAL_FAILURE(testing::LoadFixture(*store_, calendar_));
  const PeriodReport rep = Make(ReportKind::Annual, 2026, 0);
  EXPECT_EQ(rep.total.tally.Total(), 19 + 15 + 1);
  const ReportRow* u3 = nullptr;
  for (const auto& u : rep.units)
    if (u.key == "U3") u3 = &u;
  ASSERT_TRUE(u3);
  EXPECT_EQ(u3->tally.Total(), 11);
  EXPECT_EQ(GoodRate(u3->tally), (Rate{8, 11}));
  EXPECT_EQ(u3->repeat_months, 1);
  const auto records = FixtureAsStored();
  const PeriodReport core = BuildAnnualReport(records, 2026, D("2026-04-03"), Options());
  EXPECT_EQ(Dump(ReportToJson(rep), 1), Dump(ReportToJson(core), 1));
  EXPECT_EQ(RenderReportCsv(rep), RenderReportCsv(core));
}

TEST_P(ReportsTest, UnitAndAreaFiltersNarrowTheReport) {
  ASSERT_NO_FATAL_FAILURE(testing::LoadFixture(*store_, calendar_));
  const PeriodReport u1 = Make(ReportKind::Monthly, 2026, 3, "U1");
  EXPECT_EQ(u1.total.tally.Total(), 8);
  ASSERT_EQ(u1.units.size(), 1u);
  EXPECT_EQ(u1.units[0].repeat_bad_count, 3);
  EXPECT_EQ(Make(ReportKind::Monthly, 2026, 3, "", "330100").total.tally.Total(), 19);
  EXPECT_EQ(Make(ReportKind::Monthly, 2026, 3, "", "110000").total.tally.Total(), 0);
}

TEST_P(ReportsTest, ScanReadsEveryRatingOncePageByPageWithItsCase) {
  ASSERT_NO_FATAL_FAILURE(testing::LoadFixture(*store_, calendar_));
  RatingScan scan;
  scan.from_ms = DayStartMs(D("2026-01-01"));
  scan.to_ms = DayStartMs(D("2026-04-01"));
  scan.page_size = 4;
  std::vector<std::string> ids;
  int pages = 0;
  size_t events_of_r7 = 0;
  auto done = store_->ScanRatings(scan, [&](std::vector<StoredRating>& page) {
    EXPECT_LE(page.size(), 4u);
    ++pages;
    for (const auto& r : page) {
      ids.push_back(r.id);
      if (r.id == "r7") events_of_r7 = r.events.size();
    }
    return true;
  });
  ASSERT_TRUE(done);
  EXPECT_EQ(ids.size(), 36u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 36u);
  EXPECT_EQ(pages, 9);  // nine full pages; the empty read after them is not handed on
  EXPECT_EQ(events_of_r7, 4u);  // open, return visit, rectify, confirm
}

TEST_P(ReportsTest, TheCentreMakesLastMonthsReportOnceOnTheFirstWorkingDay) {
  ASSERT_NO_FATAL_FAILURE(testing::LoadFixture(*store_, calendar_));
  // 2026-04-01 is a Wednesday, April's first working day: March's report is made then, once.
  auto made = MakeMonthlyReportIfDue(*store_, D("2026-04-01"), calendar_, CaseLimits{}, Options(), 1);
  ASSERT_TRUE(made);
  EXPECT_TRUE(*made);
  ASSERT_NO_FATAL_FAILURE(Reopen());  // a restart makes no second one
  made = MakeMonthlyReportIfDue(*store_, D("2026-04-02"), calendar_, CaseLimits{}, Options(), 2);
  ASSERT_TRUE(made);
  EXPECT_FALSE(*made);
  auto stored = store_->FindReport("monthly", "2026-03");
  ASSERT_TRUE(stored);
  ASSERT_TRUE(*stored);
  EXPECT_EQ((*stored)->as_of, "2026-04-01");
  auto json = ParseJson((*stored)->json);
  ASSERT_TRUE(json);
  EXPECT_EQ((*json)["total"]["ratings"], 19);
  EXPECT_EQ((*stored)->csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE((*stored)->html.find("<svg"), std::string::npos);
  // May 2026: 1–5 May are holidays, so April's report waits for Wednesday 6 May.
  made = MakeMonthlyReportIfDue(*store_, D("2026-05-05"), calendar_, CaseLimits{}, Options(), 3);
  ASSERT_TRUE(made);
  EXPECT_FALSE(*made);
  made = MakeMonthlyReportIfDue(*store_, D("2026-05-06"), calendar_, CaseLimits{}, Options(), 4);
  ASSERT_TRUE(made);
  EXPECT_TRUE(*made);
  auto list = store_->ListReports();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].period, "2026-04");  // newest first
  EXPECT_EQ((*list)[1].period, "2026-03");
}

TEST_P(ReportsTest, TheSampleIsTheCoresDrawStoredOncePerMonthAndSeed) {
  ASSERT_NO_FATAL_FAILURE(testing::LoadFixture(*store_, calendar_));
  SampleRequest request{MonthPeriod(2026, 3), 6, 20260401, "test"};
  auto first = DrawSurveySample(*store_, request, calendar_, CaseLimits{}, 1);
  ASSERT_TRUE(first) << first.errors().front().id;
  EXPECT_TRUE(first->created);
  // The same draw as the shared core over the fixture: frame, allocation and order.
  SampleOptions options;
  options.size = 6;
  options.seed = 20260401;
  const auto records = ReportFixture();
  auto core = DrawSample(records, MonthPeriod(2026, 3), options);
  ASSERT_TRUE(core);
  EXPECT_EQ(first->sample.population, core->population);
  EXPECT_EQ(core->population, 17);  // 20 March ratings − 2 defaults − r15 (appeal upheld)
  ASSERT_EQ(first->tasks.size(), core->picked.size());
  for (size_t i = 0; i < core->picked.size(); ++i) {
    EXPECT_EQ(first->tasks[i].rating_id, core->picked[i].rating_id) << i;
    EXPECT_EQ(first->tasks[i].unit, core->picked[i].unit) << i;
    EXPECT_EQ(first->tasks[i].position, static_cast<int>(i) + 1);
    EXPECT_EQ(first->tasks[i].case_id, "BJ" + first->tasks[i].rating_id);
  }
  // Stratified: each unit gets its proportional share (largest remainder).
  std::map<std::string, int> per_unit;
  for (const auto& t : first->tasks) ++per_unit[t.unit];
  std::map<std::string, int> allocated;
  for (const auto& s : core->strata) allocated[s.unit] = static_cast<int>(s.allocated);
  EXPECT_EQ(per_unit, allocated);
  // Again after a restart: the stored sample, not a new draw; another size is refused.
  ASSERT_NO_FATAL_FAILURE(Reopen());
  auto again = DrawSurveySample(*store_, request, calendar_, CaseLimits{}, 2);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->created);
  ASSERT_EQ(again->tasks.size(), first->tasks.size());
  for (size_t i = 0; i < first->tasks.size(); ++i) EXPECT_EQ(again->tasks[i].rating_id, first->tasks[i].rating_id);
  request.size = 5;
  auto conflict = DrawSurveySample(*store_, request, calendar_, CaseLimits{}, 3);
  ASSERT_FALSE(conflict);
  EXPECT_EQ(conflict.errors().front().id, "sampling.conflict");
  // A unit's view holds only its own tasks.
  auto u2 = LoadSurveySample(*store_, "2026-03", "20260401", "U2");
  ASSERT_TRUE(u2);
  ASSERT_TRUE(*u2);
  for (const auto& t : (*u2)->tasks) EXPECT_EQ(t.unit, "U2");
  EXPECT_EQ(static_cast<int>((*u2)->tasks.size()), per_unit["U2"]);
}

// ---- the national export ----

std::vector<std::string> ProjectNos(const std::vector<Json>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r["projectNo"].get<std::string>());
  return out;
}

TEST_P(ReportsTest, ExportByWatermarkNeverSkipsNorRepeatsAcrossRuns) {
  // Half the fixture first, an export run, the rest, a second run from the printed watermark.
  ASSERT_NO_FATAL_FAILURE(
      testing::LoadFixture(*store_, calendar_, [](const RatingRecord& r) { return r.assessed_on < D("2026-03-01"); }, true));
  auto mapping = ExportMapping::Embedded();
  ASSERT_TRUE(mapping);
  auto upto = store_->StampExportSequence();
  ASSERT_TRUE(upto);
  EXPECT_EQ(*upto, 16);
  auto run1 = ReadFeed(*store_, 0, *upto, 1000, *mapping, calendar_, CaseLimits{});
  ASSERT_TRUE(run1);
  EXPECT_FALSE(run1->stopped) << (run1->errors.empty() ? "" : run1->errors.front().field);
  EXPECT_EQ(run1->rows.size(), 16u);
  EXPECT_EQ(run1->last, 16);
  ASSERT_NO_FATAL_FAILURE(
      testing::LoadFixture(*store_, calendar_, [](const RatingRecord& r) { return r.assessed_on >= D("2026-03-01"); }, true));
  upto = store_->StampExportSequence();
  ASSERT_TRUE(upto);
  EXPECT_EQ(*upto, 36);
  // The second run in small pages, as the command reads it.
  std::vector<Json> rows;
  int64_t next = run1->last;
  for (;;) {
    auto chunk = ReadFeed(*store_, next, *upto, 7, *mapping, calendar_, CaseLimits{});
    ASSERT_TRUE(chunk);
    ASSERT_FALSE(chunk->stopped);
    if (chunk->rows.empty()) break;
    rows.insert(rows.end(), chunk->rows.begin(), chunk->rows.end());
    next = chunk->last;
  }
  EXPECT_EQ(next, 36);
  std::vector<std::string> all = ProjectNos(run1->rows);
  for (const auto& p : ProjectNos(rows)) all.push_back(p);
  std::set<std::string> expected;
  for (const auto& r : ReportFixture()) expected.insert(r.project_no);
  EXPECT_EQ(all.size(), expected.size());
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()), expected);
  // A third run finds nothing new.
  auto run3 = ReadFeed(*store_, next, *store_->StampExportSequence(), 1000, *mapping, calendar_, CaseLimits{});
  ASSERT_TRUE(run3);
  EXPECT_TRUE(run3->rows.empty());
  // The fields: r7 as the mapping says (deployed direction: 1 = 非常不满意), rectified late.
  for (const auto& row : rows)
    if (row["projectNo"] == "BJr7") {
      EXPECT_EQ(row["satisfaction"], 1);
      EXPECT_EQ(row["deptCode"], "11330100002482345X");
      EXPECT_EQ(row["verifyResult"], 2);
      EXPECT_EQ(row["rectifyOnTime"], 0);
    }
}

TEST_P(ReportsTest, ExportWhileRatingsArriveMissesNone) {
  // Ratings ingested by another thread while the export runs again and again from its watermark:
  // at the end every rating was exported exactly once.
  auto mapping = ExportMapping::Embedded();
  ASSERT_TRUE(mapping);
  const auto fixture = ReportFixture();
  std::vector<RatingRecord> good;
  for (auto r : fixture)
    if (!r.is_default) {
      r.unit = r.dept_code;
      good.push_back(r);
    }
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int round = 0; round < 20; ++round) {
      std::vector<RelayedRating> batch;
      for (const auto& r : good) {
        RatingRecord copy = r;
        copy.project_no = r.project_no + "-" + std::to_string(round);
        batch.push_back(testing::RelayedOf(copy, "-" + std::to_string(round)));
      }
      auto ok = store_->Ingest("edge-b", batch);
      EXPECT_TRUE(ok);
    }
    done = true;
  });
  std::vector<std::string> seen;
  int64_t watermark = 0;
  for (;;) {
    const bool last_round = done.load();
    auto upto = store_->StampExportSequence();
    ASSERT_TRUE(upto);
    auto chunk = ReadFeed(*store_, watermark, *upto, 50, *mapping, calendar_, CaseLimits{});
    ASSERT_TRUE(chunk);
    ASSERT_FALSE(chunk->stopped);
    for (const auto& p : ProjectNos(chunk->rows)) seen.push_back(p);
    watermark = chunk->last;
    if (last_round && chunk->rows.empty()) break;
  }
  writer.join();
  EXPECT_EQ(seen.size(), good.size() * 20);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size());
}

// A receiver on a loopback port: fails the first `fail_first` requests with 503, answers one
// accepted batch's 2xx into the void once (`lose_answer_of`: the batch is kept but the pusher
// never hears so), keeps every batch once by its Idempotency-Key.
class Receiver {
 public:
  Receiver() {
    server_.Post("/national", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      ++requests_;
      if (requests_ <= fail_first) {
        res.status = 503;
        return;
      }
      const std::string key = req.get_header_value("Idempotency-Key");
      auto body = ParseJson(req.body);
      if (key.empty() || !body) {
        res.status = 400;
        return;
      }
      if (!applied_.count(key)) {
        applied_[key] = req.body;
        for (const auto& r : (*body)["records"]) rows_.push_back(r["projectNo"].get<std::string>());
        if (applied_.size() == static_cast<size_t>(lose_answer_of)) {
          res.status = 502;  // as a proxy would say when the receiver's answer was lost
          return;
        }
      } else {
        ++duplicates_;
        EXPECT_EQ(applied_[key], req.body) << "a batch sent again must be byte for byte the same";
      }
      res.status = 200;
      res.set_content(R"({"ok":true})", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/national"; }

  int fail_first = 0;
  int lose_answer_of = 0;  // the n-th new batch (1-based); 0: none
  std::mutex mu_;
  int requests_ = 0;
  int duplicates_ = 0;
  std::map<std::string, std::string> applied_;
  std::vector<std::string> rows_;

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

TEST_P(ReportsTest, PushDeliversEveryRatingOnceThroughFailuresAndARestart) {
  ASSERT_NO_FATAL_FAILURE(testing::LoadFixture(*store_, calendar_, [](const RatingRecord&) { return true; }, true));
  auto mapping = ExportMapping::Embedded();
  ASSERT_TRUE(mapping);
  Receiver receiver;
  receiver.fail_first = 3;
  receiver.lose_answer_of = 2;
  PushConfig config;
  config.url = receiver.url();
  config.batch_rows = 10;
  config.max_attempts = 2;  // the first run gives up on the first batch: an interruption
  config.backoff_ms = 5;
  config.backoff_max_ms = 20;
  int sleeps = 0;
  auto sleep = [&](int ms) {
    ++sleeps;
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  };
  auto run1 = PushNational(*store_, config, *mapping, calendar_, CaseLimits{}, sleep);
  ASSERT_TRUE(run1);
  EXPECT_EQ(run1->stop, PushStop::Exhausted);
  EXPECT_EQ(run1->batches, 0);
  EXPECT_EQ(run1->failed_attempts, 2);
  auto cursor = store_->LoadExportCursor("national");
  ASSERT_TRUE(cursor);
  EXPECT_EQ(cursor->acked, 0);
  EXPECT_EQ(cursor->pending_first, 1);  // the batch in flight is written down
  EXPECT_EQ(cursor->pending_last, 10);
  const std::string pending_key = cursor->pending_key;
  // The centre's process ends; a new one resumes from the store with the same batch and key.
  ASSERT_NO_FATAL_FAILURE(Reopen());
  config.max_attempts = 5;
  auto run2 = PushNational(*store_, config, *mapping, calendar_, CaseLimits{}, sleep);
  ASSERT_TRUE(run2);
  EXPECT_EQ(run2->stop, PushStop::Done) << (run2->errors.empty() ? "" : run2->errors.front().message_en);
  EXPECT_EQ(run2->acked, 36);
  EXPECT_EQ(run2->rows, 36);
  EXPECT_EQ(run2->batches, 4);
  {
    std::lock_guard lock(receiver.mu_);
    EXPECT_TRUE(receiver.applied_.count(pending_key));
    EXPECT_EQ(receiver.applied_.size(), 4u);     // batches 1-10, 11-20, 21-30, 31-36
    EXPECT_EQ(receiver.duplicates_, 1);          // only the batch whose answer was lost came twice
    EXPECT_EQ(receiver.rows_.size(), 36u);       // every rating delivered, none twice
    EXPECT_EQ(std::set<std::string>(receiver.rows_.begin(), receiver.rows_.end()).size(), 36u);
  }
  // Nothing left: a third run sends nothing.
  auto run3 = PushNational(*store_, config, *mapping, calendar_, CaseLimits{}, sleep);
  ASSERT_TRUE(run3);
  EXPECT_EQ(run3->batches, 0);
  std::lock_guard lock(receiver.mu_);
  EXPECT_EQ(receiver.applied_.size(), 4u);
}

INSTANTIATE_TEST_SUITE_P(Stores, ReportsTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace hcp::central
