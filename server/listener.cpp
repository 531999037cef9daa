#include "listener.h"

#include <sys/socket.h>

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

}  // namespace hcp::server
