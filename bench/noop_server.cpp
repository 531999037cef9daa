// bench_noop_server: the ceiling for any HTTP server on this machine. cpp-httplib set up like the
// edge (TCP_NODELAY, a big pool, backlog 1024, long keep-alive) answering POST /api/v1/ratings
// with a fixed 201 after reading the body, and nothing else: no ticket check, no JSON, no disk.
//
//   bench_noop_server [--listen HOST:PORT] [--threads N]      (port 0 picks a free one)
//
// Prints {"msg":"listening","port":N} on stderr, like `hcp edge`; SIGTERM or Ctrl-C stops it.
#include <httplib.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>

#include <sys/socket.h>

namespace {

httplib::Server* g_server = nullptr;

void OnSignal(int) {
  if (g_server) g_server->stop();
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:0";
  size_t threads = 256;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--listen") listen = argv[i + 1];
    else if (flag == "--threads") threads = static_cast<size_t>(std::atoi(argv[i + 1]));
    else return std::cerr << "usage: bench_noop_server [--listen HOST:PORT] [--threads N]\n", 2;
  }
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || threads < 1) return std::cerr << "bench_noop_server: bad arguments\n", 2;
  const std::string host = listen.substr(0, colon);
  const int wanted_port = std::atoi(listen.c_str() + colon + 1);

  httplib::Server server;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(1000000);
  server.set_keep_alive_timeout(5);
  int listen_fd = -1;
  // As in EdgeServer::Bind: called for the listening socket only; keep SO_REUSEADDR, remember
  // the socket to raise httplib's hard-coded backlog of 5.
  server.set_socket_options([&listen_fd](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_fd = sock;
  });
  server.Post("/api/v1/ratings", [](const httplib::Request&, httplib::Response& res) {
    res.status = 201;
    res.set_content(R"({"id":"r-noop","status":"accepted"})", "application/json");
  });
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });

  const int port = wanted_port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, wanted_port) ? wanted_port : -1);
  if (port <= 0) return std::cerr << "bench_noop_server: cannot listen on " << listen << "\n", 1;
  if (listen_fd >= 0) ::listen(listen_fd, 1024);

  g_server = &server;
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);
  std::cerr << R"({"level":"info","msg":"listening","host":")" << host << R"(","port":)" << port << "}" << std::endl;
  server.listen_after_bind();
  return 0;
}
