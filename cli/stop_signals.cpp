#include "stop_signals.h"

#include <pthread.h>
#include <signal.h>
#include <time.h>

namespace hcp::cli {
namespace {

sigset_t StopSet() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  return signals;
}

}  // namespace

void BlockStopSignals() {
  const sigset_t signals = StopSet();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

StopSignalWatch::StopSignalWatch(std::function<void(int signal)> stop)
    : thread_([this, stop = std::move(stop)] {
        const sigset_t signals = StopSet();
        // Woken every 100 ms to see whether the watch is being destroyed.
        const timespec tick{0, 100 * 1000 * 1000};
        while (!done_) {
          const int sig = sigtimedwait(&signals, nullptr, &tick);
          if (sig > 0) {
            stop(sig);
            return;
          }
        }
      }) {}

StopSignalWatch::~StopSignalWatch() {
  done_ = true;
  thread_.join();
}

}  // namespace hcp::cli
