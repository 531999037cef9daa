#pragma once
// The evaluator's contact (phone) is sealed to the centre's seal.pub by whoever issues the ticket
// (crypto_box_seal): the URL, the edge, its outbox and the relay only ever carry the sealed blob,
// and the centre stores it as relayed. Only a centre started with --seal-key can open it, and only
// through this class, for an authorised use: the closed loop's return visit (回访) and the SMS
// reminder. No HTTP endpoint returns a contact in clear.
#include <string>
#include <string_view>

#include "central_store.h"
#include "hcp/result.h"
#include "ticket/keys.h"

namespace hcp::central {

// Why a contact is opened: the only two uses the rules give it.
enum class ContactPurpose {
  ReturnVisit,  // 回访: the unit calls back the author of a bad rating (closed loop)
  Reminder,     // the SMS inviting a rating when the case is finished
  Survey,       // 回访调查: a unit's handler calls an evaluator drawn in the month's sample (MoT 第十六条)
  Notice,       // the closed loop's SMS to the citizen: an extension, the result, the end (citizen_notice.h)
};
std::string_view ContactPurposeKey(ContactPurpose purpose);  // "return_visit", "reminder", "notice"

class ContactUnsealer {
 public:
  explicit ContactUnsealer(SealKeyPair keys) : keys_(keys) {}

  // The contact of a case (and assess number) in clear, for `purpose`, asked by `actor`. Looks in
  // the case registry first, then in the claims of the rating its edge relayed. Every opening is
  // recorded (CentralStore::RecordContactAccess) before it happens; if it cannot be recorded, the
  // contact is not opened. contact.none when neither place holds a contact; ticket.open_failed
  // when it was sealed to another key or is damaged.
  Result<std::string> ContactFor(CentralStore& store, const std::string& case_id, int assess, ContactPurpose purpose,
                                 const std::string& actor) const;
  // Opens one sealed contact (as stored).
  Result<std::string> Open(const std::string& sealed) const;

 private:
  SealKeyPair keys_;
};

}  // namespace hcp::central
