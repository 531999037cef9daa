#include "ingest_spans.h"

namespace hcp::central {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

size_t SkipSpace(std::string_view s, size_t i) {
  while (i < s.size() && IsSpace(s[i])) ++i;
  return i;
}

// From the opening quote to just after the closing one.
size_t SkipString(std::string_view s, size_t i) {
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\') ++i;
    else if (s[i] == '"') return i + 1;
  }
  return s.size();
}

// From a value's first byte to just after its last.
size_t SkipValue(std::string_view s, size_t i) {
  if (i >= s.size()) return s.size();
  if (s[i] == '"') return SkipString(s, i);
  if (s[i] == '{' || s[i] == '[') {
    int depth = 0;
    while (i < s.size()) {
      const char c = s[i];
      if (c == '"') {
        i = SkipString(s, i);
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      else if ((c == '}' || c == ']') && --depth == 0) return i + 1;
      ++i;
    }
    return s.size();
  }
  while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && !IsSpace(s[i])) ++i;  // number, literal
  return i;
}

// Calls member(key, value) for each member of the object whose '{' is at i, with the key as
// written (between its quotes); returns the index just after the object.
template <class F>
size_t EachMember(std::string_view s, size_t i, F&& member) {
  i = SkipSpace(s, i + 1);
  while (i < s.size() && s[i] == '"') {
    const size_t key_end = SkipString(s, i);
    const std::string_view key = s.substr(i + 1, key_end - i - 2);
    const size_t value = SkipSpace(s, SkipSpace(s, key_end) + 1);  // past the ':'
    const size_t value_end = SkipValue(s, value);
    member(key, s.substr(value, value_end - value));
    i = SkipSpace(s, value_end);
    if (i < s.size() && s[i] == ',') i = SkipSpace(s, i + 1);
  }
  return i < s.size() ? i + 1 : s.size();  // past the '}'
}

bool Escaped(std::string_view key) { return key.find('\\') != std::string_view::npos; }

}  // namespace

std::vector<RatingSpans> IngestRatingSpans(std::string_view body) {
  std::vector<RatingSpans> out;
  const size_t start = SkipSpace(body, 0);
  if (start >= body.size() || body[start] != '{') return out;
  std::string_view ratings;
  bool unsure = false;
  EachMember(body, start, [&](std::string_view key, std::string_view value) {
    unsure = unsure || Escaped(key);
    if (key == "ratings") ratings = value;
  });
  if (unsure || ratings.empty() || ratings[0] != '[') return {};
  size_t i = SkipSpace(ratings, 1);
  while (i < ratings.size() && ratings[i] != ']') {
    RatingSpans spans;
    const size_t end = SkipValue(ratings, i);
    if (ratings[i] == '{') {
      bool escaped = false;
      EachMember(ratings, i, [&](std::string_view key, std::string_view value) {
        escaped = escaped || Escaped(key);
        if (key == "claims") spans.claims = value;
        else if (key == "rating") spans.rating = value;
      });
      if (escaped) spans = {};
    }
    out.push_back(spans);
    i = SkipSpace(ratings, end);
    if (i < ratings.size() && ratings[i] == ',') i = SkipSpace(ratings, i + 1);
  }
  return out;
}

}  // namespace hcp::central
