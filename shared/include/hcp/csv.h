#pragma once
// CSV that opens correctly in Excel (the office's tool for 通报): UTF-8 with a byte-order mark
// (without it Excel on Chinese Windows reads GBK and shows mojibake), RFC 4180 quoting and CRLF
// line ends, and a guard against formula injection: a text cell starting with = + - @ (or a tab
// or carriage return) gets a leading apostrophe, so a citizen's comment "=HYPERLINK(...)" stays
// text. Numbers we compute ourselves are written through CsvNumber, unguarded, so -2.5 stays a number.
#include <string>
#include <string_view>
#include <vector>

namespace hcp {

inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// One text cell: guarded, then quoted when it holds , " CR or LF (quotes doubled).
std::string CsvText(std::string_view text);
// A cell we produced from a number: digits, optional leading '-', optional '.'. Anything else is
// treated as text (guarded), so a mistake cannot open an injection.
std::string CsvNumber(std::string_view number);
// Already-encoded cells joined by commas, ended by CRLF.
std::string CsvRow(const std::vector<std::string>& cells);
// Convenience: every cell as text.
std::string CsvTextRow(const std::vector<std::string>& texts);

}  // namespace hcp
