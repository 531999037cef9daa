#include "listener.h"

#include <sys/socket.h>

#include <chrono>
#include <thread>

namespace hcp::server {

Listener::Listener(httplib::Server& http) : http_(http) {
  http_.set_socket_options([this](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    fd_ = sock;
  });
}

int Listener::Bind(const std::string& host, int port) {
  const int bound = port == 0 ? http_.bind_to_any_port(host) : (http_.bind_to_port(host, port) ? port : 0);
  if (bound > 0 && fd_ >= 0) ::listen(fd_, 1024);
  return bound > 0 ? bound : 0;
}

void Listener::Run() {
  in_run_ = true;
  if (!stop_requested_) http_.listen_after_bind();
  in_run_ = false;
}

void Listener::Stop() {
  stop_requested_ = true;
  // Both flags are sequentially consistent: if Run() did not see the request, this sees in_run_
  // and waits until httplib's loop runs (where stop() works) or has returned.
  while (in_run_ && !http_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  http_.stop();
}

}  // namespace hcp::server
