#include "people_csv.h"

#include <map>
#include <set>

#include "access.h"
#include "hcp/utf8.h"

namespace hcp::central {
namespace {

struct Record {
  size_t line;  // where the record starts (a quoted cell may span lines)
  std::vector<std::string> cells;
};

// RFC 4180 records; `problem` is set (with its line) for an unterminated quote.
std::vector<Record> Records(std::string_view text, std::string& problem) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<Record> out;
  size_t line = 1, i = 0;
  while (i < text.size()) {
    Record r{line, {}};
    std::string cell;
    bool done = false;
    while (!done) {
      if (i < text.size() && text[i] == '"') {
        const size_t opened = line;
        ++i;
        for (;;) {
          if (i >= text.size()) {
            problem = "line " + std::to_string(opened) + ": a quoted cell is not closed";
            return out;
          }
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              cell += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') ++line;
          cell += text[i++];
        }
      }
      while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') cell += text[i++];
      r.cells.push_back(std::move(cell));
      cell.clear();
      if (i < text.size() && text[i] == ',') {
        ++i;
        continue;
      }
      if (i < text.size() && text[i] == '\r') ++i;
      if (i < text.size() && text[i] == '\n') ++i;
      ++line;
      done = true;
    }
    const bool blank = r.cells.size() == 1 && r.cells[0].empty();
    if (!blank) out.push_back(std::move(r));
  }
  return out;
}

// Header cells → column index; problems for a missing or unknown column.
std::map<std::string, size_t> Columns(const Record& header, const std::vector<std::string>& wanted,
                                      const std::vector<std::string>& optional, const std::string& file,
                                      std::vector<std::string>& problems) {
  std::map<std::string, size_t> at;
  for (size_t c = 0; c < header.cells.size(); ++c) {
    const std::string& name = header.cells[c];
    bool known = false;
    for (const auto& w : wanted) known = known || w == name;
    for (const auto& w : optional) known = known || w == name;
    if (!known) problems.push_back(file + " line 1: unknown column \"" + name + "\"");
    else if (!at.emplace(name, c).second) problems.push_back(file + " line 1: column \"" + name + "\" twice");
  }
  for (const auto& w : wanted)
    if (!at.count(w)) problems.push_back(file + " line 1: the header lacks the column \"" + w + "\"");
  return at;
}

}  // namespace

std::string CheckIdentifier(std::string_view what, std::string_view value) {
  if (value.empty()) return std::string(what) + " is empty";
  if (value.size() > 64) return std::string(what) + " is longer than 64 bytes";
  if (!IsValidUtf8(value)) return std::string(what) + " is not valid UTF-8";
  for (unsigned char c : value)
    if (c < 0x20 || c == 0x7f) return std::string(what) + " holds a control character";
  if (value.front() == ' ' || value.back() == ' ') return std::string(what) + " starts or ends with a space";
  return "";
}

PeopleFiles ReadPeopleCsv(std::string_view units_name, std::string_view units_text, std::string_view users_name,
                          std::string_view users_text, const std::function<bool(const std::string&)>& unit_known,
                          const std::function<bool(const std::string&)>& user_known) {
  PeopleFiles out;
  auto& problems = out.problems;
  const std::string uf(units_name), sf(users_name);
  std::set<std::string> file_units;

  for (const auto& [file, text] : {std::pair{uf, units_text}, std::pair{sf, users_text}}) {
    if (!IsValidUtf8(text)) problems.push_back(file + ": not UTF-8 (save it as UTF-8, e.g. \"CSV UTF-8\" in Excel)");
  }
  if (!problems.empty()) return out;

  std::string problem;
  auto units = Records(units_text, problem);
  if (!problem.empty()) problems.push_back(uf + " " + problem);
  if (!units.empty()) {
    auto col = Columns(units[0], {"code", "name"}, {}, uf, problems);
    if (col.size() == 2) {
      for (size_t k = 1; k < units.size(); ++k) {
        const Record& r = units[k];
        const std::string where = uf + " line " + std::to_string(r.line) + ": ";
        if (r.cells.size() != units[0].cells.size()) {
          problems.push_back(where + std::to_string(r.cells.size()) + " cells, the header has " +
                             std::to_string(units[0].cells.size()));
          continue;
        }
        UnitRecord u{r.cells[col["code"]], r.cells[col["name"]], 0};
        if (auto why = CheckIdentifier("code", u.code); !why.empty()) problems.push_back(where + why);
        else if (!file_units.insert(u.code).second) problems.push_back(where + "unit " + u.code + " appears twice");
        else if (unit_known(u.code)) problems.push_back(where + "unit " + u.code + " exists already");
        if (auto why = CheckIdentifier("name", u.name); !why.empty()) problems.push_back(where + why);
        out.units.push_back(std::move(u));
      }
    }
  }

  problem.clear();
  auto users = Records(users_text, problem);
  if (!problem.empty()) problems.push_back(sf + " " + problem);
  std::set<std::string> file_users;
  if (!users.empty()) {
    auto col = Columns(users[0], {"name", "role"}, {"unit"}, sf, problems);
    if (col.count("name") && col.count("role")) {
      for (size_t k = 1; k < users.size(); ++k) {
        const Record& r = users[k];
        const std::string where = sf + " line " + std::to_string(r.line) + ": ";
        if (r.cells.size() != users[0].cells.size()) {
          problems.push_back(where + std::to_string(r.cells.size()) + " cells, the header has " +
                             std::to_string(users[0].cells.size()));
          continue;
        }
        UserRecord u;
        u.name = r.cells[col["name"]];
        u.role = r.cells[col["role"]];
        if (col.count("unit")) u.unit = r.cells[col["unit"]];
        if (auto why = CheckIdentifier("name", u.name); !why.empty()) problems.push_back(where + why);
        else if (!file_users.insert(u.name).second) problems.push_back(where + "user " + u.name + " appears twice");
        else if (user_known(u.name)) problems.push_back(where + "user " + u.name + " exists already");
        if (!IsKnownRole(u.role))
          problems.push_back(where + "role \"" + u.role + "\" is not handler, reviewer, admin or auditor");
        if (u.role == kRoleHandler && u.unit.empty()) problems.push_back(where + "a handler needs a unit");
        if (!u.unit.empty() && !file_units.count(u.unit) && !unit_known(u.unit))
          problems.push_back(where + "unit " + u.unit + " is neither in " + uf + " nor at the centre");
        out.users.push_back(std::move(u));
      }
    }
  }
  return out;
}

}  // namespace hcp::central
