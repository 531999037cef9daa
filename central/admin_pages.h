#pragma once
// The back office's pages (web/admin: plain HTML, one script, one style sheet) served by the
// centre itself under /admin/, so the pages and the API share one origin: the session cookie is
// SameSite=Strict and the API sends no CORS headers. Files are read on demand from `root` (an
// edited page is served without a restart); only plain names in the folder, nothing hidden.
#include <httplib.h>

#include <string>

namespace hcp::central {

// GET /admin/ (index.html) and /admin/<file>, with a strict Content-Security-Policy: the pages load
// only their own script and style, are never framed, and talk only to the centre.
void MountAdminPages(httplib::Server& http, const std::string& root);

}  // namespace hcp::central
