#pragma once
// The append-only audit trail (issue 6): every action of a back-office user or an operator lands
// here, with who, when, what, and the object before and after. The store has no way to change or
// delete a row, and its schema refuses UPDATE and DELETE (triggers on both backends).
// Never put passwords, session tokens or evaluators' contacts into before/after.
#include <string>
#include <string_view>

#include "access.h"
#include "central_store.h"
#include "hcp/result.h"

namespace hcp::central {

// Appends one row now. `object` names what was acted on ("case:ID/ASSESS", "user:NAME",
// "unit:CODE"); before_json / after_json are JSON texts, "" when not applicable. Answers the
// row's sequence number; an action whose audit row cannot be written should not go ahead.
Result<int64_t> Audit(CentralStore& store, const Actor& actor, std::string_view action, std::string_view object,
                      std::string_view before_json, std::string_view after_json);

}  // namespace hcp::central
