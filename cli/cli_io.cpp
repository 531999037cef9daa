#include "cli_io.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace hcp::cli {

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("file.unreadable", "", path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string ReadStdin() {
  return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

Result<WorkingCalendar> LoadCalendar(const std::optional<std::string>& dir) {
  auto cal = WorkingCalendar::Embedded();
  if (!cal || !dir) return cal;
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(*dir, ec))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  if (ec) return MakeError("file.unreadable", "", *dir);
  std::sort(files.begin(), files.end());
  WorkingCalendar out = std::move(cal).value();
  for (const auto& f : files) {
    auto text = ReadFile(f.string());
    if (!text) return text.errors();
    auto year = WorkingCalendar::ParseYear(*text);
    if (!year) {
      Errors errors = year.errors();
      for (auto& e : errors) e.field = f.string();
      return errors;
    }
    out.Put(std::move(year).value());
  }
  return out;
}

Result<ReasonCatalogue> LoadCatalogue(const std::optional<std::string>& file) {
  if (!file) return ReasonCatalogue::Embedded();
  auto text = ReadFile(*file);
  if (!text) return text.errors();
  return ReasonCatalogue::Parse(*text);
}

std::optional<std::string> ParsedArgs::Get(const std::string& name) const {
  for (auto it = options.rbegin(); it != options.rend(); ++it)
    if (it->first == name) return it->second;
  return std::nullopt;
}

std::vector<std::string> ParsedArgs::GetAll(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& [n, v] : options)
    if (n == name) out.push_back(v);
  return out;
}

std::optional<ParsedArgs> ParseArgs(const std::vector<std::string>& args, const std::vector<std::string>& known,
                                    const std::vector<std::string>& flags) {
  ParsedArgs out;
  auto is = [](const std::vector<std::string>& list, const std::string& s) {
    return std::find(list.begin(), list.end(), s) != list.end();
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-h" || a == "--help") {
      out.help = true;
    } else if (a.rfind("--", 0) == 0 && a.size() > 2) {
      std::string name = a.substr(2), value;
      const auto eq = name.find('=');
      if (eq != std::string::npos) {
        value = name.substr(eq + 1);
        name.resize(eq);
      }
      if (is(flags, name)) {
        out.options.emplace_back(name, "true");
        continue;
      }
      if (!is(known, name)) {
        std::cerr << "hcp: unknown option --" << name << " (see --help)\n";
        return std::nullopt;
      }
      if (eq == std::string::npos) {
        if (i + 1 >= args.size()) {
          std::cerr << "hcp: option --" << name << " needs a value\n";
          return std::nullopt;
        }
        value = args[++i];
      }
      out.options.emplace_back(name, value);
    } else {
      out.positional.push_back(a);
    }
  }
  return out;
}

void PrintErrors(const Errors& errors, const char* prefix) {
  for (const auto& e : errors) {
    std::cerr << prefix << ": " << e.id;
    if (!e.field.empty()) std::cerr << " [" << e.field << "]";
    std::cerr << ": " << e.message << " / " << e.message_en << "\n";
  }
}

}  // namespace hcp::cli
