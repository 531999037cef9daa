#pragma once
// The reason catalogue (评价标签): versioned data, because the official list (GB/T 39734-2020
// Appendix A) differs by region and changes. A default ships with haochaping; a region loads its own.
#include <string>
#include <string_view>
#include <vector>

#include "hcp/level.h"
#include "hcp/result.h"

namespace hcp {

struct Reason {
  std::string code;  // exactly 3 digits
  std::string zh;
  std::string en;
  std::vector<Level> levels;  // the levels that show this tag
  bool online = true;
  bool offline = true;

  bool Fits(Level l) const;
  bool Fits(bool online_channel) const { return online_channel ? online : offline; }
  const std::string& Text(Lang lang) const { return lang == Lang::Zh ? zh : en; }
};

// An indicator dimension scored 1..5 (办事效率, 服务态度, …).
struct Dimension {
  std::string key;
  std::string zh;
  std::string en;
  bool online = true;
  bool offline = true;

  bool Fits(bool online_channel) const { return online_channel ? online : offline; }
  const std::string& Text(Lang lang) const { return lang == Lang::Zh ? zh : en; }
};

class ReasonCatalogue {
 public:
  // `catalogue.invalid` says what is wrong (first problem only: it is an operator's file).
  static Result<ReasonCatalogue> Parse(std::string_view json_text);
  static Result<ReasonCatalogue> Embedded();  // shared/data/catalogue/default.json

  const std::string& version() const { return version_; }
  const std::vector<Reason>& reasons() const { return reasons_; }
  const std::vector<Dimension>& dimensions() const { return dimensions_; }
  const Reason* Find(std::string_view code) const;
  const Dimension* FindDimension(std::string_view key) const;
  // What the widget shows for a level on a channel, in catalogue order.
  std::vector<const Reason*> For(Level level, bool online_channel) const;
  std::vector<const Dimension*> DimensionsFor(bool online_channel) const;

 private:
  std::string version_;
  std::vector<Reason> reasons_;
  std::vector<Dimension> dimensions_;
};

}  // namespace hcp
