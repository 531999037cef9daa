#include "ingest_spans.h"

#include "hcp/json_text.h"

namespace hcp::central {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

size_t SkipSpace(std::string_view s, size_t i) {
  while (i < s.size() && IsSpace(s[i])) ++i;
  return i;
}

// From the opening quote to just after the closing one.
size_t SkipString(std::string_view s, size_t i) { return JsonStringEnd(s, i); }

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
// written (between its quotes) and the index of the value's first byte; member returns the index
// just after the value (so it may walk the value itself instead of skipping it). Returns the
// index just after the object.
template <class F>
size_t EachMember(std::string_view s, size_t i, F&& member) {
  i = SkipSpace(s, i + 1);
  while (i < s.size() && s[i] == '"') {
    const size_t key_end = SkipString(s, i);
    const std::string_view key = s.substr(i + 1, key_end - i - 2);
    const size_t value = SkipSpace(s, SkipSpace(s, key_end) + 1);  // past the ':'
    i = SkipSpace(s, member(key, value));
    if (i < s.size() && s[i] == ',') i = SkipSpace(s, i + 1);
  }
  return i < s.size() ? i + 1 : s.size();  // past the '}'
}

bool Escaped(std::string_view key) { return key.find('\\') != std::string_view::npos; }

// The elements of the array whose '[' is at i, appended to `out`; returns the index just after it.
size_t RatingsArray(std::string_view s, size_t i, std::vector<RatingSpans>& out) {
  i = SkipSpace(s, i + 1);
  while (i < s.size() && s[i] != ']') {
    RatingSpans spans;
    size_t end;
    if (s[i] == '{') {
      bool escaped = false;
      end = EachMember(s, i, [&](std::string_view key, size_t value) {
        const size_t value_end = SkipValue(s, value);
        escaped = escaped || Escaped(key);
        if (key == "claims") spans.claims = s.substr(value, value_end - value);
        else if (key == "rating") spans.rating = s.substr(value, value_end - value);
        return value_end;
      });
      if (escaped) spans = {};
    } else {
      end = SkipValue(s, i);
    }
    out.push_back(spans);
    i = SkipSpace(s, end);
    if (i < s.size() && s[i] == ',') i = SkipSpace(s, i + 1);
  }
  return i < s.size() ? i + 1 : s.size();
}

}  // namespace

// One pass over the body: the "ratings" array is walked where it stands rather than skipped and
// then walked again (scanning the half-megabyte body three times was 8 % of the centre's CPU in
// a drain: docs/performance.md).
std::vector<RatingSpans> IngestRatingSpans(std::string_view body) {
  std::vector<RatingSpans> out;
  const size_t start = SkipSpace(body, 0);
  if (start >= body.size() || body[start] != '{') return out;
  bool unsure = false, found = false;
  EachMember(body, start, [&](std::string_view key, size_t value) {
    unsure = unsure || Escaped(key);
    if (key != "ratings") return SkipValue(body, value);
    out.clear();  // a duplicate key counts as the parser counts it: the last one
    found = value < body.size() && body[value] == '[';
    return found ? RatingsArray(body, value, out) : SkipValue(body, value);
  });
  if (unsure || !found) return {};
  return out;
}

}  // namespace hcp::central
