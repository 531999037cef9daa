#include "widget_model.h"

#include <algorithm>

#include "hcp/channel.h"
#include "hcp/rating.h"
#include "widget_text.h"

namespace hcp::widget {

std::string_view PhaseKey(Phase p) {
  switch (p) {
    case Phase::Editing: return "editing";
    case Phase::Sending: return "sending";
    case Phase::Queued: return "queued";
    case Phase::Done: return "done";
    case Phase::AlreadyRated: return "already_rated";
    case Phase::Failed: return "failed";
  }
  return "";
}

Result<WidgetModel> WidgetModel::FromFormJson(std::string_view form_json, Lang lang) {
  auto parsed = ParseJson(form_json);
  if (!parsed) return parsed.errors();
  auto decoded = FormFromJson(*parsed);
  if (!decoded) return decoded.errors();
  WidgetModel m;
  m.form_ = decoded->form;
  m.catalogue_ = decoded->catalogue;
  m.lang_ = lang;
  if (m.form_.already_rated) {
    m.phase_ = Phase::AlreadyRated;
    m.server_messages_.push_back(MakeError("rating.already_rated"));
  }
  return m;
}

void WidgetModel::ChooseLevel(Level level) {
  if (phase_ != Phase::Editing) return;
  level_ = level;
  std::erase_if(reasons_, [&](const std::string& code) {
    const Reason* r = catalogue_.Find(code);
    return !r || !r->Fits(level);
  });
  server_messages_.clear();
}

std::vector<const Reason*> WidgetModel::OfferedReasons() const {
  if (!level_) return {};
  return catalogue_.For(*level_, IsOnline(form_.channel));
}

bool WidgetModel::ReasonsRequired() const { return level_ && IsBad(*level_); }

bool WidgetModel::HasReason(std::string_view code) const {
  return std::find(reasons_.begin(), reasons_.end(), code) != reasons_.end();
}

void WidgetModel::ToggleReason(std::string_view code) {
  if (phase_ != Phase::Editing) return;
  auto it = std::find(reasons_.begin(), reasons_.end(), code);
  if (it != reasons_.end()) {
    reasons_.erase(it);
    return;
  }
  const auto offered = OfferedReasons();
  const bool ok = std::any_of(offered.begin(), offered.end(), [&](const Reason* r) { return r->code == code; });
  if (!ok || static_cast<int>(reasons_.size()) >= form_.limits.max_reasons) return;
  reasons_.emplace_back(code);
  server_messages_.clear();
}

Errors WidgetModel::Check() const {
  RatingSubmission s;
  if (level_) s.satisfaction = static_cast<int>(*level_);
  s.reasons = reasons_;
  s.comment = comment_;
  s.is_public = public_;
  s.catalogue_version = catalogue_.version();
  return ValidateRating(s, catalogue_, form_.limits, IsOnline(form_.channel));
}

bool WidgetModel::CanSubmit() const { return phase_ == Phase::Editing && Check().empty(); }

std::optional<Error> WidgetModel::WhyNot() const {
  Errors errors = Check();
  if (errors.empty()) return std::nullopt;
  return errors.front();
}

std::string WidgetModel::SubmissionJson(std::string_view ticket, std::string_view client) const {
  RatingSubmission s;
  s.ticket = std::string(ticket);
  if (level_) s.satisfaction = static_cast<int>(*level_);
  s.reasons = reasons_;
  s.comment = comment_;
  s.is_public = public_;
  s.catalogue_version = catalogue_.version();
  s.client = std::string(client);
  return Dump(EncodeRating(s));
}

void WidgetModel::BeginSending() {
  if (phase_ == Phase::Editing || phase_ == Phase::Queued) phase_ = Phase::Sending;
}

void WidgetModel::MarkQueued() {
  if (phase_ == Phase::Sending || phase_ == Phase::Editing) phase_ = Phase::Queued;
}

namespace {

Errors ErrorsOf(const Json& body) {
  Errors out;
  if (!body.is_object() || !body.contains("errors") || !body["errors"].is_array()) return out;
  for (const Json& e : body["errors"]) {
    if (!e.is_object()) continue;
    Error err;
    auto str = [&](const char* k) { return e.contains(k) && e[k].is_string() ? e[k].get<std::string>() : std::string(); };
    err.id = str("id");
    err.field = str("field");
    err.message = str("message");
    err.message_en = str("message_en");
    // An answer without texts (a proxy's bare 502) still gets the core's words for its id.
    if (err.message.empty() && !err.id.empty()) err = MakeError(err.id, err.field);
    out.push_back(std::move(err));
  }
  return out;
}

}  // namespace

Phase WidgetModel::ApplyResponse(int status, std::string_view body_text) {
  auto parsed = ParseJson(body_text);
  const Json body = parsed ? *parsed : Json();
  server_messages_.clear();
  if (status == 201 || status == 200) {
    Error ok{"rating.accepted", "", "评价已收到，感谢您的参与", "Your rating was received, thank you"};
    if (body.is_object() && body.contains("message") && body["message"].is_string()) ok.message = body["message"];
    if (body.is_object() && body.contains("message_en") && body["message_en"].is_string()) ok.message_en = body["message_en"];
    if (body.is_object() && body.contains("id") && body["id"].is_string()) rating_id_ = body["id"];
    server_messages_.push_back(std::move(ok));
    return phase_ = Phase::Done;
  }
  Errors errors = ErrorsOf(body);
  if (status == 409) {
    if (errors.empty()) errors.push_back(MakeError("rating.already_rated"));
    if (body.is_object() && body.contains("id") && body["id"].is_string()) rating_id_ = body["id"];
    server_messages_ = std::move(errors);
    return phase_ = Phase::AlreadyRated;
  }
  if (status == 0 || status == 429 || status >= 500) {
    if (errors.empty()) errors.push_back(MakeError("server.unavailable"));
    server_messages_ = std::move(errors);
    return phase_ = Phase::Queued;
  }
  if (status == 422) {  // the citizen can fix it: back to the form, every problem listed
    server_messages_ = std::move(errors);
    return phase_ = Phase::Editing;
  }
  // 401/403/410: the ticket is unusable; 400/413/431: a client bug. Neither is worth retrying.
  if (errors.empty()) errors.push_back(MakeError("server.internal"));
  server_messages_ = std::move(errors);
  return phase_ = Phase::Failed;
}

std::string WidgetModel::StateJson() const {
  Json offered = Json::array();
  for (const Reason* r : OfferedReasons()) offered.push_back({{"code", r->code}, {"zh", r->zh}, {"en", r->en}});
  Json messages = Json::array();
  for (const Error& e : server_messages_) messages.push_back(ErrorToJson(e));
  const auto why = WhyNot();
  return Dump(Json{{"phase", PhaseKey(phase_)},
                   {"lang", lang_ == Lang::Zh ? "zh" : "en"},
                   {"level", level_ ? Json(static_cast<int>(*level_)) : Json(nullptr)},
                   {"reasons", reasons_},
                   {"offered", offered},
                   {"reasons_required", ReasonsRequired()},
                   {"comment", comment_},
                   {"public", public_},
                   {"can_submit", CanSubmit()},
                   {"why_not", why ? ErrorToJson(*why) : Json(nullptr)},
                   {"messages", messages},
                   {"rating_id", rating_id_}});
}

}  // namespace hcp::widget
