#pragma once
// SIGTERM and SIGINT for the long-running commands (edge, central, demo): taken by one thread
// with sigwait, so no signal handler ever runs inside a request.
#include <functional>

namespace hcp::cli {

// Call first, before any thread starts, so every thread inherits the blocked mask.
void BlockStopSignals();
// Starts a detached thread that waits for SIGTERM or SIGINT and calls `stop` with it, once.
void OnStopSignal(std::function<void(int signal)> stop);

}  // namespace hcp::cli
