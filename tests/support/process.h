#pragma once
// Real `hcp` processes for tests: spawn with stderr in a file, read the port a server logged,
// kill -9, stop, freeze. Failure tests need the real binary: only a separate process can be
// killed mid-write the way a power cut or the OOM killer does it.
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace hcp::testing {

inline std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A loopback port nothing listens on yet. A server restarted after kill -9 must come back on the
// same port (the edges know the centre by its URL), so the test picks it rather than the server.
inline int FreePort() {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(s);
  return ntohs(a.sin_port);
}

// A child process, stdout discarded, stderr appended to `log`. Killed (SIGKILL) if still running
// when it goes out of scope, so a failed assertion never leaves a server behind.
class Process {
 public:
  Process() = default;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  Process(Process&& o) noexcept : pid_(o.pid_), log_(std::move(o.log_)), log_start_(o.log_start_) { o.pid_ = -1; }
  Process& operator=(Process&& o) noexcept {
    if (this != &o) {
      Kill();
      pid_ = o.pid_;
      log_ = std::move(o.log_);
      log_start_ = o.log_start_;
      o.pid_ = -1;
    }
    return *this;
  }
  ~Process() { Kill(); }

  // stdout goes to `out` when given (a command whose answer the test reads), else nowhere.
  static Process Start(const std::vector<std::string>& args, const std::filesystem::path& log,
                       const std::filesystem::path& out = {}) {
    Process p;
    p.log_ = log;
    // A restarted server appends to the same log: only what this run writes counts.
    std::error_code ec;
    const auto size = std::filesystem::file_size(log, ec);
    p.log_start_ = ec ? 0 : static_cast<size_t>(size);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (out.empty()) posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    else posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    if (posix_spawn(&p.pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) p.pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    return p;
  }

  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }
  const std::filesystem::path& log() const { return log_; }

  // Waits for the "listening" line a server logs and returns its port; 0 after `timeout`.
  int WaitListening(std::chrono::milliseconds timeout = std::chrono::seconds(10)) const {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
      const std::string text = Slurp(log_);
      std::istringstream lines(text.size() > log_start_ ? text.substr(log_start_) : std::string());
      for (std::string line; std::getline(lines, line);) {
        auto j = nlohmann::json::parse(line, nullptr, false);
        if (!j.is_discarded() && j.is_object() && j.value("msg", "") == "listening" && j.contains("port"))
          return j["port"].get<int>();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return 0;
  }

  void Signal(int sig) const {
    if (pid_ > 0) ::kill(pid_, sig);
  }
  // Exit status, or -signal when killed.
  int Wait() {
    if (pid_ <= 0) return -1;
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  }
  // kill -9 and reap: what a power cut or the OOM killer does to the process.
  int Kill() {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGCONT);  // a frozen process must be able to die
    ::kill(pid_, SIGKILL);
    return Wait();
  }
  // SIGTERM: the operator's clean stop.
  int Stop() {
    Signal(SIGTERM);
    return Wait();
  }
  // SIGTERM, then the exit status if the process ends within `limit`; otherwise kill -9 and
  // kHung, so a shutdown that hangs fails the test instead of hanging it.
  static constexpr int kHung = 1000;
  int StopWithin(std::chrono::milliseconds limit) {
    if (pid_ <= 0) return -1;
    Signal(SIGTERM);
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    Kill();
    return kHung;
  }

 private:
  pid_t pid_ = -1;
  std::filesystem::path log_;
  size_t log_start_ = 0;  // the log's size when this process started
};

}  // namespace hcp::testing
