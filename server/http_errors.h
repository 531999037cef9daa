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
// Makes httplib close the connection once this answer is written. Needed whenever a request's
// body was not read to its end: httplib 0.11.4 keeps the connection alive regardless of a
// "Connection: close" header set by a handler, and would parse the unread body as the next
// request (request smuggling behind a proxy). The trick: the answer is sent by a content
// provider that writes it in full and then reports failure, which ends the connection.
void CloseAfterAnswer(httplib::Response& res);

}  // namespace hcp::server
