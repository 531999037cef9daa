#include "hcp/level.h"

#include <string>

namespace hcp {

int ToCode(Level l, CodeDirection dir) {
  const int deployed = static_cast<int>(l);
  return dir == CodeDirection::Deployed ? deployed : 6 - deployed;
}

Result<Level> FromCode(int code, CodeDirection dir) {
  if (code < 1 || code > 5) return MakeError("level.code_out_of_range", "satisfaction", std::to_string(code));
  return static_cast<Level>(dir == CodeDirection::Deployed ? code : 6 - code);
}

Result<CodeDirection> ParseCodeDirection(std::string_view name) {
  if (name == "deployed") return CodeDirection::Deployed;
  if (name == "gbt39046") return CodeDirection::Gbt39046;
  return MakeError("level.direction_unknown", "direction", name);
}

std::string_view CodeDirectionName(CodeDirection dir) {
  return dir == CodeDirection::Deployed ? "deployed" : "gbt39046";
}

std::string_view LevelName(Level l, Lang lang) {
  const bool zh = lang == Lang::Zh;
  switch (l) {
    case Level::VeryDissatisfied: return zh ? "非常不满意" : "Very dissatisfied";
    case Level::Dissatisfied: return zh ? "不满意" : "Dissatisfied";
    case Level::Basic: return zh ? "基本满意" : "Fairly satisfied";
    case Level::Satisfied: return zh ? "满意" : "Satisfied";
    case Level::VerySatisfied: return zh ? "非常满意" : "Very satisfied";
  }
  return "";
}

std::string_view LevelKey(Level l) {
  switch (l) {
    case Level::VeryDissatisfied: return "very_dissatisfied";
    case Level::Dissatisfied: return "dissatisfied";
    case Level::Basic: return "basic";
    case Level::Satisfied: return "satisfied";
    case Level::VerySatisfied: return "very_satisfied";
  }
  return "";
}

}  // namespace hcp
