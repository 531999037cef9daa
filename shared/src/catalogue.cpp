#include "hcp/catalogue.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "hcp/embedded_data.h"

namespace hcp {
namespace {

using nlohmann::json;

Error Invalid(std::string_view what) { return MakeError("catalogue.invalid", "", what); }

bool Text(const json& obj, const char* key, std::string& out) {
  if (!obj.contains(key) || !obj[key].is_string() || obj[key].get<std::string>().empty()) return false;
  out = obj[key].get<std::string>();
  return true;
}

bool Flag(const json& obj, const char* key, bool& out) {
  if (!obj.contains(key)) return true;  // default: shown on both kinds of channel
  if (!obj[key].is_boolean()) return false;
  out = obj[key].get<bool>();
  return true;
}

bool IsThreeDigits(const std::string& s) {
  return s.size() == 3 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool Reason::Fits(Level l) const { return std::find(levels.begin(), levels.end(), l) != levels.end(); }

Result<ReasonCatalogue> ReasonCatalogue::Parse(std::string_view json_text) {
  const json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return Invalid("not a JSON object");
  ReasonCatalogue cat;
  if (!Text(doc, "version", cat.version_)) return Invalid("\"version\" must be a non-empty string");
  if (!doc.contains("reasons") || !doc["reasons"].is_array()) return Invalid("\"reasons\" must be a list");
  for (const auto& r : doc["reasons"]) {
    Reason reason;
    if (!r.is_object() || !Text(r, "code", reason.code) || !IsThreeDigits(reason.code))
      return Invalid("every reason needs a 3-digit \"code\"");
    if (!Text(r, "zh", reason.zh) || !Text(r, "en", reason.en))
      return Invalid("reason " + reason.code + " needs \"zh\" and \"en\" text");
    if (!r.contains("levels") || !r["levels"].is_array() || r["levels"].empty())
      return Invalid("reason " + reason.code + " needs \"levels\"");
    for (const auto& l : r["levels"]) {
      if (!l.is_number_integer()) return Invalid("reason " + reason.code + ": levels are numbers 1..5");
      auto level = FromCode(l.get<int>(), CodeDirection::Deployed);
      if (!level) return Invalid("reason " + reason.code + ": levels are numbers 1..5");
      reason.levels.push_back(*level);
    }
    if (!Flag(r, "online", reason.online) || !Flag(r, "offline", reason.offline))
      return Invalid("reason " + reason.code + ": \"online\"/\"offline\" are true or false");
    if (cat.Find(reason.code)) return Invalid("reason code used twice: " + reason.code);
    cat.reasons_.push_back(std::move(reason));
  }
  if (doc.contains("dimensions")) {
    if (!doc["dimensions"].is_array()) return Invalid("\"dimensions\" must be a list");
    for (const auto& d : doc["dimensions"]) {
      Dimension dim;
      if (!d.is_object() || !Text(d, "key", dim.key)) return Invalid("every dimension needs a \"key\"");
      if (!Text(d, "zh", dim.zh) || !Text(d, "en", dim.en))
        return Invalid("dimension " + dim.key + " needs \"zh\" and \"en\" text");
      if (!Flag(d, "online", dim.online) || !Flag(d, "offline", dim.offline))
        return Invalid("dimension " + dim.key + ": \"online\"/\"offline\" are true or false");
      if (cat.FindDimension(dim.key)) return Invalid("dimension key used twice: " + dim.key);
      cat.dimensions_.push_back(std::move(dim));
    }
  }
  return cat;
}

Result<ReasonCatalogue> ReasonCatalogue::Embedded() {
  for (const auto& f : EmbeddedFiles())
    if (f.name == "catalogue/default.json") return Parse(f.text);
  return Invalid("the default catalogue is not compiled in");
}

const Reason* ReasonCatalogue::Find(std::string_view code) const {
  for (const auto& r : reasons_)
    if (r.code == code) return &r;
  return nullptr;
}

const Dimension* ReasonCatalogue::FindDimension(std::string_view key) const {
  for (const auto& d : dimensions_)
    if (d.key == key) return &d;
  return nullptr;
}

std::vector<const Reason*> ReasonCatalogue::For(Level level, bool online_channel) const {
  std::vector<const Reason*> out;
  for (const auto& r : reasons_)
    if (r.Fits(level) && r.Fits(online_channel)) out.push_back(&r);
  return out;
}

std::vector<const Dimension*> ReasonCatalogue::DimensionsFor(bool online_channel) const {
  std::vector<const Dimension*> out;
  for (const auto& d : dimensions_)
    if (d.Fits(online_channel)) out.push_back(&d);
  return out;
}

}  // namespace hcp
