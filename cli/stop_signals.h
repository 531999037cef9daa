#pragma once
// SIGTERM and SIGINT for the long-running commands (edge, central, demo): taken by one thread
// with sigtimedwait, so no signal handler ever runs inside a request.
#include <atomic>
#include <functional>
#include <thread>

namespace hcp::cli {

// Call first, before any thread starts, so every thread inherits the blocked mask.
void BlockStopSignals();

// While it lives, the first SIGTERM or SIGINT calls `stop` with it, once, on the watch's thread.
// Its destructor ends that thread, waiting for a `stop` under way: destroy the watch before what
// `stop` touches (a server whose Run() has returned may still be inside its Stop(); destroying it
// then crashed the edge now and then on SIGTERM).
class StopSignalWatch {
 public:
  explicit StopSignalWatch(std::function<void(int signal)> stop);
  ~StopSignalWatch();
  StopSignalWatch(const StopSignalWatch&) = delete;
  StopSignalWatch& operator=(const StopSignalWatch&) = delete;

 private:
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace hcp::cli
