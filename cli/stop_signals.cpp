#include "stop_signals.h"

#include <pthread.h>
#include <signal.h>

#include <thread>

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

void OnStopSignal(std::function<void(int signal)> stop) {
  std::thread([stop = std::move(stop)] {
    const sigset_t signals = StopSet();
    int sig = 0;
    sigwait(&signals, &sig);
    stop(sig);
  }).detach();
}

}  // namespace hcp::cli
