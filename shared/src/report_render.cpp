#include "hcp/report_render.h"

#include <algorithm>

#include "hcp/csv.h"
#include "hcp/public_figures.h"

namespace hcp {
namespace {

std::string_view LayerName(std::string_view layer) {
  if (layer == "total") return "合计";
  if (layer == "hall") return "大厅";
  if (layer == "unit") return "单位";
  return "窗口";
}

std::optional<long> ShownPermille(const Rate& r, long min_sample) {
  if (r.Suppressed(min_sample)) return std::nullopt;
  return Permille(r);
}

// The change of the published 好评率, in tenths of a percentage point: the difference of the two
// rounded figures as printed, so a reader's subtraction agrees. None when either is suppressed.
std::optional<long> GoodRateChange(const ReportRow& row, long min_sample) {
  if (!row.previous) return std::nullopt;
  const auto now = ShownPermille(GoodRate(row.tally), min_sample);
  const auto before = ShownPermille(GoodRate(*row.previous), min_sample);
  if (!now || !before) return std::nullopt;
  return *now - *before;
}

std::string RepeatText(const ReportRow& row, const PeriodReport& r, std::string_view layer) {
  if (layer != "unit") return "";
  if (r.kind == ReportKind::Annual) return row.repeat_months ? std::to_string(row.repeat_months) + "个月" : "";
  std::string out;
  if (row.repeat_in_month) out = "本月差评" + std::to_string(row.repeat_bad_count) + "条";
  if (row.repeat_consecutive) {
    if (!out.empty()) out += "；";
    out += "连续" + std::to_string(row.repeat_consecutive) + "个月被差评";
  }
  return out;
}

std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string SignedCount(long d) { return (d > 0 ? "+" : "") + std::to_string(d); }

struct Section {
  std::string_view layer;
  const std::vector<ReportRow>* rows;
};

std::vector<Section> Sections(const PeriodReport& r, const std::vector<ReportRow>& total) {
  return {{"total", &total}, {"hall", &r.halls}, {"unit", &r.units}, {"window", &r.windows}};
}

}  // namespace

Result<ReportFormat> ParseReportFormat(std::string_view name) {
  if (name == "html") return ReportFormat::Html;
  if (name == "csv") return ReportFormat::Csv;
  if (name == "json") return ReportFormat::Json;
  return MakeError("report.format_unknown", "format", name.substr(0, 20));
}

std::string_view ReportFormatName(ReportFormat f) {
  switch (f) {
    case ReportFormat::Html: return "html";
    case ReportFormat::Csv: return "csv";
    case ReportFormat::Json: return "json";
  }
  return "";
}

std::string ReportTitlePeriod(const PeriodReport& r) {
  const std::string year = std::to_string(r.period.first.year()) + "年";
  return r.kind == ReportKind::Annual ? year : year + std::to_string(r.period.first.month()) + "月";
}

const std::vector<std::string>& ReportCsvHeader() {
  static const std::vector<std::string> kHeader = {
      "层级", "编码", "名称", "评价数", "默认评价数", "好评数", "差评数", "好评率", "好评率（不含默认评价）",
      "有效差评", "已整改", "按时整改", "逾期整改", "超期未办结", "待核实", "整改率", "按时整改率", "排名",
      "上期评价数", "评价数变化", "上期好评率", "好评率变化（百分点）", "计入反复差评的差评数", "反复被差评"};
  return kHeader;
}

std::string RenderReportCsv(const PeriodReport& r) {
  const long m = r.options.min_sample;
  std::string out(kUtf8Bom);
  out += CsvTextRow(ReportCsvHeader());
  const std::vector<ReportRow> total{r.total};
  for (const Section& s : Sections(r, total)) {
    for (const ReportRow& row : *s.rows) {
      const auto change = GoodRateChange(row, m);
      auto n = [](long v) { return CsvNumber(std::to_string(v)); };
      out += CsvRow({CsvText(LayerName(s.layer)),
                     CsvText(s.layer == "total" ? "" : row.key),
                     CsvText(row.name),
                     n(row.tally.Total()),
                     n(row.tally.Defaults()),
                     n(GoodCount(row.tally)),
                     n(BadCount(row.tally)),
                     CsvText(FormatRate(GoodRate(row.tally), m)),
                     CsvText(FormatRate(GoodRateExcludingDefaults(row.tally), m)),
                     n(row.cases.ValidBad()),
                     n(row.cases.Rectified()),
                     n(row.cases.RectifiedOnTime()),
                     n(RectifiedLate(row.cases)),
                     n(row.cases.Overdue()),
                     n(row.pending),
                     CsvText(FormatRate(RectificationRate(row.cases), m)),
                     CsvText(FormatRate(OnTimeRate(row.cases), m)),
                     s.layer == "total" || row.rank == 0 ? CsvText(s.layer == "total" ? "" : "—") : n(row.rank),
                     row.previous ? n(row.previous->Total()) : CsvText(""),
                     n(row.tally.Total() - (row.previous ? row.previous->Total() : 0)),
                     row.previous ? CsvText(FormatRate(GoodRate(*row.previous), m)) : CsvText(""),
                     change ? CsvNumber(FormatPermille(*change)) : CsvText(""),
                     s.layer == "unit" ? n(row.repeat_bad_count) : CsvText(""),
                     CsvText(RepeatText(row, r, s.layer))});
    }
  }
  return out;
}

namespace {

Json RowToJson(const ReportRow& row, const PeriodReport& r, std::string_view layer) {
  const long m = r.options.min_sample;
  const auto change = GoodRateChange(row, m);
  Json j{{"key", row.key},
         {"name", row.name},
         {"ratings", row.tally.Total()},
         {"default_ratings", row.tally.Defaults()},
         {"excluded_ratings", row.tally.Excluded()},
         {"good_ratings", GoodCount(row.tally)},
         {"bad_ratings", BadCount(row.tally)},
         {"good_rate", RateToJson(GoodRate(row.tally), m)},
         {"good_rate_excluding_defaults", RateToJson(GoodRateExcludingDefaults(row.tally), m)},
         {"valid_bad_ratings", row.cases.ValidBad()},
         {"rectified", row.cases.Rectified()},
         {"rectified_on_time", row.cases.RectifiedOnTime()},
         {"rectified_late", RectifiedLate(row.cases)},
         {"overdue_open", row.cases.Overdue()},
         {"pending_verification", row.pending},
         {"closed_invalid", row.cases.ClosedInvalid()},
         {"rectification_rate", RateToJson(RectificationRate(row.cases), m)},
         {"on_time_rate", RateToJson(OnTimeRate(row.cases), m)}};
  if (layer != "total") j["rank"] = row.rank ? Json(row.rank) : Json(nullptr);
  if (row.previous) {
    j["previous"] = {{"ratings", row.previous->Total()}, {"good_rate", RateToJson(GoodRate(*row.previous), m)}};
  } else {
    j["previous"] = nullptr;
  }
  j["change"] = {{"ratings", row.tally.Total() - (row.previous ? row.previous->Total() : 0)},
                 {"good_rate_points", change ? Json(FormatPermille(*change)) : Json(nullptr)}};
  if (layer == "unit") {
    j["repeat_bad"] = {{"counted_bad_ratings", row.repeat_bad_count},
                       {"flagged", r.kind == ReportKind::Monthly ? row.RepeatBad() : row.repeat_months > 0},
                       {"in_month", row.repeat_in_month},
                       {"consecutive_months", row.repeat_consecutive},
                       {"months_flagged", row.repeat_months}};
  }
  return j;
}

}  // namespace

Json ReportToJson(const PeriodReport& r) {
  auto rows = [&](const std::vector<ReportRow>& v, std::string_view layer) {
    Json list = Json::array();
    for (const auto& row : v) list.push_back(RowToJson(row, r, layer));
    return list;
  };
  return Json{{"kind", r.kind == ReportKind::Monthly ? "monthly" : "annual"},
              {"title", ReportTitlePeriod(r)},
              {"period", {{"from", r.period.first.ToString()}, {"to", r.period.last.ToString()}}},
              {"previous_period", {{"from", r.previous.first.ToString()}, {"to", r.previous.last.ToString()}}},
              {"as_of", r.as_of.ToString()},
              {"min_sample", r.options.min_sample},
              {"repeat_rule",
               {{"min_in_month", r.options.repeat.min_in_month},
                {"consecutive_months", r.options.repeat.consecutive_months},
                {"count_invalid", r.options.repeat.count_invalid}}},
              {"total", RowToJson(r.total, r, "total")},
              {"halls", rows(r.halls, "hall")},
              {"units", rows(r.units, "unit")},
              {"windows", rows(r.windows, "window")}};
}

namespace {

// A horizontal bar chart of 好评率, one bar per ranked group; suppressed groups are listed without a
// bar. Plain SVG with its own text, so it prints and needs no script or font download.
std::string GoodRateChart(const std::vector<ReportRow>& rows, long min_sample, std::string_view title) {
  constexpr int kLabel = 190, kBar = 360, kRow = 22, kTop = 26;
  const int height = kTop + kRow * static_cast<int>(rows.size()) + 8;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"" +
                    std::to_string(kLabel + kBar + 70) + "\" height=\"" + std::to_string(height) +
                    "\" viewBox=\"0 0 " + std::to_string(kLabel + kBar + 70) + " " + std::to_string(height) +
                    "\" font-family=\"sans-serif\" font-size=\"12\"><title>" + Escape(title) + "</title>";
  svg += "<text x=\"0\" y=\"14\" font-weight=\"bold\">" + Escape(title) + "</text>";
  int y = kTop;
  for (const ReportRow& row : rows) {
    const auto p = ShownPermille(GoodRate(row.tally), min_sample);
    svg += "<text x=\"" + std::to_string(kLabel - 6) + "\" y=\"" + std::to_string(y + 14) +
           "\" text-anchor=\"end\">" + Escape(row.name) + "</text>";
    if (p) {
      const long w = *p * kBar / 1000;
      svg += "<rect x=\"" + std::to_string(kLabel) + "\" y=\"" + std::to_string(y + 3) + "\" width=\"" +
             std::to_string(w) + "\" height=\"" + std::to_string(kRow - 6) + "\" fill=\"#3b7dd8\"/>";
      svg += "<text x=\"" + std::to_string(kLabel + w + 4) + "\" y=\"" + std::to_string(y + 14) + "\">" +
             FormatPermille(*p) + "%</text>";
    } else {
      svg += "<text x=\"" + std::to_string(kLabel) + "\" y=\"" + std::to_string(y + 14) + "\" fill=\"#777\">" +
             InsufficientSample() + "</text>";
    }
    y += kRow;
  }
  svg += "</svg>";
  return svg;
}

std::string HtmlTable(const std::vector<ReportRow>& rows, const PeriodReport& r, std::string_view layer) {
  const long m = r.options.min_sample;
  const bool units = layer == "unit";
  std::string t = "<table><thead><tr><th>排名</th><th>名称</th><th>评价数</th><th>好评率</th>"
                  "<th>好评率（不含默认）</th><th>差评数</th><th>有效差评</th><th>按时整改</th><th>逾期整改</th>"
                  "<th>超期未办结</th><th>整改率</th><th>上期好评率</th><th>评价数变化</th><th>好评率变化</th>";
  if (units) t += "<th>反复被差评</th>";
  t += "</tr></thead><tbody>";
  for (const ReportRow& row : rows) {
    const auto change = GoodRateChange(row, m);
    const long count_change = row.tally.Total() - (row.previous ? row.previous->Total() : 0);
    t += "<tr><td>" + (layer == "total" ? std::string() : row.rank ? std::to_string(row.rank) : "—") + "</td><td>" +
         Escape(row.name) + "</td><td>" + std::to_string(row.tally.Total()) + "</td><td>" +
         FormatRate(GoodRate(row.tally), m) + "</td><td>" + FormatRate(GoodRateExcludingDefaults(row.tally), m) +
         "</td><td>" + std::to_string(BadCount(row.tally)) + "</td><td>" + std::to_string(row.cases.ValidBad()) +
         "</td><td>" + std::to_string(row.cases.RectifiedOnTime()) + "</td><td>" +
         std::to_string(RectifiedLate(row.cases)) + "</td><td>" + std::to_string(row.cases.Overdue()) + "</td><td>" +
         FormatRate(RectificationRate(row.cases), m) + "</td><td>" +
         (row.previous ? FormatRate(GoodRate(*row.previous), m) : std::string("—")) + "</td><td>" +
         SignedCount(count_change) + "</td><td>" +
         (change ? FormatPermilleChange(*change) : std::string("—")) + "</td>";
    if (units) t += "<td class=\"flag\">" + Escape(RepeatText(row, r, layer)) + "</td>";
    t += "</tr>";
  }
  t += "</tbody></table>";
  return t;
}

}  // namespace

std::string RenderReportHtml(const PeriodReport& r) {
  const long m = r.options.min_sample;
  const std::string title = ReportTitlePeriod(r) + "政务服务“好差评”情况通报";
  std::string h = "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" + Escape(title) +
                  "</title><style>"
                  "body{font-family:sans-serif;margin:2em;color:#111}"
                  "table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:13px}"
                  "th,td{border:1px solid #999;padding:3px 6px;text-align:right;white-space:nowrap}"
                  "td:nth-child(2),th:nth-child(2){text-align:left}td.flag{color:#b00;text-align:left;white-space:normal}"
                  "h2{margin-top:1.5em}section{break-inside:avoid}"
                  "td.flag{min-width:8em}"
                  // The tables are wide: landscape A4 fits every column at a readable size.
                  "@page{size:A4 landscape;margin:12mm}"
                  "@media print{body{margin:0}table{font-size:11px}h2{break-after:avoid}tr{break-inside:avoid}}"
                  "</style></head><body>\n";
  h += "<h1>" + Escape(title) + "</h1>\n";
  h += "<p>统计期间：" + r.period.first.ToString() + " 至 " + r.period.last.ToString() + "；整改情况截至 " +
       r.as_of.ToString() + "。</p>\n";
  const ReportRow& t = r.total;
  h += "<p>本期共收到评价 " + std::to_string(t.tally.Total()) + " 条（其中系统默认评价 " +
       std::to_string(t.tally.Defaults()) + " 条），好评率 " + FormatRate(GoodRate(t.tally), m) +
       "（不含默认评价 " + FormatRate(GoodRateExcludingDefaults(t.tally), m) + "）；差评 " +
       std::to_string(BadCount(t.tally)) + " 条，其中有效差评 " + std::to_string(t.cases.ValidBad()) +
       " 条，已整改 " + std::to_string(t.cases.Rectified()) + " 条（按时 " + std::to_string(t.cases.RectifiedOnTime()) +
       " 条，逾期 " + std::to_string(RectifiedLate(t.cases)) + " 条），超期未办结 " +
       std::to_string(t.cases.Overdue()) + " 条，整改率 " + FormatRate(RectificationRate(t.cases), m) + "。</p>\n";
  std::vector<const ReportRow*> flagged;
  for (const auto& u : r.units)
    if (r.kind == ReportKind::Monthly ? u.RepeatBad() : u.repeat_months > 0) flagged.push_back(&u);
  if (!flagged.empty()) {
    h += "<section><h2>反复被差评的单位</h2><ul>";
    for (const ReportRow* u : flagged) h += "<li>" + Escape(u->name) + "：" + Escape(RepeatText(*u, r, "unit")) + "</li>";
    h += "</ul></section>\n";
  }
  const std::vector<ReportRow> total{r.total};
  for (const Section& s : Sections(r, total)) {
    if (s.rows->empty()) continue;
    const std::string name = std::string(LayerName(s.layer));
    h += "<section><h2>" + (s.layer == "total" ? std::string("总体情况") : "按" + name) + "</h2>\n";
    if (s.layer == "hall" || s.layer == "unit") h += GoodRateChart(*s.rows, m, name + "好评率") + "\n";
    h += HtmlTable(*s.rows, r, s.layer) + "</section>\n";
  }
  h += "<section><h2>说明</h2><ul>"
       "<li>好评率 = 好评数（非常满意、满意、基本满意，含系统默认评价）÷ 评价数；“不含默认评价”一栏从分子分母中同时去掉系统默认评价。</li>"
       "<li>经申诉认定为误评、恶意评价的不计入任何数字。</li>"
       "<li>评价数少于 " + std::to_string(m) + " 条的，比率显示“样本不足”，不参加排名。</li>"
       "<li>整改率 = 已整改的有效差评 ÷ 有效差评；按时整改指在整改期限（含经批准的延期）内完成。</li>"
       "<li>好评率变化为本期与上期公布数字（四舍五入到 0.1%）之差，单位为百分点。</li>";
  if (r.kind == ReportKind::Monthly)
    h += "<li>反复被差评：本月差评不少于 " + std::to_string(r.options.repeat.min_in_month) + " 条，或连续 " +
         std::to_string(r.options.repeat.consecutive_months) + " 个月均有差评" +
         (r.options.repeat.count_invalid ? "" : "（无效差评不计）") + "。</li>";
  h += "</ul></section>\n</body></html>\n";
  return h;
}

std::string RenderReport(const PeriodReport& report, ReportFormat format) {
  switch (format) {
    case ReportFormat::Html: return RenderReportHtml(report);
    case ReportFormat::Csv: return RenderReportCsv(report);
    case ReportFormat::Json: return Dump(ReportToJson(report), 2) + "\n";
  }
  return "";
}

}  // namespace hcp
