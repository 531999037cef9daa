#include "admin_token.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <filesystem>

#include "cli_io.h"

namespace hcp::cli {

std::string AdminToken(const std::string& data_dir) {
  const auto path = std::filesystem::path(data_dir) / "admin.token";
  if (auto existing = ReadFile(path.string())) {
    std::string t = *existing;
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
    if (!t.empty()) return t;
  }
  unsigned char raw[24];
  randombytes_buf(raw, sizeof raw);
  char hex[sizeof raw * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd >= 0) {
    const std::string line = std::string(hex) + "\n";
    [[maybe_unused]] const ssize_t n = ::write(fd, line.data(), line.size());
    ::close(fd);
  }
  return hex;
}

}  // namespace hcp::cli
