#include "hcp/pii_mask.h"

#include <vector>

namespace hcp {
namespace {

using Text = std::vector<char32_t>;

Text Decode(std::string_view s) {
  Text out;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const unsigned c = *p;
    int extra = 0;
    char32_t cp = 0, min = 0;
    if (c < 0x80) { out.push_back(c); ++p; continue; }
    if (c >= 0xC2 && c <= 0xDF) { extra = 1; cp = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { extra = 2; cp = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { extra = 3; cp = c & 0x07; min = 0x10000; }
    else { out.push_back(0xFFFD); ++p; continue; }
    bool ok = end - p > extra;
    for (int i = 1; ok && i <= extra; ++i) {
      if ((p[i] & 0xC0) != 0x80) ok = false;
      else cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (!ok || cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      out.push_back(0xFFFD);
      ++p;
      continue;
    }
    out.push_back(cp);
    p += extra + 1;
  }
  return out;
}

void Encode(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string Encode(const Text& t, size_t from = 0, size_t to = std::string::npos) {
  std::string out;
  for (size_t i = from; i < t.size() && i < to; ++i) Encode(t[i], out);
  return out;
}

// Full-width digits (U+FF10..U+FF19) arrive from Chinese input methods; they are digits too.
int DigitValue(char32_t c) {
  if (c >= '0' && c <= '9') return static_cast<int>(c - '0');
  if (c >= 0xFF10 && c <= 0xFF19) return static_cast<int>(c - 0xFF10);
  return -1;
}
bool IsDigit(char32_t c) { return DigitValue(c) >= 0; }
bool IsAsciiLetter(char32_t c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsAsciiAlnum(char32_t c) { return IsAsciiLetter(c) || (c >= '0' && c <= '9'); }
bool IsCheckX(char32_t c) { return c == 'X' || c == 'x' || c == 0xFF38 || c == 0xFF58; }
bool IsEmailLocal(char32_t c) {
  return IsAsciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool IsEmailDomain(char32_t c) { return IsAsciiAlnum(c) || c == '.' || c == '-'; }

constexpr std::u32string_view kPlateProvinces = U"京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

// Positions already masked (or kept on purpose) are not looked at again by a later rule.
struct Masker {
  Text text;
  std::vector<bool> taken;

  bool Free(size_t from, size_t to) const {
    for (size_t i = from; i < to; ++i)
      if (taken[i]) return false;
    return true;
  }
  void Take(size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) taken[i] = true;
  }
  // Stars over the digits (not separators) of [from, to), except the first `keep_front` and the
  // last `keep_back` digits.
  void StarDigits(size_t from, size_t to, int keep_front, int keep_back) {
    int total = 0;
    for (size_t i = from; i < to; ++i) total += IsDigit(text[i]) || IsCheckX(text[i]);
    int seen = 0;
    for (size_t i = from; i < to; ++i) {
      if (!IsDigit(text[i]) && !IsCheckX(text[i])) continue;
      if (seen >= keep_front && seen < total - keep_back) text[i] = '*';
      ++seen;
    }
    Take(from, to);
  }
};

void MaskEmails(Masker& m) {
  const Text& t = m.text;
  for (size_t at = 0; at < t.size(); ++at) {
    if (t[at] != '@') continue;
    size_t l = at;
    while (l > 0 && IsEmailLocal(t[l - 1])) --l;
    size_t r = at + 1;
    while (r < t.size() && IsEmailDomain(t[r])) ++r;
    while (r > at + 1 && (t[r - 1] == '.' || t[r - 1] == '-')) --r;  // a full stop ending the sentence
    bool dot = false;
    for (size_t i = at + 2; i + 1 < r; ++i) dot = dot || t[i] == '.';
    if (l == at || !dot || !m.Free(l, r)) continue;
    Text masked(t.begin(), t.begin() + static_cast<long>(l) + 1);
    masked.insert(masked.end(), {'*', '*', '*'});
    masked.insert(masked.end(), t.begin() + static_cast<long>(at), t.end());
    std::vector<bool> taken(m.taken.begin(), m.taken.begin() + static_cast<long>(l));
    taken.resize(masked.size() - (t.size() - r), true);
    taken.insert(taken.end(), m.taken.begin() + static_cast<long>(r), m.taken.end());
    m.text = std::move(masked);
    m.taken = std::move(taken);
    at = l + 4;  // continue after "x***"
  }
}

void MaskPlates(Masker& m) {
  Text& t = m.text;
  for (size_t i = 0; i + 6 < t.size() + 1; ++i) {
    if (kPlateProvinces.find(t[i]) == std::u32string_view::npos) continue;
    if (i + 1 >= t.size() || !IsAsciiLetter(t[i + 1])) continue;
    size_t j = i + 2;
    if (j < t.size() && (t[j] == U'·' || t[j] == U'•' || t[j] == ' ' || t[j] == '-')) ++j;
    size_t k = j;
    while (k < t.size() && IsAsciiAlnum(t[k])) ++k;
    const size_t n = k - j;
    if ((n != 5 && n != 6) || !m.Free(i, k)) continue;
    bool has_digit = false;
    for (size_t x = j; x < k; ++x) has_digit = has_digit || IsDigit(t[x]);
    if (!has_digit) continue;  // 浙AB... in prose is not a plate
    for (size_t x = j; x < k; ++x) t[x] = '*';
    m.Take(i, k);
    i = k - 1;
  }
}

struct Token {
  size_t from, to;  // code point range
  std::string digits;  // ASCII digits (full-width folded), an X check digit as 'X'
};

void MaskNumbers(Masker& m) {
  const Text& t = m.text;
  std::vector<Token> tokens;
  for (size_t i = 0; i < t.size();) {
    if (!IsDigit(t[i]) || m.taken[i]) {
      ++i;
      continue;
    }
    size_t j = i;
    std::string d;
    while (j < t.size() && IsDigit(t[j]) && !m.taken[j]) d += static_cast<char>('0' + DigitValue(t[j++]));
    if (d.size() == 17 && j < t.size() && IsCheckX(t[j]) && !m.taken[j]) {
      d += 'X';
      ++j;
    }
    // Part of a longer code with letters (an order number like A12345678901) is not a phone.
    const bool glued = (i > 0 && IsAsciiLetter(t[i - 1])) || (j < t.size() && IsAsciiLetter(t[j]));
    if (!glued) tokens.push_back({i, j, d});
    i = j;
  }
  auto separator_between = [&](const Token& a, const Token& b) {
    return b.from == a.to + 1 && (t[a.to] == ' ' || t[a.to] == '-' || t[a.to] == 0xFF0D);
  };
  auto is_mobile = [](const std::string& d) { return d.size() == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9'; };
  auto area_len = [](const std::string& d) { return d.size() > 1 && (d[1] == '1' || d[1] == '2') ? 3u : 4u; };
  for (size_t k = 0; k < tokens.size(); ++k) {
    const Token& a = tokens[k];
    const std::string& d = a.digits;
    // 138 1234 5678 / 138-1234-5678
    if (k + 2 < tokens.size() && d.size() == 3 && tokens[k + 1].digits.size() == 4 &&
        tokens[k + 2].digits.size() == 4 && separator_between(a, tokens[k + 1]) &&
        separator_between(tokens[k + 1], tokens[k + 2]) && is_mobile(d + "00000000")) {
      m.StarDigits(a.from, tokens[k + 2].to, 3, 4);
      k += 2;
      continue;
    }
    // 0571-87654321, 010 12345678, (0571)87654321, （0571）87654321
    if (k + 1 < tokens.size() && d[0] == '0' && d.size() == area_len(d) && tokens[k + 1].digits.size() >= 7 &&
        tokens[k + 1].digits.size() <= 8) {
      const Token& b = tokens[k + 1];
      const bool paren = a.from > 0 && (t[a.from - 1] == '(' || t[a.from - 1] == 0xFF08) && b.from == a.to + 1 &&
                         (t[a.to] == ')' || t[a.to] == 0xFF09);
      if (paren || separator_between(a, b)) {
        m.StarDigits(a.from, b.to, static_cast<int>(d.size()), 4);
        ++k;
        continue;
      }
    }
    if (is_mobile(d)) {
      m.StarDigits(a.from, a.to, 3, 4);
    } else if (d.size() == 13 && d.compare(0, 2, "86") == 0 && is_mobile(d.substr(2))) {
      m.StarDigits(a.from, a.to, 5, 4);
    } else if (d.size() == 18 || (d.size() == 15 && d[0] != '0')) {
      m.StarDigits(a.from, a.to, 2, 2);
    } else if (d[0] == '0' && d.size() >= 10 && d.size() <= 12) {
      m.StarDigits(a.from, a.to, static_cast<int>(area_len(d)), 4);
    } else if (d.size() >= 15 && d.size() <= 19) {
      m.StarDigits(a.from, a.to, 4, 4);
    }
  }
}

bool IsSpace(char32_t c) { return c == ' ' || c == '\t' || c == 0x3000 || c == 0xA0 || c == '\n' || c == '\r'; }

Text Trim(const Text& t) {
  size_t a = 0, b = t.size();
  while (a < b && IsSpace(t[a])) ++a;
  while (b > a && IsSpace(t[b - 1])) --b;
  return Text(t.begin() + static_cast<long>(a), t.begin() + static_cast<long>(b));
}

bool StartsWith(const Text& t, std::u32string_view prefix) {
  return t.size() >= prefix.size() && std::u32string_view(t.data(), prefix.size()) == prefix;
}
bool EndsWith(const Text& t, std::u32string_view suffix) {
  return t.size() >= suffix.size() && std::u32string_view(t.data() + t.size() - suffix.size(), suffix.size()) == suffix;
}

// 复姓 in common use (《百家姓》 and the most frequent in the 2020 census).
constexpr std::u32string_view kCompoundSurnames[] = {
    U"欧阳", U"司马", U"上官", U"诸葛", U"东方", U"皇甫", U"尉迟", U"公孙", U"慕容", U"长孙", U"宇文",
    U"司徒", U"夏侯", U"轩辕", U"令狐", U"钟离", U"澹台", U"端木", U"独孤", U"南宫", U"西门", U"申屠",
    U"司空", U"万俟", U"呼延", U"百里", U"闻人", U"太史", U"公羊", U"赫连", U"拓跋", U"濮阳", U"淳于",
    U"单于", U"仲孙", U"叔孙", U"左丘", U"东郭", U"南门", U"羊舌", U"微生", U"梁丘", U"谷梁", U"宰父"};

// Longest first, so 股份有限公司 wins over 有限公司.
constexpr std::u32string_view kOrgSuffixes[] = {
    U"股份有限公司", U"有限责任公司", U"个体工商户", U"有限公司", U"分公司", U"合作社", U"事务所", U"研究院",
    U"委员会", U"集团", U"公司", U"中心", U"医院", U"学校", U"协会", U"商行", U"工厂", U"门市", U"店", U"厂"};

}  // namespace

std::string MaskPersonalData(std::string_view text) {
  Masker m{Decode(text), {}};
  m.taken.assign(m.text.size(), false);
  MaskEmails(m);
  MaskPlates(m);
  MaskNumbers(m);
  return Encode(m.text);
}

std::string MaskName(std::string_view name, EvaluatorKind kind) {
  const Text t = Trim(Decode(name));
  if (t.empty() || t == Decode("匿名")) return "匿名";  // the placeholder itself passes through
  if (kind == EvaluatorKind::Org) {
    const size_t keep = t.size() > 2 ? 2 : 1;
    for (auto suffix : kOrgSuffixes) {
      if (EndsWith(t, suffix) && t.size() >= suffix.size() + keep + 1)
        return Encode(t, 0, keep) + "***" + Encode(Text(suffix.begin(), suffix.end()));
    }
    return Encode(t, 0, keep) + "***";
  }
  if (IsAsciiLetter(t[0])) return Encode(t, 0, 1) + "***";  // Latin script: length says too much
  size_t keep = 1;
  if (t.size() >= 3)
    for (auto s : kCompoundSurnames)
      if (StartsWith(t, s)) keep = 2;
  if (t.size() == 1) return "*";
  return Encode(t, 0, keep) + std::string(t.size() - keep, '*');
}

}  // namespace hcp
