#pragma once
// UTF-8 facts the rules depend on: comment limits count characters (code points), not bytes,
// and a comment of only spaces (ASCII or the ideographic space U+3000) says nothing.
#include <cstddef>
#include <string>
#include <string_view>

namespace hcp {

// Strict: rejects overlongs, surrogates, code points above U+10FFFF and truncated sequences.
bool IsValidUtf8(std::string_view s);
// Code points in valid UTF-8 (counts lead bytes; meaningless on invalid input).
std::size_t CodePointCount(std::string_view s);
// True when `s` holds nothing but whitespace, including U+3000 and U+00A0.
bool IsBlank(std::string_view s);
// The longest prefix of valid UTF-8 `s` of at most `max_bytes` bytes that ends on a character
// boundary: cutting text short never leaves half a character behind.
std::string TruncateUtf8(std::string_view s, std::size_t max_bytes);

}  // namespace hcp
