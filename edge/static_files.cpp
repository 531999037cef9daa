#include "static_files.h"

#include <sys/stat.h>
#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>

namespace hcp::edge {

namespace {

bool EndsWith(const std::string& s, const char* suffix) {
  const std::string t(suffix);
  return s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0;
}

// Only plain names in the root: no "..", no sub-folders, nothing hidden.
bool SafeName(const std::string& name) {
  if (name.empty() || name.size() > 100 || name[0] == '.') return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_')) return false;
  return true;
}

// Everything but images is sent gzipped when the browser accepts it: the build's FILE.gz
// (zopfli) when it is there and not older than FILE, else zlib's best, made once per change.
bool Compressible(const std::string& mime) { return mime.rfind("image/png", 0) != 0; }

std::string Gzip(const std::string& data) {
  z_stream zs{};
  if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&zs, data.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return rc == Z_STREAM_END ? out : std::string();
}

bool ReadFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

// The precompressed FILE.gz beside `path`, if it is as new as the file itself.
std::string Precompressed(const std::string& path, const struct stat& of) {
  struct stat st {};
  std::string gz;
  if (stat((path + ".gz").c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_mtime < of.st_mtime) return {};
  if (!ReadFile(path + ".gz", gz) || gz.size() < 18 || gz[0] != '\x1f' || gz[1] != '\x8b') return {};
  return gz;
}

std::string Etag(const std::string& data) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : data) h = (h ^ c) * 1099511628211ull;
  char buf[24];
  std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}

struct CachedFile {
  time_t mtime = 0;
  off_t size = -1;
  std::string body, gz, etag, mime;
};

class FileCache {
 public:
  explicit FileCache(std::string root) : root_(std::move(root)) {}

  // Null when there is no such regular file.
  std::shared_ptr<const CachedFile> Get(const std::string& name) {
    struct stat st {};
    const std::string path = root_ + "/" + name;
    if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return nullptr;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = files_.find(name);
      if (it != files_.end() && it->second->mtime == st.st_mtime && it->second->size == st.st_size) return it->second;
    }
    auto f = std::make_shared<CachedFile>();
    if (!ReadFile(path, f->body)) return nullptr;
    f->mtime = st.st_mtime;
    f->size = st.st_size;
    f->mime = MimeTypeFor(name);
    f->etag = Etag(f->body);
    if (Compressible(f->mime)) {
      f->gz = Precompressed(path, st);
      if (f->gz.empty()) f->gz = Gzip(f->body);
    }
    std::lock_guard<std::mutex> lock(mu_);
    files_[name] = f;
    return f;
  }

 private:
  std::string root_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const CachedFile>> files_;
};

void Serve(FileCache& cache, const std::string& name, const httplib::Request& req, httplib::Response& res) {
  auto f = SafeName(name) ? cache.Get(name) : nullptr;
  if (!f) {
    res.status = 404;  // the edge's error handler writes the JSON error shape
    return;
  }
  // Pages and the loader revalidate every time (their URLs never change); the rest may be reused
  // for five minutes, then revalidated by ETag.
  const bool page = EndsWith(name, ".html") || name == "hcp-widget.js";
  res.set_header("Cache-Control", page ? "no-cache" : "public, max-age=300");
  res.set_header("ETag", f->etag);
  res.set_header("Vary", "Accept-Encoding");
  if (req.get_header_value("If-None-Match") == f->etag) {
    res.status = 304;
    return;
  }
  const bool gzip_ok = req.get_header_value("Accept-Encoding").find("gzip") != std::string::npos;
  if (!f->gz.empty() && gzip_ok) {
    res.set_header("Content-Encoding", "gzip");
    // Through a sized content provider: httplib compresses a text/* body again on its own
    // (and leaves a provider of known length alone), which would send gzip inside br.
    res.set_content_provider(f->gz.size(), f->mime.c_str(),
                             [f](size_t offset, size_t length, httplib::DataSink& sink) {
                               return sink.write(f->gz.data() + offset, length);
                             });
  } else {
    res.set_content(f->body, f->mime.c_str());
  }
}

}  // namespace

std::string MimeTypeFor(const std::string& n) {
  if (EndsWith(n, ".wasm")) return "application/wasm";
  if (EndsWith(n, ".js")) return "application/javascript; charset=utf-8";
  if (EndsWith(n, ".html")) return "text/html; charset=utf-8";
  if (EndsWith(n, ".css")) return "text/css; charset=utf-8";
  if (EndsWith(n, ".json")) return "application/json; charset=utf-8";
  if (EndsWith(n, ".txt")) return "text/plain; charset=utf-8";
  if (EndsWith(n, ".otf")) return "font/otf";
  if (EndsWith(n, ".ttf")) return "font/ttf";
  if (EndsWith(n, ".svg")) return "image/svg+xml";
  if (EndsWith(n, ".png")) return "image/png";
  return "application/octet-stream";
}

void MountStaticFiles(httplib::Server& http, const std::string& web_root) {
  auto cache = std::make_shared<FileCache>(web_root);
  http.Get(R"(/widget/([^/]+))", [cache](const httplib::Request& req, httplib::Response& res) {
    Serve(*cache, req.matches[1].str(), req, res);
  });
  http.Get("/widget/", [cache](const httplib::Request& req, httplib::Response& res) {
    Serve(*cache, "demo.html", req, res);
  });
  // The QR landing page: the code stays in the path; the page itself looks it up.
  http.Get(R"(/r/([A-Za-z0-9_-]{1,64}))", [cache](const httplib::Request& req, httplib::Response& res) {
    Serve(*cache, "r.html", req, res);
  });
}

}  // namespace hcp::edge
