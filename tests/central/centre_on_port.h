// A real centre on a loopback port for the back-office tests, and the sessions they sign in with.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <string>
#include <thread>

#include "central_server.h"
#include "hcp/wire.h"

namespace hcp::central::testing {

// The first error id of a JSON error answer, or what was there instead.
inline std::string FirstError(const httplib::Result& res) {
  if (!res) return "no response";
  auto j = Json::parse(res->body, nullptr, false);
  if (j.is_discarded() || !j.contains("errors")) return "no error in: " + res->body;
  return j["errors"][0]["id"].get<std::string>();
}

// "hcp_session=TOKEN; Path=/; …" → TOKEN
inline std::string CookieValue(const std::string& set_cookie) {
  const auto eq = set_cookie.find('='), semi = set_cookie.find(';');
  return set_cookie.substr(eq + 1, semi - eq - 1);
}

// A signed-in back-office user: what a browser sends back.
struct Signed {
  std::string cookie, csrf;
};

class CentreOnPort {
 public:
  ~CentreOnPort() { Stop(); }

  // Port 0 always: ctest runs the test programs side by side, and CentralConfig's default port made
  // two of them collide (Bind() failed in a CI run).
  bool Start(central::CentralConfig config, std::unique_ptr<central::CentralStore> store) {
    config.listen_host = "127.0.0.1";
    config.listen_port = 0;
    centre_ = std::make_unique<central::CentralServer>(config, std::move(store), std::vector<VerifyKey>{});
    if (!centre_->Bind()) return false;
    thread_ = std::thread([this] { centre_->Run(); });
    return true;
  }
  void Stop() {
    if (centre_) centre_->Stop();
    if (thread_.joinable()) thread_.join();
    centre_.reset();
  }
  central::CentralServer& server() { return *centre_; }
  central::CentralStore& store() { return centre_->store(); }

  httplib::Client Client() {
    httplib::Client c("127.0.0.1", centre_->port());
    c.set_read_timeout(20);
    return c;
  }
  httplib::Result Login(const std::string& user, const std::string& password) {
    return Client().Post("/api/v1/login", Dump(Json{{"user", user}, {"password", password}}), "application/json");
  }
  Signed SignIn(const std::string& user, const std::string& password) {
    auto res = Login(user, password);
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no response");
    if (!res || res->status != 200) return {};
    return {"hcp_session=" + CookieValue(res->get_header_value("Set-Cookie")),
            Json::parse(res->body)["csrf_token"].get<std::string>()};
  }
  httplib::Result Get(const Signed& who, const std::string& path) { return Client().Get(path, {{"Cookie", who.cookie}}); }
  httplib::Result Post(const Signed& who, const std::string& path, const std::string& body) {
    return Client().Post(path, {{"Cookie", who.cookie}, {"X-CSRF-Token", who.csrf}}, body, "application/json");
  }

 private:
  std::unique_ptr<central::CentralServer> centre_;
  std::thread thread_;
};

}  // namespace hcp::central::testing
