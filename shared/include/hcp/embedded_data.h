#pragma once
// Data files from shared/data compiled into the core (calendar years, default catalogue).
#include <span>
#include <string_view>

namespace hcp {

struct EmbeddedFile {
  std::string_view name;  // "calendar/2026.json", "catalogue/default.json"
  std::string_view text;
};

std::span<const EmbeddedFile> EmbeddedFiles();

}  // namespace hcp
