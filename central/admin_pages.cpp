#include "admin_pages.h"

#include <cctype>
#include <fstream>
#include <sstream>

namespace hcp::central {
namespace {

bool EndsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Only plain names in the root: no "..", no sub-folders, nothing hidden.
bool SafeName(const std::string& name) {
  if (name.empty() || name.size() > 100 || name[0] == '.') return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_')) return false;
  return true;
}

const char* MimeOf(const std::string& name) {
  if (EndsWith(name, ".html")) return "text/html; charset=utf-8";
  if (EndsWith(name, ".js")) return "application/javascript; charset=utf-8";
  if (EndsWith(name, ".css")) return "text/css; charset=utf-8";
  if (EndsWith(name, ".svg")) return "image/svg+xml";
  if (EndsWith(name, ".png")) return "image/png";
  return nullptr;  // nothing else belongs to the back office
}

void Serve(const std::string& root, const std::string& name, httplib::Response& res) {
  const char* mime = SafeName(name) ? MimeOf(name) : nullptr;
  std::ifstream in(root + "/" + name, std::ios::binary);
  if (!mime || !in) {
    res.status = 404;  // the centre's error handler writes the JSON error shape
    return;
  }
  std::ostringstream body;
  body << in.rdbuf();
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
                 "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_content(body.str(), mime);
}

}  // namespace

void MountAdminPages(httplib::Server& http, const std::string& root) {
  http.Get("/admin", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/admin/"); });
  http.Get("/admin/", [root](const httplib::Request&, httplib::Response& res) { Serve(root, "index.html", res); });
  http.Get(R"(/admin/([^/]+))", [root](const httplib::Request& req, httplib::Response& res) {
    Serve(root, req.matches[1].str(), res);
  });
}

}  // namespace hcp::central
