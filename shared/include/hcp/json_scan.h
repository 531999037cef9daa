#pragma once
// Scanning JSON text without parsing it: for the passes that only need to find where strings end
// (ParseJson's depth check, the centre's ingest spans).
#include <cstddef>
#include <string_view>

namespace hcp {

// From the opening quote of a string at `open` to just after its closing quote (the text's size
// when there is none). Finds quotes with memchr and counts the backslashes before each, instead
// of looking at every byte: strings are most of a relayed batch's bytes (docs/performance.md).
size_t JsonStringEnd(std::string_view text, size_t open);

}  // namespace hcp
