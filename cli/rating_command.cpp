// hcp rating validate: the server's validation, for integrators and scripts.
#include <iostream>

#include "cli_io.h"
#include "commands.h"
#include "hcp/channel.h"
#include "hcp/wire.h"

namespace hcp::cli {
namespace {

constexpr const char* kHelp = R"(usage: hcp rating validate [--catalogue FILE] [--channel CHANNEL] [--comment-max N]

Reads one rating (JSON) on standard input and checks it with exactly the rules the edge applies.
Prints "ok" (exit 0), or the list of every problem as JSON (exit 1):
  {"errors": [{"id": "rating.reason_required", "field": "reasons", "message": "…", "message_en": "…"}]}

rating fields: satisfaction (1..5, 5 = 非常满意), reasons (3-digit codes), comment (at most 500
characters), public (true/false), dimensions ({"efficiency": 4}), catalogue_version, ticket, client.
A bad rating (satisfaction 1 or 2) needs at least one reason or a comment.

options:
  --catalogue FILE  reason catalogue to check codes against (default: the compiled-in one)
  --channel NAME    pc, mobile, qr, tablet, terminal, sms or phone: also check that reasons and
                    dimensions are offered on that (online or offline) channel
  --comment-max N   comment limit in characters (default 500)

example:
  echo '{"satisfaction": 1, "reasons": ["203"], "comment": "等了三天"}' | hcp rating validate
)";

}  // namespace

int RatingCommand(const Args& args) {
  auto parsed = ParseArgs(args, {"catalogue", "channel", "comment-max"});
  if (!parsed) return 2;
  if (parsed->help || parsed->positional.size() != 1 || parsed->positional[0] != "validate") {
    std::cout << kHelp;
    return parsed->help ? 0 : 2;
  }
  auto catalogue = LoadCatalogue(parsed->Get("catalogue"));
  if (!catalogue) {
    PrintErrors(catalogue.errors());
    return 2;
  }
  RatingLimits limits;
  if (auto max = parsed->Get("comment-max")) {
    char* end = nullptr;
    limits.comment_max = static_cast<int>(std::strtol(max->c_str(), &end, 10));
    if (max->empty() || *end != '\0' || limits.comment_max < 1) {
      std::cerr << "hcp rating validate: --comment-max must be a positive number\n";
      return 2;
    }
  }
  std::optional<bool> online;
  if (auto name = parsed->Get("channel")) {
    auto channel = ParseChannel(*name);
    if (!channel) {
      PrintErrors(channel.errors());
      return 2;
    }
    online = IsOnline(*channel);
  }
  auto body = ParseJson(ReadStdin());
  Errors errors = body ? CheckRating(*body, *catalogue, limits, online) : body.errors();
  if (errors.empty()) {
    std::cout << "ok\n";
    return 0;
  }
  std::cout << Dump(ErrorsToJson(errors), 2) << "\n";
  return 1;
}

}  // namespace hcp::cli
