// The listener's stop: a stop that comes before, during or after the start of serving ends it
// (a SIGTERM right after `hcp edge` or `hcp central` starts must not be lost).
#include "listener.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <future>
#include <thread>

namespace hcp::server {
namespace {

using namespace std::chrono_literals;

// Run() on its own thread; true if it returned within the time. If not, the server is stopped
// the way httplib allows once it is serving, so that the test ends either way.
bool RunEnds(httplib::Server& http, Listener& listener, std::future<void>& run) {
  if (run.wait_for(5s) == std::future_status::ready) return true;
  while (run.wait_for(10ms) != std::future_status::ready) http.stop();
  return false;
}

TEST(Listener, AStopBeforeRunMakesRunReturnAtOnce) {
  httplib::Server http;
  Listener listener(http);
  ASSERT_GT(listener.Bind("127.0.0.1", 0), 0);
  listener.Stop();
  auto run = std::async(std::launch::async, [&] { listener.Run(); });
  EXPECT_TRUE(RunEnds(http, listener, run));
}

TEST(Listener, AStopRacingTheStartOfRunEndsItEveryTime) {
  int lost = 0;
  for (int i = 0; i < 200; ++i) {
    httplib::Server http;
    Listener listener(http);
    ASSERT_GT(listener.Bind("127.0.0.1", 0), 0);
    auto run = std::async(std::launch::async, [&] { listener.Run(); });
    if (i % 2) std::this_thread::yield();
    listener.Stop();
    if (!RunEnds(http, listener, run)) ++lost;
  }
  EXPECT_EQ(lost, 0) << "stops lost while the server was starting";
}

TEST(Listener, AStopWhileServingEndsRunAndTheServerAnswersBefore) {
  httplib::Server http;
  http.Get("/ping", [](const httplib::Request&, httplib::Response& res) { res.set_content("pong", "text/plain"); });
  Listener listener(http);
  const int port = listener.Bind("127.0.0.1", 0);
  ASSERT_GT(port, 0);
  auto run = std::async(std::launch::async, [&] { listener.Run(); });
  httplib::Client client("127.0.0.1", port);
  auto res = client.Get("/ping");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "pong");
  listener.Stop();
  EXPECT_TRUE(RunEnds(http, listener, run));
}

}  // namespace
}  // namespace hcp::server
