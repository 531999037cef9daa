#include "edge_config.h"

#include <nlohmann/json.hpp>

#include "hcp/wire.h"

namespace hcp::edge {
namespace {

Error Invalid(std::string field, std::string_view what) { return MakeError("config.invalid", std::move(field), what); }

template <class T>
void Number(const Json& j, const char* key, T& out, double min, double max, Errors& errors) {
  if (!j.contains(key)) return;
  const Json& v = j[key];
  if (!v.is_number() || v.get<double>() < min || v.get<double>() > max) {
    errors.push_back(Invalid(key, std::string(key) + " must be a number from " + Dump(min) + " to " + Dump(max)));
    return;
  }
  out = static_cast<T>(v.get<double>());
}

void Strings(const Json& j, const char* key, std::vector<std::string>& out, Errors& errors) {
  if (!j.contains(key)) return;
  if (!j[key].is_array()) {
    errors.push_back(Invalid(key, std::string(key) + " must be a list of strings"));
    return;
  }
  out.clear();
  for (const auto& v : j[key]) {
    if (v.is_string()) out.push_back(v.get<std::string>());
    else errors.push_back(Invalid(key, std::string(key) + " must be a list of strings"));
  }
}

}  // namespace

Errors ApplyListen(std::string_view listen, EdgeConfig& config) {
  const auto colon = listen.rfind(':');
  if (colon == std::string_view::npos) return {Invalid("listen", "listen must be HOST:PORT, e.g. 127.0.0.1:8080")};
  std::string host(listen.substr(0, colon));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string port(listen.substr(colon + 1));
  int p = 0;
  for (char c : port) {
    if (c < '0' || c > '9' || p > 65535) return {Invalid("listen", "the port must be a number 0..65535")};
    p = p * 10 + (c - '0');
  }
  if (port.empty() || p > 65535) return {Invalid("listen", "the port must be a number 0..65535")};
  config.listen_host = host.empty() ? "0.0.0.0" : host;
  config.listen_port = p;
  return {};
}

Errors ApplyEdgeConfigFile(std::string_view json_text, EdgeConfig& config) {
  auto parsed = ParseJson(json_text);
  if (!parsed) return {Invalid("", "the config file is not valid JSON")};
  const Json& j = *parsed;
  if (!j.is_object()) return {Invalid("", "the config file must hold a JSON object")};
  Errors errors;
  static const char* kKeys[] = {"listen", "data", "issuer_keys", "allow_origins", "catalogue", "comment_max",
                                "max_reasons", "body_max_bytes", "rate_per_second", "rate_burst",
                                "trust_forwarded_for", "threads", "read_timeout_s", "write_timeout_s",
                                "keep_alive_s", "keep_alive_max", "max_page_count", "access_log", "commit_group_max", "central", "edge_key", "web",
                                "relay_batch", "relay_lanes", "relay_backoff_max_ms"};
  for (const auto& [key, _] : j.items()) {
    bool known = false;
    for (const char* k : kKeys) known = known || key == k;
    if (!known) errors.push_back(Invalid(key, "unknown key \"" + key + "\" (see docs/deploy.md)"));
  }
  auto text = [&](const char* key, auto&& set) {
    if (!j.contains(key)) return;
    if (j[key].is_string()) set(j[key].get<std::string>());
    else errors.push_back(Invalid(key, std::string(key) + " must be a string"));
  };
  text("listen", [&](const std::string& v) {
    for (auto& e : ApplyListen(v, config)) errors.push_back(e);
  });
  text("data", [&](const std::string& v) { config.data_dir = v; });
  text("catalogue", [&](const std::string& v) { config.catalogue = v; });
  text("central", [&](const std::string& v) { config.central_url = v; });
  text("edge_key", [&](const std::string& v) { config.edge_key = v; });
  Strings(j, "issuer_keys", config.issuer_keys, errors);
  Strings(j, "allow_origins", config.allow_origins, errors);
  Number(j, "comment_max", config.rating_limits.comment_max, 1, 100000, errors);
  Number(j, "max_reasons", config.rating_limits.max_reasons, 1, 100, errors);
  Number(j, "body_max_bytes", config.body_max_bytes, 1024, 16 * 1024 * 1024, errors);
  Number(j, "rate_per_second", config.rate_per_second, 0, 1e9, errors);
  Number(j, "rate_burst", config.rate_burst, 1, 1e9, errors);
  Number(j, "threads", config.threads, 2, 4096, errors);
  Number(j, "read_timeout_s", config.read_timeout_s, 1, 3600, errors);
  Number(j, "write_timeout_s", config.write_timeout_s, 1, 3600, errors);
  Number(j, "keep_alive_s", config.keep_alive_s, 1, 3600, errors);
  Number(j, "keep_alive_max", config.keep_alive_max, 1, 1000000, errors);
  Number(j, "max_page_count", config.max_page_count, 0, 1e12, errors);
  Number(j, "commit_group_max", config.commit_group_max, 1, 100000, errors);
  Number(j, "relay_batch", config.relay_batch, 1, 10000, errors);
  Number(j, "relay_lanes", config.relay_lanes, 1, 8, errors);
  Number(j, "relay_backoff_max_ms", config.relay_backoff_max_ms, 200, 3600000, errors);
  text("web", [&](const std::string& v) { config.web_dir = v; });
  if (j.contains("access_log")) {
    if (j["access_log"].is_boolean()) config.access_log = j["access_log"].get<bool>();
    else errors.push_back(Invalid("access_log", "access_log must be true or false"));
  }
  if (j.contains("trust_forwarded_for")) {
    if (j["trust_forwarded_for"].is_boolean()) config.trust_forwarded_for = j["trust_forwarded_for"].get<bool>();
    else errors.push_back(Invalid("trust_forwarded_for", "trust_forwarded_for must be true or false"));
  }
  return errors;
}

Errors ValidateEdgeConfig(const EdgeConfig& config) {
  Errors errors;
  if (config.data_dir.empty()) errors.push_back(Invalid("data", "say where the outbox lives: --data DIR"));
  if (config.issuer_keys.empty())
    errors.push_back(Invalid("issuer_keys", "trust at least one ticket issuer: --issuer-key DIR/issuer.pub"));
  for (const auto& origin : config.allow_origins) {
    const bool scheme = origin.rfind("https://", 0) == 0 || origin.rfind("http://", 0) == 0;
    if (!scheme || origin.back() == '/' || origin.find('*') != std::string::npos)
      errors.push_back(Invalid("allow_origins", "an origin is scheme://host[:port] without a path or wildcard: " + origin));
  }
  if (!config.central_url.empty()) {
    if (config.central_url.rfind("http://", 0) != 0 && config.central_url.rfind("https://", 0) != 0)
      errors.push_back(Invalid("central", "the centre's URL starts with http:// or https://: " + config.central_url));
    if (config.edge_key.empty())
      errors.push_back(Invalid("edge_key", "relaying to a centre needs the edge's key: --edge-key DIR/edge.key"));
  }
  if (config.rate_per_second > 0 && config.rate_burst < 1) errors.push_back(Invalid("rate_burst", "rate_burst must be at least 1"));
  return errors;
}

}  // namespace hcp::edge
