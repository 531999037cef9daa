#include "hcp/csv.h"

namespace hcp {
namespace {

bool IsNumber(std::string_view s) {
  size_t i = s.size() > 1 && s[0] == '-' ? 1 : 0;
  bool digit = false, dot = false;
  for (; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9') digit = true;
    else if (s[i] == '.' && !dot) dot = true;
    else return false;
  }
  return digit;
}

}  // namespace

std::string CsvText(std::string_view text) {
  std::string cell;
  // OWASP's list: = + - @ start a formula in Excel/LibreOffice; tab and CR can hide one.
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                        text[0] == '\t' || text[0] == '\r'))
    cell += '\'';
  cell += text;
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string CsvNumber(std::string_view number) {
  return IsNumber(number) ? std::string(number) : CsvText(number);
}

std::string CsvRow(const std::vector<std::string>& cells) {
  std::string row;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) row += ',';
    row += cells[i];
  }
  row += "\r\n";
  return row;
}

std::string CsvTextRow(const std::vector<std::string>& texts) {
  std::vector<std::string> cells;
  cells.reserve(texts.size());
  for (const auto& t : texts) cells.push_back(CsvText(t));
  return CsvRow(cells);
}

}  // namespace hcp
