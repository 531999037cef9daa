#pragma once
// Errors are values with stable ids. Tests, clients and translators key on `id`, never on the
// message text, so an id once published is never renamed; messages may be reworded freely.
#include <string>
#include <string_view>
#include <vector>

namespace hcp {

enum class Lang { Zh, En };

struct Error {
  std::string id;       // stable, e.g. "rating.reason_required"
  std::string field;    // JSON path of the offending input ("reasons[1]"), empty if none
  std::string message;  // zh-CN
  std::string message_en;

  const std::string& Message(Lang lang) const { return lang == Lang::Zh ? message : message_en; }
};

using Errors = std::vector<Error>;

// Builds an error from the message table in error.cpp. `arg` replaces "{}" in both messages.
// An id missing from the table is a programming error; it still yields a usable Error.
Error MakeError(std::string_view id, std::string field = {}, std::string_view arg = {});

// Every id the core can produce, for documentation and for tests that check the table is complete.
std::vector<std::string_view> AllErrorIds();

}  // namespace hcp
