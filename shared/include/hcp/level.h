#pragma once
// The five satisfaction levels (MoT 第九条). Internally, and on our wire, a level is its
// *deployed* code: 1 = 非常不满意 … 5 = 非常满意 (Zhejiang 办件库, Epoint, deyatech). GB/T 39046-2020
// A.8 numbers them the other way round; every boundary that speaks it converts explicitly.
#include <optional>
#include <string_view>

#include "hcp/error.h"
#include "hcp/result.h"

namespace hcp {

enum class Level : int {
  VeryDissatisfied = 1,  // 非常不满意
  Dissatisfied = 2,      // 不满意
  Basic = 3,             // 基本满意
  Satisfied = 4,         // 满意
  VerySatisfied = 5,     // 非常满意
};

inline constexpr Level kAllLevels[] = {Level::VerySatisfied, Level::Satisfied, Level::Basic,
                                       Level::Dissatisfied, Level::VeryDissatisfied};

// Which numbering a code uses.
enum class CodeDirection {
  Deployed,  // 1 = 非常不满意 … 5 = 非常满意 (our wire format)
  Gbt39046,  // 1 = 非常满意 … 5 = 非常不满意
};

constexpr bool IsGood(Level l) { return static_cast<int>(l) >= 3; }  // 好评: 非常满意、满意、基本满意
constexpr bool IsBad(Level l) { return !IsGood(l); }                 // 差评: 不满意、非常不满意

int ToCode(Level l, CodeDirection dir);
// `level.code_out_of_range` for anything but 1..5.
Result<Level> FromCode(int code, CodeDirection dir);
Result<CodeDirection> ParseCodeDirection(std::string_view name);  // "deployed" | "gbt39046"
std::string_view CodeDirectionName(CodeDirection dir);

std::string_view LevelName(Level l, Lang lang);  // 非常满意 / "Very satisfied"
std::string_view LevelKey(Level l);              // "very_satisfied", stable

}  // namespace hcp
