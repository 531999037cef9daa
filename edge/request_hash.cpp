#include "request_hash.h"

#include <cstdint>
#include <cstdio>
#include <iterator>

#include "hcp/json_text.h"

namespace hcp::edge {

std::string CanonicalBody(Json& body) {
  if (!body.is_object() || body.empty()) return Dump(body);
  const auto last = std::prev(body.end());
  if (last.key() != "ticket" || !last->is_string()) return Dump(body);
  const std::string ticket = std::move(last->get_ref<std::string&>());
  body.erase(last);
  std::string out = Dump(body);  // "{...}", or "{}"
  out.pop_back();
  if (out.size() > 1) out += ',';
  out += R"("ticket":)";
  AppendJsonString(out, ticket);
  out += '}';
  return out;
}

std::string RequestHash(std::string_view canonical) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : canonical) h = (h ^ c) * 1099511628211ull;
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace hcp::edge
