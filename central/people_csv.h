#pragma once
// The two CSV files `hcp admin import` reads (issue 6 part B), checked row by row without I/O:
//   units.csv   header `code,name`       (columns in any order; more columns are refused)
//   users.csv   header `name,role,unit`  (unit required for a handler, optional otherwise)
// UTF-8 (a byte-order mark is allowed, Excel writes one), RFC 4180 quoting, LF or CRLF. Every
// bad row is reported with its line number; the caller imports nothing when there is any.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "central_store.h"

namespace hcp::central {

struct PeopleFiles {
  std::vector<UnitRecord> units;
  std::vector<UserRecord> users;     // password_hash empty: the caller sets it
  std::vector<std::string> problems; // "users.csv line 4: role \"boss\" is not handler, reviewer, admin or auditor"
};

// `unit_known(code)` / `user_known(name)` ask the store whether a unit / user exists already.
PeopleFiles ReadPeopleCsv(std::string_view units_name, std::string_view units_text, std::string_view users_name,
                          std::string_view users_text, const std::function<bool(const std::string&)>& unit_known,
                          const std::function<bool(const std::string&)>& user_known);

// A unit code or user name as accepted by `hcp admin` and the import: 1 to 64 bytes of valid
// UTF-8, no control characters, no leading or trailing space. Empty when fine, else why not.
std::string CheckIdentifier(std::string_view what, std::string_view value);

}  // namespace hcp::central
