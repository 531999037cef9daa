#pragma once
// Reporting ratings upward to the national/provincial platform (MoT 第十二条: exchange data by
// national standard). The record carries the field set of deployed interfaces (Zhejiang 办件库
// report.do, Epoint EvaInstance; DOMAIN.md §4). Every code that differs between platforms —
// satisfaction direction, channel (pf) codes, reason-tag codes — comes from a mapping file
// (shared/data/export/national.json, compiled in; a region loads its own), never from code.
// A value the mapping cannot express is an error for that record, not a guess.
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hcp/channel.h"
#include "hcp/level.h"
#include "hcp/rating_record.h"
#include "hcp/result.h"
#include "hcp/wire.h"

namespace hcp {

class ExportMapping {
 public:
  // `export.mapping_invalid` says what is wrong (first problem only: it is an operator's file).
  static Result<ExportMapping> Parse(std::string_view json_text);
  static Result<ExportMapping> Embedded();  // shared/data/export/national.json

  // A command-line switch can override the file's satisfaction direction.
  void SetDirection(CodeDirection dir);

  const std::string& version() const { return version_; }
  Result<int> SatisfactionCode(Level l) const;
  Result<int> ChannelCode(Channel c) const { return channels_.Code(c); }
  Result<std::string> TagCode(std::string_view our_code) const;  // `export.tag_unmapped`
  int UserProp(EvaluatorKind k) const { return k == EvaluatorKind::Person ? person_ : org_; }
  int ProStatus() const { return pro_status_; }
  bool MaskComment() const { return mask_comment_; }

 private:
  std::string version_;
  std::map<Level, int> levels_;
  ChannelCodeTable channels_;
  std::map<std::string, std::string, std::less<>> tags_;
  int person_ = 1;
  int org_ = 2;
  int pro_status_ = 3;
  bool mask_comment_ = false;
};

// The fields of one exported record, in CSV column order.
const std::vector<std::string>& NationalFields();

// One rating as the receiving platform wants it. Errors (all of them) have fields named after the
// national field: "pf", "evalDetail", "deptCode", ...
Result<Json> ExportRating(const RatingRecord& r, const ExportMapping& mapping);

struct ExportBatch {
  std::vector<Json> rows;  // the records that exported, in input order
  Errors errors;           // the others', field prefixed with the input index: "[3].pf"
};
ExportBatch ExportRatings(std::span<const RatingRecord> records, const ExportMapping& mapping);

// Line encoders. JSONL: one compact object per line, keys sorted, "\n". CSV: see csv.h; the
// header is NationalFields(); null is an empty cell.
std::string NationalJsonLine(const Json& row);
std::string NationalCsvHeader();  // with the UTF-8 BOM: the first line of a file
std::string NationalCsvLine(const Json& row);

}  // namespace hcp
