#include "hcp/rating_record.h"

namespace hcp {

RatingFacts RatingFactsOf(const RatingRecord& r) { return {r.level, r.is_default, r.appeal_upheld}; }

CaseFacts CaseFactsOf(const RatingRecord& r, Date as_of) {
  CaseFacts c;
  if (!IsBad(r.level) || r.outcome == BadOutcome::None) return c;
  c.excluded = r.appeal_upheld;
  c.valid_bad = r.outcome == BadOutcome::Valid;
  c.rectified = c.valid_bad && r.rectified_on.has_value();
  // A rectification with no deadline on record cannot have missed it.
  c.rectified_on_time = c.rectified && (!r.deadline || *r.rectified_on <= *r.deadline);
  c.closed_invalid = r.outcome == BadOutcome::Invalid && r.closed_on.has_value();
  // A deadline lasts to the end of its day, as in case_machine's Overdue.
  c.overdue = !r.rectified_on && !r.closed_on && r.deadline && as_of > *r.deadline;
  return c;
}

void ApplyCaseState(RatingRecord& r, const CaseState& s) {
  r.appeal_upheld = s.excluded_from_statistics;
  if (s.status == CaseStatus::New) {
    r.outcome = BadOutcome::None;
  } else if (s.valid_bad) {
    r.outcome = BadOutcome::Valid;
  } else if (s.status == CaseStatus::InvalidReporting || s.status == CaseStatus::UnderReview ||
             s.resolution == CaseResolution::Invalid) {
    r.outcome = BadOutcome::Invalid;
  } else {
    r.outcome = BadOutcome::Pending;
  }
  r.deadline = s.due;
  r.rectified_on.reset();
  r.closed_on.reset();
  for (size_t i = 0; i < s.history.size(); ++i) {
    const CaseStep& step = s.history[i];
    if (step.to == CaseStatus::Rectified && step.from != CaseStatus::Rectified) {
      r.rectified_on = step.event.date;
      // The deadline that mattered is the one in force before the rectification.
      r.deadline = i > 0 ? s.history[i - 1].due : std::nullopt;
    }
    if (step.to == CaseStatus::Closed) r.closed_on = step.event.date;
  }
}

}  // namespace hcp
