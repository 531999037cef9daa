#include "hcp/wire.h"

#include <algorithm>
#include <cstring>

#include "hcp/json_text.h"
#include "hcp/level.h"
#include "hcp/utf8.h"

namespace hcp {
namespace {

Error TypeError(std::string field, std::string_view expected) {
  return MakeError("request.field_type", std::move(field), expected);
}

// The field an error is about, without its index or sub-key: "reasons[1]" → "reasons".
std::string_view RootField(std::string_view field) {
  return field.substr(0, std::min(field.find('['), field.find('.')));
}

}  // namespace

size_t JsonStringEnd(std::string_view s, size_t open) {
  for (size_t from = open + 1; from < s.size();) {
    const void* quote = std::memchr(s.data() + from, '"', s.size() - from);
    if (!quote) break;
    const size_t at = static_cast<size_t>(static_cast<const char*>(quote) - s.data());
    size_t slashes = 0;  // an odd run of backslashes before it escapes the quote
    while (at - slashes > open + 1 && s[at - slashes - 1] == '\\') ++slashes;
    if (slashes % 2 == 0) return at + 1;
    from = at + 1;
  }
  return s.size();
}

void AppendJsonString(std::string& out, std::string_view v) {
  // The library writes valid UTF-8 (Chinese names) as it is and escapes only controls, quotes and
  // backslashes; invalid UTF-8 it replaces, so that case is left to it.
  bool ascii = true;
  const bool plain = std::all_of(v.begin(), v.end(), [&](unsigned char c) {
    ascii = ascii && c < 0x80;
    return c >= 0x20 && c != '"' && c != '\\';
  });
  if (!plain || (!ascii && !IsValidUtf8(v))) {
    out += Dump(Json(std::string(v)));
    return;
  }
  out += '"';
  out += v;
  out += '"';
}

Result<Json> ParseJson(std::string_view text, int max_depth) {
  if (!IsValidUtf8(text)) return MakeError("request.invalid_utf8");
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      i = JsonStringEnd(text, i) - 1;  // strings are most of the bytes: skipped by memchr, not byte by byte
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return MakeError("request.too_deep", "", std::to_string(max_depth));
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded()) return MakeError("request.invalid_json");
  return j;
}

std::string Dump(const Json& j, int indent) { return j.dump(indent, ' ', false, Json::error_handler_t::replace); }

Json ErrorToJson(const Error& e) {
  return Json{{"id", e.id}, {"field", e.field}, {"message", e.message}, {"message_en", e.message_en}};
}

Json ErrorsToJson(const Errors& errors) {
  Json list = Json::array();
  for (const auto& e : errors) list.push_back(ErrorToJson(e));
  return Json{{"errors", std::move(list)}};
}

DecodedRating DecodeRating(const Json& body) {
  DecodedRating out;
  if (!body.is_object()) {
    out.errors.push_back(MakeError("request.not_object"));
    return out;
  }
  RatingSubmission& r = out.rating;
  for (const auto& [key, v] : body.items()) {
    if (key == "ticket") {
      if (v.is_string()) r.ticket = v.get<std::string>();
      else out.errors.push_back(TypeError(key, "string"));
    } else if (key == "satisfaction") {
      // A number that is not a whole 1..5 is a level that does not exist, not a type error.
      if (v.is_number_integer()) r.satisfaction = v.get<int64_t>() >= -1000 && v.get<int64_t>() <= 1000 ? v.get<int>() : 0;
      else if (v.is_number()) r.satisfaction = 0;
      else if (!v.is_null()) out.errors.push_back(TypeError(key, "integer 1..5"));
    } else if (key == "reasons") {
      if (!v.is_array()) {
        if (!v.is_null()) out.errors.push_back(TypeError(key, "list of strings"));
        continue;
      }
      for (size_t i = 0; i < v.size(); ++i) {
        if (v[i].is_string()) r.reasons.push_back(v[i].get<std::string>());
        else out.errors.push_back(TypeError("reasons[" + std::to_string(i) + "]", "string"));
      }
    } else if (key == "comment") {
      if (v.is_string()) r.comment = v.get<std::string>();
      else if (!v.is_null()) out.errors.push_back(TypeError(key, "string"));
    } else if (key == "public") {
      if (v.is_boolean()) r.is_public = v.get<bool>();
      else if (!v.is_null()) out.errors.push_back(TypeError(key, "true or false"));
    } else if (key == "dimensions") {
      if (!v.is_object()) {
        if (!v.is_null()) out.errors.push_back(TypeError(key, "object of scores"));
        continue;
      }
      for (const auto& [dim, score] : v.items()) {
        if (score.is_number_integer() && score.get<int64_t>() >= -1000 && score.get<int64_t>() <= 1000)
          r.dimensions[dim] = score.get<int>();
        else if (score.is_number()) r.dimensions[dim] = 0;
        else out.errors.push_back(TypeError("dimensions." + dim, "integer 1..5"));
      }
    } else if (key == "catalogue_version") {
      if (v.is_string()) r.catalogue_version = v.get<std::string>();
      else out.errors.push_back(TypeError(key, "string"));
    } else if (key == "client") {
      // Clients describe themselves freely; keep it short and never interpret it.
      if (v.is_string()) r.client = TruncateUtf8(v.get<std::string>(), 200);
      else if (v.is_object()) r.client = TruncateUtf8(Dump(v), 200);
      else if (!v.is_null()) out.errors.push_back(TypeError(key, "string or object"));
    } else {
      // Reject typos ("satisfation") loudly rather than silently dropping what a client meant.
      out.errors.push_back(MakeError("request.unknown_field", key.substr(0, 40)));
    }
  }
  return out;
}

Json EncodeRating(const RatingSubmission& r) {
  Json j = {{"satisfaction", r.satisfaction ? Json(*r.satisfaction) : Json(nullptr)},
            {"reasons", r.reasons},
            {"comment", r.comment},
            {"public", r.is_public},
            {"dimensions", r.dimensions}};
  if (!r.ticket.empty()) j["ticket"] = r.ticket;
  if (!r.catalogue_version.empty()) j["catalogue_version"] = r.catalogue_version;
  if (!r.client.empty()) j["client"] = r.client;
  return j;
}

Errors CheckRating(const Json& body, const ReasonCatalogue& catalogue, const RatingLimits& limits,
                   std::optional<bool> online_channel) {
  return CheckRating(DecodeRating(body), catalogue, limits, online_channel);
}

Errors CheckRating(const DecodedRating& decoded, const ReasonCatalogue& catalogue, const RatingLimits& limits,
                   std::optional<bool> online_channel) {
  Errors errors = decoded.errors;
  // Not an object: nothing was decoded, so there is nothing to validate.
  if (std::any_of(errors.begin(), errors.end(), [](const Error& e) { return e.id == "request.not_object"; }))
    return errors;
  for (auto& e : ValidateRating(decoded.rating, catalogue, limits, online_channel)) {
    const bool already = std::any_of(decoded.errors.begin(), decoded.errors.end(), [&](const Error& d) {
      // A type error already explains its own field (or, on a whole list or object, every
      // member); another member's validation error still has to be told.
      return !d.field.empty() && (d.field == e.field || d.field == RootField(e.field));
    });
    if (!already) errors.push_back(std::move(e));
  }
  return errors;
}

Json FormToJson(const FormDefinition& form, const ReasonCatalogue& catalogue) {
  const bool online = IsOnline(form.channel);
  Json levels = Json::array();
  for (Level l : kAllLevels) {
    levels.push_back({{"value", static_cast<int>(l)},
                      {"key", LevelKey(l)},
                      {"zh", LevelName(l, Lang::Zh)},
                      {"en", LevelName(l, Lang::En)},
                      {"good", IsGood(l)}});
  }
  Json reasons = Json::array();
  for (const auto& r : catalogue.reasons()) {
    if (!r.Fits(online)) continue;
    Json lv = Json::array();
    for (Level l : r.levels) lv.push_back(static_cast<int>(l));
    reasons.push_back({{"code", r.code}, {"zh", r.zh}, {"en", r.en}, {"levels", lv}});
  }
  Json dims = Json::array();
  for (const Dimension* d : catalogue.DimensionsFor(online)) dims.push_back({{"key", d->key}, {"zh", d->zh}, {"en", d->en}});
  return Json{{"item", form.item},
              {"item_name", form.item_name},
              {"unit", form.unit},
              {"unit_name", form.unit_name},
              {"channel", ChannelKey(form.channel)},
              {"online", online},
              {"assess", form.assess},
              {"already_rated", form.already_rated},
              {"catalogue_version", catalogue.version()},
              {"levels", levels},
              {"reasons", reasons},
              {"dimensions", dims},
              {"limits", {{"comment_max", form.limits.comment_max}, {"max_reasons", form.limits.max_reasons}}}};
}

Result<DecodedForm> FormFromJson(const Json& j) {
  auto bad = [](std::string field, std::string_view expected) { return TypeError(std::move(field), expected); };
  if (!j.is_object()) return MakeError("request.not_object");
  FormDefinition form;
  for (const char* key : {"item", "item_name", "unit", "unit_name", "channel", "catalogue_version"})
    if (!j.contains(key) || !j[key].is_string()) return bad(key, "string");
  form.item = j["item"].get<std::string>();
  form.item_name = j["item_name"].get<std::string>();
  form.unit = j["unit"].get<std::string>();
  form.unit_name = j["unit_name"].get<std::string>();
  auto channel = ParseChannel(j["channel"].get<std::string>());
  if (!channel) return channel.errors();
  form.channel = *channel;
  if (j.contains("assess") && j["assess"].is_number_integer()) form.assess = j["assess"].get<int>();
  if (j.contains("already_rated") && j["already_rated"].is_boolean()) form.already_rated = j["already_rated"].get<bool>();
  if (!j.contains("limits") || !j["limits"].is_object()) return bad("limits", "object");
  const Json& limits = j["limits"];
  if (!limits.contains("comment_max") || !limits["comment_max"].is_number_integer()) return bad("limits.comment_max", "integer");
  form.limits.comment_max = limits["comment_max"].get<int>();
  if (limits.contains("max_reasons") && limits["max_reasons"].is_number_integer())
    form.limits.max_reasons = limits["max_reasons"].get<int>();
  // The form's reasons and dimensions are exactly the offered subset of a catalogue: rebuild one so
  // the browser validates with the same code as the server.
  const bool online = IsOnline(form.channel);
  Json cat = {{"version", j["catalogue_version"]}, {"reasons", Json::array()}, {"dimensions", Json::array()}};
  if (j.contains("reasons") && j["reasons"].is_array()) {
    for (Json r : j["reasons"]) {
      if (!r.is_object()) return bad("reasons", "list of objects");
      r["online"] = online;
      r["offline"] = !online;
      cat["reasons"].push_back(std::move(r));
    }
  }
  if (j.contains("dimensions") && j["dimensions"].is_array()) {
    for (Json d : j["dimensions"]) {
      if (!d.is_object()) return bad("dimensions", "list of objects");
      d["online"] = online;
      d["offline"] = !online;
      cat["dimensions"].push_back(std::move(d));
    }
  }
  auto catalogue = ReasonCatalogue::Parse(Dump(cat));
  if (!catalogue) return catalogue.errors();
  return DecodedForm{std::move(form), std::move(catalogue).value()};
}

}  // namespace hcp
