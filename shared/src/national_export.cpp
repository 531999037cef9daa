#include "hcp/national_export.h"

#include "hcp/csv.h"
#include "hcp/embedded_data.h"
#include "hcp/pii_mask.h"

namespace hcp {
namespace {

Error Invalid(std::string_view what) { return MakeError("export.mapping_invalid", "", what); }

bool IsTagCode(std::string_view s) {
  if (s.size() != 3) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

std::string TwoDigits(int v) { return std::string(1, static_cast<char>('0' + v / 10)) + static_cast<char>('0' + v % 10); }

std::string AssessTime(Date d, int second) {
  return d.ToString() + " " + TwoDigits(second / 3600) + ":" + TwoDigits(second / 60 % 60) + ":" + TwoDigits(second % 60);
}

Json DateOrNull(const std::optional<Date>& d) { return d ? Json(d->ToString()) : Json(nullptr); }

}  // namespace

Result<ExportMapping> ExportMapping::Parse(std::string_view json_text) {
  const Json doc = Json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return Invalid("not a JSON object");
  ExportMapping m;
  if (!doc.contains("version") || !doc["version"].is_string()) return Invalid("version: string required");
  m.version_ = doc["version"].get<std::string>();

  const Json& sat = doc.contains("satisfaction") ? doc["satisfaction"] : Json("deployed");
  if (sat.is_string()) {
    auto dir = ParseCodeDirection(sat.get<std::string>());
    if (!dir) return Invalid("satisfaction: \"deployed\", \"gbt39046\" or an object");
    m.SetDirection(*dir);
  } else if (sat.is_object()) {
    for (Level l : kAllLevels) {
      const std::string key(LevelKey(l));
      if (!sat.contains(key) || !sat[key].is_number_integer()) return Invalid("satisfaction." + key + ": integer required");
      const int code = sat[key].get<int>();
      for (const auto& [other, used] : m.levels_)
        if (used == code) return Invalid("satisfaction: code used twice: " + key);
      m.levels_[l] = code;
    }
    if (sat.size() != 5) return Invalid("satisfaction: exactly the five level keys");
  } else {
    return Invalid("satisfaction: \"deployed\", \"gbt39046\" or an object");
  }

  const Json& ch = doc.contains("channels") ? doc["channels"] : Json("zhejiang");
  if (!ch.is_string() && !ch.is_object()) return Invalid("channels: preset name or object");
  auto table = ChannelCodeTable::FromConfig(ch.is_string() ? ch.get<std::string>() : ch.dump());
  if (!table) return Invalid("channels: " + table.errors()[0].message_en);
  m.channels_ = *table;

  if (doc.contains("user_prop")) {
    const Json& up = doc["user_prop"];
    if (!up.is_object() || !up.contains("person") || !up.contains("org") || !up["person"].is_number_integer() ||
        !up["org"].is_number_integer())
      return Invalid("user_prop: {\"person\": int, \"org\": int}");
    m.person_ = up["person"].get<int>();
    m.org_ = up["org"].get<int>();
  }
  if (doc.contains("pro_status")) {
    if (!doc["pro_status"].is_number_integer()) return Invalid("pro_status: integer");
    m.pro_status_ = doc["pro_status"].get<int>();
  }
  if (doc.contains("comment")) {
    const Json& c = doc["comment"];
    if (c == "masked") m.mask_comment_ = true;
    else if (c != "as_written") return Invalid("comment: \"as_written\" or \"masked\"");
  }
  if (!doc.contains("tags") || !doc["tags"].is_object()) return Invalid("tags: object required");
  for (const auto& [ours, theirs] : doc["tags"].items()) {
    if (!IsTagCode(ours) || !theirs.is_string() || !IsTagCode(theirs.get<std::string>()))
      return Invalid("tags: 3-digit code to 3-digit code: " + ours);
    m.tags_[ours] = theirs.get<std::string>();
  }
  return m;
}

Result<ExportMapping> ExportMapping::Embedded() {
  for (const auto& f : EmbeddedFiles())
    if (f.name == "export/national.json") return Parse(f.text);
  return Invalid("the default export mapping is not compiled in");
}

void ExportMapping::SetDirection(CodeDirection dir) {
  levels_.clear();
  for (Level l : kAllLevels) levels_[l] = ToCode(l, dir);
}

Result<int> ExportMapping::SatisfactionCode(Level l) const {
  auto it = levels_.find(l);
  if (it == levels_.end()) return MakeError("level.code_out_of_range", "satisfaction", LevelKey(l));
  return it->second;
}

Result<std::string> ExportMapping::TagCode(std::string_view our_code) const {
  auto it = tags_.find(our_code);
  if (it == tags_.end()) return MakeError("export.tag_unmapped", "evalDetail", our_code.substr(0, 8));
  return it->second;
}

const std::vector<std::string>& NationalFields() {
  static const std::vector<std::string> kFields = {
      "projectNo",   "taskCode",     "taskName",        "deptCode",        "areaCode",      "proStatus",
      "pf",          "userProp",     "satisfaction",    "evalDetail",      "writingEvaluation",
      "assessTime",  "assessNumber", "publicFlag",      "verifyResult",    "rectifyDeadline",
      "rectifyTime", "rectifyOnTime", "closeTime"};
  return kFields;
}

Result<Json> ExportRating(const RatingRecord& r, const ExportMapping& m) {
  Errors errors;
  auto required = [&](std::string_view field, const std::string& value) {
    if (value.empty()) errors.push_back(MakeError("export.field_missing", std::string(field), field));
  };
  required("projectNo", r.project_no);
  required("taskCode", r.item);
  required("deptCode", r.dept_code);
  required("areaCode", r.area);
  // 统一社会信用代码 is 18 characters; a unit key in its place would be rejected upstream.
  if (!r.dept_code.empty() && r.dept_code.size() != 18)
    errors.push_back(MakeError("export.field_invalid", "deptCode", "deptCode: 18 characters"));
  if (r.assessed_second < 0 || r.assessed_second > 86399)
    errors.push_back(MakeError("export.field_invalid", "assessTime", "assessTime: seconds 0..86399"));
  if (r.assess != 1 && r.assess != 2)
    errors.push_back(MakeError("export.field_invalid", "assessNumber", "assessNumber: 1 or 2"));

  const auto pf = m.ChannelCode(r.is_default ? Channel::SystemDefault : r.channel);
  if (!pf) errors.push_back(MakeError("channel.code_unmapped", "pf", ChannelKey(r.is_default ? Channel::SystemDefault : r.channel)));
  const auto sat = m.SatisfactionCode(r.level);
  if (!sat) errors.push_back(sat.errors()[0]);
  std::string detail;
  for (const auto& code : r.reasons) {
    const auto tag = m.TagCode(code);
    if (!tag) {
      errors.push_back(tag.errors()[0]);
      continue;
    }
    if (!detail.empty()) detail += ',';
    detail += *tag;
  }
  if (!errors.empty()) return errors;

  // 0 no case (a good rating), 1 being verified, 2 有效差评, 3 无效差评, 4 appeal upheld (not counted).
  int verify = 0;
  if (r.appeal_upheld) verify = 4;
  else if (IsBad(r.level) && r.outcome == BadOutcome::Pending) verify = 1;
  else if (IsBad(r.level) && r.outcome == BadOutcome::Valid) verify = 2;
  else if (IsBad(r.level) && r.outcome == BadOutcome::Invalid) verify = 3;
  Json on_time = nullptr;
  if (verify == 2 && r.rectified_on) on_time = (!r.deadline || *r.rectified_on <= *r.deadline) ? 1 : 0;

  return Json{{"projectNo", r.project_no},
              {"taskCode", r.item},
              {"taskName", r.item_name},
              {"deptCode", r.dept_code},
              {"areaCode", r.area},
              {"proStatus", m.ProStatus()},
              {"pf", *pf},
              {"userProp", m.UserProp(r.evaluator_kind)},
              {"satisfaction", *sat},
              {"evalDetail", detail},
              {"writingEvaluation", m.MaskComment() ? MaskPersonalData(r.comment) : r.comment},
              {"assessTime", AssessTime(r.assessed_on, r.assessed_second)},
              {"assessNumber", r.assess},
              {"publicFlag", r.is_public ? 1 : 0},
              {"verifyResult", verify},
              {"rectifyDeadline", verify >= 1 && verify <= 3 ? DateOrNull(r.deadline) : Json(nullptr)},
              {"rectifyTime", verify == 2 ? DateOrNull(r.rectified_on) : Json(nullptr)},
              {"rectifyOnTime", on_time},
              {"closeTime", verify >= 1 ? DateOrNull(r.closed_on) : Json(nullptr)}};
}

ExportBatch ExportRatings(std::span<const RatingRecord> records, const ExportMapping& mapping) {
  ExportBatch out;
  for (size_t i = 0; i < records.size(); ++i) {
    auto row = ExportRating(records[i], mapping);
    if (row) {
      out.rows.push_back(std::move(row).value());
      continue;
    }
    for (Error e : row.errors()) {
      e.field = "[" + std::to_string(i) + "]." + e.field;
      out.errors.push_back(std::move(e));
    }
  }
  return out;
}

std::string NationalJsonLine(const Json& row) { return Dump(row) + "\n"; }

std::string NationalCsvHeader() { return std::string(kUtf8Bom) + CsvTextRow(NationalFields()); }

std::string NationalCsvLine(const Json& row) {
  std::vector<std::string> cells;
  for (const auto& f : NationalFields()) {
    if (!row.contains(f) || row[f].is_null()) cells.emplace_back();
    else if (row[f].is_number_integer()) cells.push_back(CsvNumber(std::to_string(row[f].get<long long>())));
    else if (row[f].is_string()) cells.push_back(CsvText(row[f].get<std::string>()));
    else cells.push_back(CsvText(Dump(row[f])));
  }
  return CsvRow(cells);
}

}  // namespace hcp
