#pragma once
// Everything `hcp central` can be told: flags for the essentials, a JSON file (--config) for all of
// it; flags win over the file. docs/deploy.md documents every key. A bad configuration stops the
// centre with what to fix (config.invalid naming the key).
#include <string>
#include <string_view>
#include <vector>

#include "hcp/result.h"

namespace hcp::central {

struct CentralSettings {
  std::string listen_host = "127.0.0.1";
  int listen_port = 9090;
  std::string data_dir;                  // central.db (SQLite) and admin.token
  std::vector<std::string> trust_edges;  // edge.pub files
  std::string seal_key;                  // seal.key: opens contacts, seals reported phones
  std::string issuer_key;                // issuer.key: the centre issues tickets for reported cases
  std::string db;                        // postgresql://… ; empty: SQLite in data_dir
  std::string link_base;                 // public edge URL for short links, e.g. https://pj.example.gov.cn
  int ticket_days = 30;                  // rating period of an issued ticket without exp
  int threads = 32;
  int max_clock_skew_s = 300;
  double link_rate_per_second = 50;      // GET /api/v1/links/{code} per client address; an edge is one
  double link_rate_burst = 200;
  // Back-office sign-in (issue 6 part B): session lifetime, and whether the session cookie is
  // marked Secure (false only for plain-HTTP use on one machine; docs/deploy.md).
  int session_hours = 8;
  bool cookie_secure = true;
};

// Reads the config file's JSON text into `settings` (absent keys keep their value). Unknown keys
// and wrong types are refused, every problem at once.
Errors ApplyCentralConfigFile(std::string_view json_text, CentralSettings& settings);
// "HOST:PORT", "[::1]:PORT" or ":PORT" (all addresses).
Errors ApplyCentralListen(std::string_view listen, CentralSettings& settings);
// The whole configuration after flags and file: every problem at once.
Errors ValidateCentralSettings(const CentralSettings& settings);

}  // namespace hcp::central
