#include "public_config.h"

namespace hcp::central {
namespace {

Error Invalid(const std::string& field, const std::string& what) { return MakeError("config.invalid", field, what); }

}  // namespace

Errors ApplyPublicConfig(const Json& j, PublicSettings& settings) {
  Errors errors;
  const auto p = j.find("public");
  if (p == j.end()) return errors;
  if (!p->is_object()) return {Invalid("public", "public must be an object: min_sample, hot_items, hall_names")};
  for (const auto& [key, value] : p->items()) {
    if (key == "min_sample") {
      if (value.is_number_integer() && value.get<long long>() >= 1 && value.get<long long>() <= 1000000)
        settings.min_sample = value.get<long>();
      else errors.push_back(Invalid("public.min_sample", "public.min_sample must be a whole number from 1 to 1000000"));
    } else if (key == "hot_items") {
      if (value.is_number_integer() && value.get<long long>() >= 1 && value.get<long long>() <= 100)
        settings.hot_items = value.get<int>();
      else errors.push_back(Invalid("public.hot_items", "public.hot_items must be a whole number from 1 to 100"));
    } else if (key == "hall_names") {
      if (!value.is_object()) {
        errors.push_back(Invalid("public.hall_names", "public.hall_names must map a hall's code (the HALL of window claims HALL/WINDOW) to its name"));
        continue;
      }
      for (const auto& [kid, name] : value.items()) {
        if (name.is_string() && !name.get<std::string>().empty()) settings.hall_names[kid] = name.get<std::string>();
        else errors.push_back(Invalid("public.hall_names." + kid, "a hall's name must be a non-empty string"));
      }
    } else {
      errors.push_back(Invalid("public." + key, "unknown key \"" + key + "\" (see docs/deploy.md)"));
    }
  }
  return errors;
}

}  // namespace hcp::central
