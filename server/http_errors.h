#pragma once
// Errors become HTTP responses here and nowhere else: one status per error id, one JSON shape.
#include <httplib.h>

#include "hcp/error.h"

namespace hcp::server {

// The HTTP status for an error id (the first error decides when there are several).
int HttpStatusFor(const std::string& id);
// Writes {"errors": [...]} with the status of the first error.
void SendErrors(httplib::Response& res, const Errors& errors);
void SendError(httplib::Response& res, const Error& error);

}  // namespace hcp::server
