#pragma once
// The widget's files and pages, served by the edge itself so that one `hcp edge` is everything a
// hall or a 网厅 needs: /widget/<file> from a web root (the wasm build's web/ folder) and the QR
// landing page at /r/<short-code>. Right MIME types (application/wasm streams-compiles only with
// it), ETag revalidation, gzip.
#include <string>

#include <httplib.h>

namespace hcp::edge {

// Mounts GET routes for `web_root` on `http`. Files are read on demand (a rebuilt widget is served
// without a restart) and cached with their gzip form while unchanged.
void MountStaticFiles(httplib::Server& http, const std::string& web_root);

// "application/wasm" for "x.wasm", … ; "application/octet-stream" for anything unknown.
std::string MimeTypeFor(const std::string& file_name);

}  // namespace hcp::edge
