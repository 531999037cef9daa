// The widget's files as the edge serves them: a real httplib server on a loopback port, a real
// folder, a real client.
#include "static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace hcp::edge {
namespace {

// gzip and gunzip through zlib, to look at the bytes on the wire ourselves.
std::string Zip(const std::string& data) {
  z_stream zs{};
  deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string Unzip(const std::string& gz) {
  z_stream zs{};
  inflateInit2(&zs, 15 + 16);
  std::string out(1 << 20, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  zs.avail_in = static_cast<uInt>(gz.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = inflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  inflateEnd(&zs);
  return rc == Z_STREAM_END ? out : "<not one gzip stream>";
}

class StaticFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("hcp-static-" + std::to_string(::getpid()));
    std::filesystem::create_directories(root_);
    Write("hcp-widget.js", "window.x = 1;\n");
    Write("hcp-widget-core.wasm", std::string(4096, 'w') + "asm");
    Write("r.html", "<!doctype html><title>landing</title>");
    Write("demo.html", "<!doctype html><title>demo</title>");
    Write(".secret", "no");
    MountStaticFiles(server_, root_.string());
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void TearDown() override {
    server_.stop();
    thread_.join();
    std::filesystem::remove_all(root_);
  }
  void Write(const std::string& name, const std::string& body) { std::ofstream(root_ / name, std::ios::binary) << body; }

  std::filesystem::path root_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

TEST_F(StaticFiles, ServesWasmWithItsMimeTypeGzippedAndRevalidatesByEtag) {
  httplib::Client c("127.0.0.1", port_);
  auto res = c.Get("/widget/hcp-widget-core.wasm", {{"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/wasm");
  EXPECT_EQ(res->get_header_value("Cache-Control"), "public, max-age=300");
  // httplib's client inflates the body itself; the wire carried gzip.
  EXPECT_EQ(res->get_header_value("Content-Encoding"), "gzip");
  EXPECT_EQ(res->body, std::string(4096, 'w') + "asm");
  const std::string etag = res->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());
  auto again = c.Get("/widget/hcp-widget-core.wasm", {{"If-None-Match", etag}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
}

// What a browser meets: it accepts br too. Scripts and pages arrive gzipped exactly once (httplib
// compresses text/* bodies itself and must not wrap our gzip in br), and decode to the file.
TEST_F(StaticFiles, ScriptsAndPagesArriveGzippedOnceForABrowser) {
  httplib::Client c("127.0.0.1", port_);
  c.set_decompress(false);
  for (const auto& [path, want] : std::vector<std::pair<std::string, std::string>>{
           {"/widget/hcp-widget.js", "window.x = 1;\n"},
           {"/widget/demo.html", "<!doctype html><title>demo</title>"}}) {
    auto res = c.Get(path, {{"Accept-Encoding", "gzip, deflate, br"}});
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->get_header_value("Content-Encoding"), "gzip") << path;
    EXPECT_EQ(res->get_header_value_count("Content-Encoding"), 1u) << path;
    EXPECT_EQ(Unzip(res->body), want) << path;
  }
  auto plain = c.Get("/widget/hcp-widget.js");  // no Accept-Encoding: the file as it is
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->get_header_value("Content-Encoding"), "");
  EXPECT_EQ(plain->body, "window.x = 1;\n");
}

// The build's zopfli output (FILE.gz) is what goes out, unless it is older than FILE.
TEST_F(StaticFiles, APrecompressedFileIsPreferredWhileItIsCurrent) {
  Write("hcp-widget-core.js", "var core = 'built';\n");
  Write("hcp-widget-core.js.gz", Zip("var core = 'precompressed';\n"));
  httplib::Client c("127.0.0.1", port_);
  auto res = c.Get("/widget/hcp-widget-core.js", {{"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "var core = 'precompressed';\n");
  // A stale .gz (the file rebuilt after it) is ignored.
  const auto old = std::filesystem::last_write_time(root_ / "hcp-widget-core.js") - std::chrono::hours(1);
  std::filesystem::last_write_time(root_ / "hcp-widget-core.js.gz", old);
  Write("hcp-widget-core.js", "var core = 'rebuilt';\n");
  auto fresh = c.Get("/widget/hcp-widget-core.js", {{"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->get_header_value("Content-Encoding"), "gzip");
  EXPECT_EQ(fresh->body, "var core = 'rebuilt';\n");
}

TEST_F(StaticFiles, TheLoaderAndPagesAreRevalidatedEveryTime) {
  httplib::Client c("127.0.0.1", port_);
  auto js = c.Get("/widget/hcp-widget.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->get_header_value("Content-Type"), "application/javascript; charset=utf-8");
  EXPECT_EQ(js->get_header_value("Cache-Control"), "no-cache");
  EXPECT_EQ(js->body, "window.x = 1;\n");
  auto landing = c.Get("/r/AbC123_-x");
  ASSERT_TRUE(landing);
  EXPECT_EQ(landing->status, 200);
  EXPECT_EQ(landing->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(landing->body.find("landing"), std::string::npos);
}

TEST_F(StaticFiles, AChangedFileIsServedWithoutARestart) {
  httplib::Client c("127.0.0.1", port_);
  auto before = c.Get("/widget/hcp-widget.js");
  ASSERT_TRUE(before);
  Write("hcp-widget.js", "window.x = 22;\n");  // a different size: seen even within the same second
  auto after = c.Get("/widget/hcp-widget.js");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->body, "window.x = 22;\n");
  EXPECT_NE(after->get_header_value("ETag"), before->get_header_value("ETag"));
}

TEST_F(StaticFiles, RefusesWhatIsNotAPlainFileOfTheRoot) {
  httplib::Client c("127.0.0.1", port_);
  for (const char* path : {"/widget/.secret", "/widget/..%2Fetc%2Fpasswd", "/widget/nope.js", "/widget/%2e%2e",
                           "/r/../../etc/passwd", "/r/" }) {
    auto res = c.Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 404) << path;
  }
}

TEST(MimeType, KnowsTheWidgetsFiles) {
  EXPECT_EQ(MimeTypeFor("a.wasm"), "application/wasm");
  EXPECT_EQ(MimeTypeFor("hcp-widget-font.otf"), "font/otf");
  EXPECT_EQ(MimeTypeFor("hcp-widget-font-LICENSE.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(MimeTypeFor("x.bin"), "application/octet-stream");
}

}  // namespace
}  // namespace hcp::edge
