#include "notify_config.h"

#include "http_post.h"

namespace hcp::central {
namespace {

Error Invalid(const std::string& field, const std::string& what) { return MakeError("config.invalid", field, what); }

void Keys(const Json& j, const std::string& where, std::initializer_list<const char*> known, Errors& errors) {
  for (const auto& [key, _] : j.items()) {
    bool ok = false;
    for (const char* k : known) ok = ok || key == k;
    if (!ok) errors.push_back(Invalid(where + "." + key, "unknown key \"" + key + "\" in " + where + " (see docs/notifications.md)"));
  }
}

void Text(const Json& j, const std::string& where, const char* key, std::string& out, Errors& errors) {
  const auto v = j.find(key);
  if (v == j.end()) return;
  if (v->is_string()) out = v->get<std::string>();
  else errors.push_back(Invalid(where + "." + key, where + "." + key + " must be a string"));
}

void Retry(const Json& j, const std::string& where, OutboxPolicy& p, Errors& errors) {
  const auto r = j.find("retry");
  if (r == j.end()) return;
  const std::string field = where + ".retry";
  if (!r->is_object()) {
    errors.push_back(Invalid(field, field + " must be an object"));
    return;
  }
  Keys(*r, field, {"max_attempts", "backoff_min_ms", "backoff_max_ms", "poll_ms", "batch", "timeout_ms", "lease_ms"}, errors);
  for (auto [key, out] : {std::pair<const char*, int*>{"max_attempts", &p.max_attempts}, {"backoff_min_ms", &p.backoff_min_ms},
                          {"backoff_max_ms", &p.backoff_max_ms}, {"poll_ms", &p.poll_ms}, {"batch", &p.batch},
                          {"timeout_ms", &p.timeout_ms}, {"lease_ms", &p.lease_ms}}) {
    const auto v = r->find(key);
    if (v == r->end()) continue;
    if (v->is_number_integer() && v->get<int64_t>() >= 0 && v->get<int64_t>() <= 2000000000) *out = v->get<int>();
    else errors.push_back(Invalid(field + "." + key, field + "." + key + " must be a whole number"));
  }
}

}  // namespace

Errors ApplyNotifyConfig(const Json& config, NotifySettings& s) {
  Errors errors;
  if (const auto sms = config.find("sms"); sms != config.end()) {
    if (!sms->is_object()) {
      errors.push_back(Invalid("sms", "sms must be an object (see docs/notifications.md)"));
    } else {
      Keys(*sms, "sms", {"gateway", "url", "token_file", "file", "templates", "retry"}, errors);
      Text(*sms, "sms", "gateway", s.sms_gateway, errors);
      Text(*sms, "sms", "url", s.sms_url, errors);
      Text(*sms, "sms", "token_file", s.sms_token_file, errors);
      Text(*sms, "sms", "file", s.sms_file, errors);
      if (const auto t = sms->find("templates"); t != sms->end()) {
        if (!t->is_object()) {
          errors.push_back(Invalid("sms.templates", "sms.templates must be an object"));
        } else {
          Keys(*t, "sms.templates", {"extended", "rectified", "closed"}, errors);
          Text(*t, "sms.templates", "extended", s.templates.extended, errors);
          Text(*t, "sms.templates", "rectified", s.templates.rectified, errors);
          Text(*t, "sms.templates", "closed", s.templates.closed, errors);
        }
      }
      Retry(*sms, "sms", s.sms_retry, errors);
    }
  }
  if (const auto hooks = config.find("webhooks"); hooks != config.end()) {
    if (!hooks->is_object()) {
      errors.push_back(Invalid("webhooks", "webhooks must be an object (see docs/notifications.md)"));
    } else {
      Keys(*hooks, "webhooks", {"retry"}, errors);
      Retry(*hooks, "webhooks", s.webhook_retry, errors);
    }
  }
  return errors;
}

Errors ValidateNotifySettings(const NotifySettings& s) {
  Errors errors;
  if (s.sms_gateway != "none" && s.sms_gateway != "file" && s.sms_gateway != "http")
    errors.push_back(Invalid("sms.gateway", "sms.gateway is \"none\", \"file\" or \"http\": " + s.sms_gateway));
  if (s.sms_gateway == "http" && !IsDeliverableUrl(s.sms_url))
    errors.push_back(Invalid("sms.url", "sms.gateway \"http\" needs sms.url, an http(s):// URL of the SMS platform"));
  for (auto& e : ValidateSmsTemplates(s.templates)) errors.push_back(e);
  for (auto& e : ValidateOutboxPolicy(s.sms_retry, "sms.retry")) errors.push_back(e);
  for (auto& e : ValidateOutboxPolicy(s.webhook_retry, "webhooks.retry")) errors.push_back(e);
  return errors;
}

}  // namespace hcp::central
