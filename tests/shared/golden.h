#pragma once
// Golden files from tests/shared/golden, compiled in (see embed_golden.cmake): the WASM tests run
// under Node without a file system, and both builds compare against the same bytes.
#include <optional>
#include <string_view>

namespace hcp::testing {

std::optional<std::string_view> Golden(std::string_view name);

}  // namespace hcp::testing
