#include "national_push.h"

#include <httplib.h>

#include <algorithm>
#include <random>

#include "hcp/wire.h"
#include "national_feed.h"

namespace hcp::central {
namespace {

Error Bad(const std::string& field, const std::string& why) {
  return MakeError("export.push_config_invalid", field, field + ": " + why);
}

bool SplitUrl(const std::string& url, std::string& origin, std::string& path) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return false;
  const std::string s = url.substr(0, scheme);
  if (s != "http" && s != "https") return false;
  const size_t slash = url.find('/', scheme + 3);
  origin = url.substr(0, slash);
  path = slash == std::string::npos ? "/" : url.substr(slash);
  return origin.size() > scheme + 3;
}

enum class Answer { Acked, Retry, Refused };

Answer Post(const PushConfig& c, const std::string& key, const std::string& body, std::string& why) {
  std::string origin, path;
  SplitUrl(c.url, origin, path);
  httplib::Client client(origin);
  const time_t sec = c.timeout_ms / 1000, usec = (c.timeout_ms % 1000) * 1000;
  client.set_connection_timeout(sec, usec);
  client.set_read_timeout(sec, usec);
  client.set_write_timeout(sec, usec);
  client.set_follow_location(false);
  client.set_tcp_nodelay(true);
  httplib::Headers headers{{"Idempotency-Key", key}};
  if (!c.token.empty()) headers.emplace("Authorization", "Bearer " + c.token);
  auto res = client.Post(path.c_str(), headers, body, "application/json; charset=utf-8");
  if (!res) {
    why = "no answer: " + httplib::to_string(res.error());
    return Answer::Retry;
  }
  if (res->status >= 200 && res->status < 300) return Answer::Acked;
  why = "HTTP " + std::to_string(res->status) + ": " + res->body.substr(0, 200);
  if (res->status == 408 || res->status == 425 || res->status == 429 || res->status >= 500) return Answer::Retry;
  return Answer::Refused;
}

}  // namespace

Result<PushConfig> ParsePushConfig(std::string_view json_text) {
  auto j = ParseJson(json_text);
  if (!j) return j.errors();
  if (!j->is_object()) return Bad("(file)", "a JSON object");
  PushConfig c;
  Errors errors;
  static const std::vector<std::string> kKeys = {"url", "name", "token", "mapping", "direction", "batch_rows",
                                                 "max_attempts", "backoff_ms", "backoff_max_ms", "timeout_ms"};
  for (const auto& [key, value] : j->items())
    if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end()) errors.push_back(Bad(key, "unknown key"));
  auto text = [&](const char* key, std::string& into) {
    if (!j->contains(key)) return;
    if (!(*j)[key].is_string()) errors.push_back(Bad(key, "a string"));
    else into = (*j)[key].get<std::string>();
  };
  auto number = [&](const char* key, int& into, int min, int max) {
    if (!j->contains(key)) return;
    const Json& v = (*j)[key];
    if (!v.is_number_integer() || v.get<int64_t>() < min || v.get<int64_t>() > max)
      errors.push_back(Bad(key, "a whole number from " + std::to_string(min) + " to " + std::to_string(max)));
    else into = v.get<int>();
  };
  text("url", c.url);
  text("name", c.name);
  text("token", c.token);
  text("mapping", c.mapping);
  std::string direction;
  text("direction", direction);
  if (direction == "deployed") c.direction = CodeDirection::Deployed;
  else if (direction == "gbt39046") c.direction = CodeDirection::Gbt39046;
  else if (!direction.empty()) errors.push_back(Bad("direction", "\"deployed\" or \"gbt39046\""));
  number("batch_rows", c.batch_rows, 1, 10000);
  number("max_attempts", c.max_attempts, 1, 1000);
  number("backoff_ms", c.backoff_ms, 1, 3600000);
  number("backoff_max_ms", c.backoff_max_ms, 1, 3600000);
  number("timeout_ms", c.timeout_ms, 100, 600000);
  std::string origin, path;
  if (!SplitUrl(c.url, origin, path)) errors.push_back(Bad("url", "an http:// or https:// URL with a host"));
  if (c.name.empty() || c.name.size() > 64) errors.push_back(Bad("name", "1 to 64 characters"));
  if (!errors.empty()) return errors;
  return c;
}

Result<PushReport> PushNational(CentralStore& store, const PushConfig& config, const ExportMapping& mapping,
                                const WorkingCalendar& calendar, const CaseLimits& limits,
                                const std::function<void(int)>& sleep_ms) {
  PushReport report;
  auto loaded = store.LoadExportCursor(config.name);
  if (!loaded) return loaded.errors();
  ExportCursor cursor = std::move(loaded).value();
  // Ratings stored after this moment wait for the next run: a run ends.
  auto upto = store.StampExportSequence();
  if (!upto) return upto.errors();
  std::minstd_rand jitter(std::random_device{}());
  for (;;) {
    if (cursor.pending_first == 0) {
      // Plan the next batch and write it down before sending it.
      auto chunk = ReadFeed(store, cursor.acked, *upto, config.batch_rows, mapping, calendar, limits);
      if (!chunk) return chunk.errors();
      if (chunk->rows.empty()) {
        report.acked = cursor.acked;
        if (chunk->stopped) {
          report.stop = PushStop::Record;
          report.errors = chunk->errors;
        }
        return report;
      }
      const int64_t first = cursor.acked + 1;
      Json records = Json::array();
      for (auto& row : chunk->rows) records.push_back(std::move(row));
      cursor.pending_first = first;
      cursor.pending_last = chunk->last;
      cursor.pending_key = "hcp-" + config.name + "-" + std::to_string(first) + "-" + std::to_string(chunk->last);
      cursor.pending_body = Dump(Json{{"batch", cursor.pending_key}, {"first", first}, {"last", chunk->last},
                                       {"count", records.size()}, {"records", std::move(records)}});
      cursor.updated_at_ms = 0;
      if (auto saved = store.SaveExportCursor(cursor); !saved) return saved.errors();
    }
    // Send the pending batch until it is acknowledged.
    std::string why;
    Answer answer = Answer::Retry;
    for (int attempt = 1; attempt <= config.max_attempts; ++attempt) {
      answer = Post(config, cursor.pending_key, cursor.pending_body, why);
      if (answer != Answer::Retry) break;
      ++report.failed_attempts;
      if (attempt == config.max_attempts) break;
      const int64_t cap = std::min<int64_t>(config.backoff_max_ms, static_cast<int64_t>(config.backoff_ms) << std::min(attempt - 1, 20));
      sleep_ms(static_cast<int>(jitter() % (cap + 1)));
    }
    if (answer != Answer::Acked) {
      report.acked = cursor.acked;
      report.stop = answer == Answer::Refused ? PushStop::Refused : PushStop::Exhausted;
      report.errors.push_back(MakeError(answer == Answer::Refused ? "export.push_refused" : "export.push_failed",
                                        cursor.pending_key, cursor.pending_key + ": " + why));
      return report;
    }
    const auto body = ParseJson(cursor.pending_body);
    report.rows += body ? static_cast<int64_t>((*body)["count"].get<int64_t>()) : 0;
    ++report.batches;
    cursor.acked = cursor.pending_last;
    cursor.pending_first = cursor.pending_last = 0;
    cursor.pending_key.clear();
    cursor.pending_body.clear();
    cursor.updated_at_ms = 0;
    if (auto saved = store.SaveExportCursor(cursor); !saved) return saved.errors();
  }
}

}  // namespace hcp::central
