#pragma once
// A real edge on a loopback port with its own SQLite file, fresh keys and a ticket factory.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "edge_server.h"
#include "hcp/wire.h"
#include "ticket/keys.h"
#include "ticket/ticket.h"

namespace hcp::edge::testing {

inline int64_t NowUnix() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

inline std::filesystem::path TempDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("hcp-" + name + "-" + std::to_string(::getpid()) + "-" + std::to_string(NowUnix()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Claims for a finished case; `exp` an hour ahead unless changed.
inline Json Claims(const std::string& case_id, const std::string& channel = "pc", int assess = 1) {
  return Json{{"case", case_id},
              {"item", "330100-0001"},
              {"item_name", "个体工商户设立登记"},
              {"unit", "11330100MB0000000X"},
              {"unit_name", "杭州市市场监督管理局"},
              {"area", "330100"},
              {"channel", channel},
              {"finished_at", FormatRfc3339(NowUnix() - 3600, 480)},
              {"exp", FormatRfc3339(NowUnix() + 3600, 480)},
              {"assess", assess},
              {"evaluator", {{"sub", "sub-" + case_id}, {"kind", "person"}, {"name", "张*"}}}};
}

// The first error id of an answer in the one error shape.
inline std::string FirstErrorId(const httplib::Result& res) {
  if (!res) return "no response";
  auto j = Json::parse(res->body, nullptr, false);
  if (j.is_discarded() || !j.contains("errors") || j["errors"].empty()) return "no error in: " + res->body;
  return j["errors"][0]["id"].get<std::string>();
}

class EdgeFixture : public ::testing::Test {
 protected:
  void StartEdge(EdgeConfig config = {}, std::optional<RelayConfig> relay = std::nullopt) {
    dir_ = TempDir("edge");
    issuer_ = GenerateSigningKey();
    TicketVerifier verifier;
    verifier.Trust(issuer_.pub);
    config.listen_host = "127.0.0.1";
    config.listen_port = 0;
    config.data_dir = dir_.string();
    config.issuer_keys = {"(in memory)"};
    if (config.allow_origins.empty()) config.allow_origins = {"https://www.example.gov.cn"};
    config.access_log = false;
    std::string error;
    server_ = EdgeServer::Create(config, ReasonCatalogue::Embedded().value(),
                                 [verifier](std::string_view t, int64_t now) { return verifier.Verify(t, now); }, error,
                                 relay);
    ASSERT_TRUE(server_) << error;
    ASSERT_TRUE(server_->Bind());
    thread_ = std::thread([this] { server_->Run(); });
  }

  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  httplib::Client Client() {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(10);
    return c;
  }

  std::string Ticket(const Json& claims) {
    auto t = IssueTicket(claims, issuer_, std::nullopt);
    EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.errors()[0].message_en);
    return t.ok() ? *t : "";
  }

  httplib::Result Post(const Json& body, const std::string& key = "") {
    httplib::Headers headers;
    if (!key.empty()) headers.emplace("Idempotency-Key", key);
    return Client().Post("/api/v1/ratings", headers, Dump(body), "application/json");
  }


  std::filesystem::path dir_;
  SigningKey issuer_;
  std::unique_ptr<EdgeServer> server_;
  std::thread thread_;
};

}  // namespace hcp::edge::testing
