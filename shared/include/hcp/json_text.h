#pragma once
// JSON text without a DOM, for the hot paths of the relay: finding where a string ends
// (ParseJson's depth check, the centre's ingest spans) and writing a string (the relay's batch,
// the centre's answer). docs/performance.md, relay drain, has what each saved.
#include <cstddef>
#include <string>
#include <string_view>

namespace hcp {

// From the opening quote of a string at `open` to just after its closing quote (the text's size
// when there is none). Finds quotes with memchr and counts the backslashes before each, instead
// of looking at every byte: strings are most of a relayed batch's bytes.
size_t JsonStringEnd(std::string_view text, size_t open);

// Appends `value` as a JSON string, the same bytes as Dump(Json(value)). One that needs no escape
// (ids, key ids, case numbers, names in valid UTF-8: nearly always) is quoted as it is; anything
// else goes through the JSON library.
void AppendJsonString(std::string& out, std::string_view value);

}  // namespace hcp
