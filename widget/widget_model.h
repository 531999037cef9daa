#pragma once
// The rating widget's state, with no drawing in it: what the form offers (from the edge's
// GET /api/v1/form), what the citizen chose, whether it may be submitted and, if not, why, and
// what the edge answered. The ImGui UI (browser and kiosk) and the accessible DOM form both read
// and change this one model, so they cannot disagree; its tests run natively and in WASM.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hcp/catalogue.h"
#include "hcp/error.h"
#include "hcp/level.h"
#include "hcp/result.h"
#include "hcp/wire.h"

namespace hcp::widget {

enum class Phase {
  Editing,       // the citizen is filling the form
  Sending,       // a request is in flight
  Queued,        // the edge could not be reached: kept locally, retried with backoff
  Done,          // 201: stored
  AlreadyRated,  // 409, or the form said so: nothing more to do
  Failed,        // a final refusal (ticket expired, unknown issuer, client bug)
};
std::string_view PhaseKey(Phase p);

class WidgetModel {
 public:
  // `form_json` is the body of GET /api/v1/form; errors are the shared core's (request.*).
  static Result<WidgetModel> FromFormJson(std::string_view form_json, Lang lang = Lang::Zh);

  const FormDefinition& form() const { return form_; }
  const ReasonCatalogue& catalogue() const { return catalogue_; }
  Lang lang() const { return lang_; }
  void SetLang(Lang lang) { lang_ = lang; }

  std::optional<Level> level() const { return level_; }
  // Choosing a level keeps only the ticked reasons that the new level also offers.
  void ChooseLevel(Level level);
  // Reasons offered for the chosen level on this form's channel (none before a level is chosen).
  std::vector<const Reason*> OfferedReasons() const;
  bool ReasonsRequired() const;  // a bad level: at least one reason or a comment
  bool HasReason(std::string_view code) const;
  // Ignored for a code the chosen level does not offer, and beyond limits.max_reasons.
  void ToggleReason(std::string_view code);
  const std::vector<std::string>& reasons() const { return reasons_; }

  const std::string& comment() const { return comment_; }
  void SetComment(std::string comment) { comment_ = std::move(comment); }
  bool is_public() const { return public_; }
  void SetPublic(bool p) { public_ = p; }

  // The shared core's ValidateRating on the current choice: the same ids and texts as the edge.
  Errors Check() const;
  bool CanSubmit() const;
  // Why the submit button is inactive (the first problem), or nothing when it is active.
  std::optional<Error> WhyNot() const;

  // The POST /api/v1/ratings body for `ticket`.
  std::string SubmissionJson(std::string_view ticket, std::string_view client) const;

  Phase phase() const { return phase_; }
  void BeginSending();
  void MarkQueued();  // no answer, 429, 5xx: the caller keeps it and retries
  // Applies the edge's answer (status 0 = no answer). Returns the phase it led to.
  Phase ApplyResponse(int status, std::string_view body);
  // What the edge said last: the confirmation, the already-rated note, or refusals (422 lists all).
  const Errors& server_messages() const { return server_messages_; }
  const std::string& rating_id() const { return rating_id_; }

  // The whole state for the page's script, which mirrors it into the accessible form.
  std::string StateJson() const;

 private:
  FormDefinition form_;
  ReasonCatalogue catalogue_;
  Lang lang_ = Lang::Zh;
  std::optional<Level> level_;
  std::vector<std::string> reasons_;
  std::string comment_;
  bool public_ = false;
  Phase phase_ = Phase::Editing;
  Errors server_messages_;
  std::string rating_id_;
};

}  // namespace hcp::widget
