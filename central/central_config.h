#pragma once
// Everything `hcp central` can be told: flags for the essentials, a JSON file (--config) for all of
// it; flags win over the file. docs/deploy.md documents every key. A bad configuration stops the
// centre with what to fix (config.invalid naming the key).
#include <string>
#include <string_view>
#include <vector>

#include "hcp/result.h"
#include "notify_config.h"
#include "public_config.h"
#include "report_config.h"

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
  // The closed loop (issue 6 part A): the working-day calendar's folder (year files over the
  // embedded ones) and every limit, in working days (DOMAIN.md §2 defaults; regions differ).
  std::string calendar_dir;   // "calendar"; empty: the embedded years only
  std::string admin_web;      // the back office's pages (web/admin), served under /admin/; empty: hcp's default
  int return_visit_days = 2;  // "closed_loop": {"return_visit": 2, "rectify": 10, "rectify_complex": 15,
  int rectify_days = 10;      //   "invalid_report": 10, "review": 0, "default_rating_days": 5,
  int rectify_complex_days = 15;  //   "default_rating_count": "working" | "natural"}
  int invalid_report_days = 10;
  int review_days = 0;        // 0: the office's review has no deadline
  int default_rating_days = 5;
  bool default_rating_natural_days = false;  // Guangdong counted 7 natural days
  // The outboxes (issue 6; docs/notifications.md): "sms" and "webhooks" of the config file.
  NotifySettings notify;
  PublicSettings public_settings;  // "public": the public page and API (issue 7; public_config.h)
  ReportOptions report_options;    // "report": the 通报's options (issue 7; report_config.h)
};

// Reads the config file's JSON text into `settings` (absent keys keep their value). Unknown keys
// and wrong types are refused, every problem at once.
Errors ApplyCentralConfigFile(std::string_view json_text, CentralSettings& settings);
// "HOST:PORT", "[::1]:PORT" or ":PORT" (all addresses).
Errors ApplyCentralListen(std::string_view listen, CentralSettings& settings);
// The whole configuration after flags and file: every problem at once.
Errors ValidateCentralSettings(const CentralSettings& settings);

}  // namespace hcp::central
