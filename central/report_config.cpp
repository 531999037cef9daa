#include "report_config.h"

namespace hcp::central {
namespace {

Error Invalid(const std::string& field, const std::string& what) { return MakeError("config.invalid", field, what); }

// A whole number in [min, max] at `key`, else an error naming `field`.
template <class T>
void Whole(const Json& value, const std::string& field, long long min, long long max, T& out, Errors& errors) {
  if (value.is_number_integer() && value.get<long long>() >= min && value.get<long long>() <= max)
    out = static_cast<T>(value.get<long long>());
  else
    errors.push_back(Invalid(field, field + " must be a whole number from " + std::to_string(min) + " to " + std::to_string(max)));
}

}  // namespace

Errors ApplyReportConfig(const Json& j, ReportOptions& options) {
  Errors errors;
  const auto r = j.find("report");
  if (r == j.end()) return errors;
  if (!r->is_object()) return {Invalid("report", "report must be an object: min_sample, repeat")};
  for (const auto& [key, value] : r->items()) {
    if (key == "min_sample") {
      Whole(value, "report.min_sample", 0, 1000000, options.min_sample, errors);
    } else if (key == "repeat") {
      if (!value.is_object()) {
        errors.push_back(Invalid("report.repeat", "report.repeat must be an object: min_in_month, consecutive_months, count_invalid"));
        continue;
      }
      for (const auto& [rk, rv] : value.items()) {
        if (rk == "min_in_month") {
          Whole(rv, "report.repeat.min_in_month", 0, 100000, options.repeat.min_in_month, errors);
        } else if (rk == "consecutive_months") {
          // 1 would be min_in_month itself; the core refuses it (ValidateReportOptions).
          if (rv.is_number_integer() && (rv.get<long long>() == 0 || (rv.get<long long>() >= 2 && rv.get<long long>() <= 12)))
            options.repeat.consecutive_months = rv.get<int>();
          else
            errors.push_back(Invalid("report.repeat.consecutive_months", "report.repeat.consecutive_months must be 0 (off) or 2 to 12"));
        } else if (rk == "count_invalid") {
          if (rv.is_boolean()) options.repeat.count_invalid = rv.get<bool>();
          else errors.push_back(Invalid("report.repeat.count_invalid", "report.repeat.count_invalid must be true or false"));
        } else {
          errors.push_back(Invalid("report.repeat." + rk, "unknown key \"" + rk + "\" (see docs/deploy.md)"));
        }
      }
    } else {
      errors.push_back(Invalid("report." + key, "unknown key \"" + key + "\" (see docs/deploy.md)"));
    }
  }
  return errors;
}

}  // namespace hcp::central
