// hcp-kiosk: the same rating panel on the hall's window evaluator device (评价器), natively with
// GLFW + OpenGL 3: full screen, touch (delivered by X11/Wayland as pointer events), talking to an
// edge over HTTP like the browser widget does. A device is fixed to one window, so the text box is
// ImGui's own and the full Noto Sans CJK from the system draws any item or unit name.
//
//   hcp-kiosk --edge http://127.0.0.1:8080 --ticket hcp1.… [--lang en] [--window 1024x768]
//             [--screenshot out.png --after-frames N --tap level:5 --tap submit]
#include <GLFW/glfw3.h>
#include <httplib.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "backends/imgui_impl_glfw.h"
#include "backends/imgui_impl_opengl3.h"
#include "imgui.h"
#include "widget_model.h"
#include "widget_ui.h"

using namespace hcp;
using namespace hcp::widget;

namespace {

struct Args {
  std::string edge = "http://127.0.0.1:8080";
  std::string ticket;
  std::string lang = "zh";
  std::string font = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
  int width = 0, height = 0;  // 0: full screen on the primary monitor
  std::string screenshot;
  int after_frames = 30;
  std::vector<std::string> taps;  // scripted taps on controls ("level:5", "submit"), for tests
};

std::optional<Args> Parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (k == "--edge") a.edge = next();
    else if (k == "--ticket") a.ticket = next();
    else if (k == "--lang") a.lang = next();
    else if (k == "--font") a.font = next();
    else if (k == "--window") { if (std::sscanf(next().c_str(), "%dx%d", &a.width, &a.height) != 2) return std::nullopt; }
    else if (k == "--screenshot") a.screenshot = next();
    else if (k == "--after-frames") a.after_frames = std::atoi(next().c_str());
    else if (k == "--tap") a.taps.push_back(next());
    else return std::nullopt;
  }
  if (a.ticket.empty()) return std::nullopt;
  return a;
}

std::string NewKey() {
  std::random_device rd;
  char buf[40];
  std::snprintf(buf, sizeof buf, "kiosk-%08x%08x%08x", rd(), rd(), rd());
  return buf;
}

// A PNG of the framebuffer: zlib is already linked, so no image library is needed.
bool WritePng(const std::string& path, int w, int h, const std::vector<unsigned char>& rgba_bottom_up) {
  std::string raw;
  raw.reserve(static_cast<size_t>(h) * (w * 3 + 1));
  for (int y = h - 1; y >= 0; --y) {
    raw.push_back(0);
    for (int x = 0; x < w; ++x) raw.append(reinterpret_cast<const char*>(&rgba_bottom_up[(y * w + x) * 4]), 3);
  }
  uLongf zlen = compressBound(raw.size());
  std::string z(zlen, '\0');
  if (compress2(reinterpret_cast<Bytef*>(z.data()), &zlen, reinterpret_cast<const Bytef*>(raw.data()), raw.size(), 6) != Z_OK)
    return false;
  z.resize(zlen);
  std::ofstream out(path, std::ios::binary);
  auto be32 = [&](uint32_t v) { char b[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)}; out.write(b, 4); };
  auto chunk = [&](const char* type, const std::string& data) {
    be32(static_cast<uint32_t>(data.size()));
    std::string td = std::string(type, 4) + data;
    out.write(td.data(), static_cast<std::streamsize>(td.size()));
    be32(static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(td.data()), static_cast<uInt>(td.size()))));
  };
  out.write("\x89PNG\r\n\x1a\n", 8);
  std::string ihdr(13, '\0');
  for (int i = 0; i < 4; ++i) ihdr[i] = char(w >> (24 - 8 * i)), ihdr[4 + i] = char(h >> (24 - 8 * i));
  ihdr[8] = 8, ihdr[9] = 2;  // 8-bit RGB
  chunk("IHDR", ihdr);
  chunk("IDAT", z);
  chunk("IEND", "");
  return static_cast<bool>(out);
}

// The edge's answer to one submission, handed from the sending thread to the UI thread.
struct Outcome {
  std::mutex mu;
  bool ready = false;
  int status = 0;
  std::string body;
};

}  // namespace

int main(int argc, char** argv) {
  auto args = Parse(argc, argv);
  if (!args) {
    std::cerr << "usage: hcp-kiosk --ticket TICKET [--edge URL] [--lang zh|en] [--window WxH] [--font FILE]\n"
                 "                 [--screenshot OUT.png [--after-frames N] [--tap CONTROL ...]]\n";
    return 2;
  }
  httplib::Client edge(args->edge);
  edge.set_connection_timeout(3);
  edge.set_read_timeout(10);
  auto form = edge.Get(("/api/v1/form?ticket=" + httplib::detail::encode_query_param(args->ticket)).c_str());
  if (!form || form->status != 200) {
    std::cerr << "hcp-kiosk: cannot load the form from " << args->edge << ": "
              << (form ? std::to_string(form->status) + " " + form->body : httplib::to_string(form.error())) << "\n";
    return 1;
  }
  auto model_or = WidgetModel::FromFormJson(form->body, args->lang == "en" ? Lang::En : Lang::Zh);
  if (!model_or) {
    std::cerr << "hcp-kiosk: the edge's form does not decode: " << model_or.errors().front().id << "\n";
    return 1;
  }
  WidgetModel model = std::move(model_or).value();
  std::string font_bytes;
  {
    std::ifstream in(args->font, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    font_bytes = ss.str();
    if (font_bytes.empty()) {
      std::cerr << "hcp-kiosk: cannot read the font " << args->font << " (Debian: fonts-noto-cjk)\n";
      return 1;
    }
  }

  if (!glfwInit()) {
    std::cerr << "hcp-kiosk: no display (GLFW could not initialise)\n";
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  GLFWmonitor* monitor = nullptr;
  int w = args->width, h = args->height;
  if (w == 0) {
    monitor = glfwGetPrimaryMonitor();
    const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
    w = mode ? mode->width : 1024;
    h = mode ? mode->height : 768;
  }
  GLFWwindow* window = glfwCreateWindow(w, h, "好差评", monitor, nullptr);
  if (!window) {
    std::cerr << "hcp-kiosk: cannot open an OpenGL 3 window\n";
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ApplyStyle();
  float xscale = 1, yscale = 1;
  glfwGetWindowContentScale(window, &xscale, &yscale);
  // A hall device is read at arm's length: everything a fifth larger than on a desk, and the
  // whole panel still fits a 1280x800 tablet without scrolling.
  const float kiosk_scale = 1.2f;
  UiFonts fonts = LoadFonts(font_bytes.data(), static_cast<int>(font_bytes.size()), xscale * kiosk_scale, GlyphsFor(model), 2);
  ImGui::GetIO().FontGlobalScale = 1.0f / xscale;
  ImGui::GetStyle().ScaleAllSizes(kiosk_scale);
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 130");

  UiOptions options;
  options.draw_header = true;
  options.inline_comment_editor = true;
  options.min_touch = 56;
  Outcome outcome;
  std::string key, body;
  std::thread sender;
  auto send = [&] {
    if (sender.joinable()) sender.join();
    sender = std::thread([&, key, body] {
      auto res = edge.Post("/api/v1/ratings", httplib::Headers{{"Idempotency-Key", key}}, body, "application/json");
      std::lock_guard<std::mutex> lock(outcome.mu);
      outcome.ready = true;
      outcome.status = res ? res->status : 0;
      outcome.body = res ? res->body : "";
    });
  };
  auto retry_at = std::chrono::steady_clock::now();
  int backoff_s = 1;
  int frame = 0;
  size_t next_tap = 0;
  std::vector<std::pair<std::string, ImVec4>> targets;
  int tap_phase = 0;
  while (!glfwWindowShouldClose(window)) {
    // Idle like the browser: wait for input, but wake for retries and scripted runs.
    if (args->screenshot.empty() && model.phase() != Phase::Sending && model.phase() != Phase::Queued) glfwWaitEventsTimeout(1.0);
    else glfwPollEvents();
    {
      std::lock_guard<std::mutex> lock(outcome.mu);
      if (outcome.ready) {
        outcome.ready = false;
        Phase p = model.ApplyResponse(outcome.status, outcome.body);
        if (p == Phase::Queued) {
          retry_at = std::chrono::steady_clock::now() + std::chrono::seconds(backoff_s);
          backoff_s = std::min(backoff_s * 2, 60);
        }
      }
    }
    if (model.phase() == Phase::Queued && std::chrono::steady_clock::now() >= retry_at) {
      model.BeginSending();
      send();  // same key, same body: the edge stores it once
    }
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGuiIO& io = ImGui::GetIO();
    if (next_tap < args->taps.size() && frame > 2) {  // a scripted tap: move, press, release over three frames
      for (const auto& [k, v] : targets) {
        if (k != args->taps[next_tap]) continue;
        io.MousePos = ImVec2(v.x + v.z / 2, v.y + v.w / 2);
        io.MouseDown[0] = tap_phase == 1;
        if (++tap_phase == 3) tap_phase = 0, ++next_tap;
        break;
      }
    }
    ImGui::NewFrame();
    UiResult r = DrawWidget(model, options, fonts);
    targets = r.targets;
    ImGui::Render();
    int fw, fh;
    glfwGetFramebufferSize(window, &fw, &fh);
    glViewport(0, 0, fw, fh);
    glClearColor(1, 1, 1, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    if (r.submit) {
      key = NewKey();
      body = model.SubmissionJson(args->ticket, "hcp-kiosk/0.1");
      backoff_s = 1;
      model.BeginSending();
      send();
    }
    ++frame;
    if (!args->screenshot.empty() && frame >= args->after_frames && next_tap >= args->taps.size() &&
        model.phase() != Phase::Sending) {
      std::vector<unsigned char> px(static_cast<size_t>(fw) * fh * 4);
      glReadPixels(0, 0, fw, fh, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
      const bool ok = WritePng(args->screenshot, fw, fh, px);
      std::cout << Dump(Json::parse(model.StateJson(), nullptr, false)) << std::endl;
      if (!ok) std::cerr << "hcp-kiosk: cannot write " << args->screenshot << "\n";
      glfwSwapBuffers(window);
      if (sender.joinable()) sender.join();
      ImGui_ImplOpenGL3_Shutdown();
      ImGui_ImplGlfw_Shutdown();
      ImGui::DestroyContext();
      glfwDestroyWindow(window);
      glfwTerminate();
      return ok ? 0 : 1;
    }
    glfwSwapBuffers(window);
  }
  if (sender.joinable()) sender.join();
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return 0;
}
