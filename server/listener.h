#pragma once
// Binding a cpp-httplib server with a real listen backlog. httplib 0.11.4 listens with a
// backlog of 5 (hard-coded in Debian's libcpp-httplib.so): a burst of more connects than that
// overflows the accept queue and clients fail after a 1 s SYN retry. Listening again on the same
// socket raises the backlog (the kernel caps it at net.core.somaxconn).
#include <httplib.h>

#include <atomic>
#include <string>

namespace hcp::server {

class Listener {
 public:
  // Installs the socket-options hook that remembers the listening socket (keeping SO_REUSEADDR).
  explicit Listener(httplib::Server& http);
  // Binds host:port (port 0: any free port) and raises the backlog; the bound port, or 0.
  int Bind(const std::string& host, int port);
  // Serves until Stop(). Returns at once if Stop() came first.
  void Run();
  // Ends Run() from any thread, also one that has not begun listening yet: httplib's stop() does
  // nothing before its accept loop runs, so a SIGTERM right after start would be lost and the
  // process would serve on (until SIGKILL).
  void Stop();

 private:
  httplib::Server& http_;
  int fd_ = -1;
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> in_run_{false};
};

}  // namespace hcp::server
