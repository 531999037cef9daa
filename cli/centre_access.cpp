#include "centre_access.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "central_config.h"

namespace hcp::cli {

std::optional<CentreAccess> OpenCentre(const std::string& command, const ParsedArgs& args, int& exit_code) {
  central::CentralSettings s;
  Errors errors;
  if (auto file = args.Get("config")) {
    auto text = ReadFile(*file);
    if (!text) errors = text.errors();
    else errors = central::ApplyCentralConfigFile(*text, s);
  }
  if (auto v = args.Get("data")) s.data_dir = *v;
  if (auto v = args.Get("db")) s.db = *v;
  if (auto v = args.Get("calendar")) s.calendar_dir = *v;
  CentreAccess access;
  auto calendar = LoadCalendar(s.calendar_dir.empty() ? std::nullopt : std::optional<std::string>(s.calendar_dir));
  if (calendar) access.calendar = std::move(calendar).value();
  else errors.insert(errors.end(), calendar.errors().begin(), calendar.errors().end());
  access.limits = CaseLimits{s.return_visit_days, s.rectify_days, s.rectify_complex_days, s.invalid_report_days,
                             s.review_days};
  for (auto& e : ValidateCaseLimits(access.limits)) errors.push_back(e);
  access.report_options = s.report_options;
  access.report_options.hall_names = s.public_settings.hall_names;  // named as on the public page
  if (!errors.empty()) {
    PrintErrors(errors);
    exit_code = kExitUsage;
    return std::nullopt;
  }
  if (s.data_dir.empty() && s.db.empty()) {
    std::cerr << "hcp " << command << ": say which centre: --data DIR (or --db postgresql://...)\n";
    exit_code = kExitUsage;
    return std::nullopt;
  }
  if (s.db.empty() && !std::filesystem::exists(std::filesystem::path(s.data_dir) / "central.db")) {
    std::cerr << "hcp " << command << ": no central.db in " << s.data_dir << "\n";
    exit_code = kExitStore;
    return std::nullopt;
  }
  std::string error;
  access.store = central::OpenStore(s.db, s.data_dir, error);
  if (!access.store) {
    std::cerr << "hcp " << command << ": " << error << "\n";
    exit_code = kExitStore;
    return std::nullopt;
  }
  return access;
}

OutputFile::~OutputFile() {
  if (path_ != "-" && !committed_ && out_.is_open()) {
    out_.close();
    std::remove((path_ + ".tmp").c_str());
  }
}

bool OutputFile::Open(std::string& error) {
  if (path_ == "-") return true;
  out_.open(path_ + ".tmp", std::ios::binary | std::ios::trunc);
  if (!out_) error = "cannot write " + path_;
  return static_cast<bool>(out_);
}

void OutputFile::Write(std::string_view text) {
  if (path_ == "-") std::cout << text;
  else out_ << text;
}

bool OutputFile::Commit(std::string& error) {
  if (path_ == "-") {
    std::cout.flush();
    return true;
  }
  out_.flush();
  const bool written = static_cast<bool>(out_);
  out_.close();
  std::error_code ec;
  if (written) std::filesystem::rename(path_ + ".tmp", path_, ec);
  if (!written || ec) {
    error = "cannot write " + path_ + (ec ? ": " + ec.message() : "");
    std::remove((path_ + ".tmp").c_str());
    return false;
  }
  committed_ = true;
  return true;
}

bool WriteFileAtomically(const std::string& path, const std::string& content, std::string& error) {
  OutputFile out(path);
  if (!out.Open(error)) return false;
  out.Write(content);
  return out.Commit(error);
}

}  // namespace hcp::cli
