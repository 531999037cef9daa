#pragma once
// The request hash stored with each rating: tells a retried request (same Idempotency-Key, same
// body) from a different one under the same key. FNV-1a over the canonical body, Dump of its JSON
// tree; rows stored by earlier versions hold the same hashes, so the bytes must not change.
#include <string>
#include <string_view>

#include "hcp/wire.h"

namespace hcp::edge {

// Dump(body), the same bytes, for an object body. The ticket is most of them: when it is the
// last key, as it is in every rating the edge accepts (fields sort bytewise, "ticket" after every
// known field, unknown ones are refused), it is moved out of `body` and written as a plain string
// instead of through the JSON library.
std::string CanonicalBody(Json& body);

// 16 lowercase hex digits of FNV-1a 64 over `canonical`, with offset 1469598103934665603: the
// standard basis (14695981039346656037) short of its last digit, as it has been since the first
// version. Harmless for telling bodies apart; kept because stored hashes depend on it.
std::string RequestHash(std::string_view canonical);

}  // namespace hcp::edge
