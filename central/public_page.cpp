// The public page: plain HTML tables rendered by the centre, a GET form for the filters, no
// script, so the figures show in any browser, a screen reader or a text browser, and print.
#include <string>

#include "public_api.h"

namespace hcp::central {
namespace {

std::string Esc(const std::string& s) {
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

std::string Str(const Json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_number_integer()) return std::to_string(j.get<long long>());
  return "—";
}

std::string Rate(const Json& r) { return Esc(Str(r["display"])); }

std::string Field(const char* name, const char* label, const std::string& value, const char* hint) {
  return std::string("<div class=\"f\"><label for=\"") + name + "\">" + label + "</label><input id=\"" + name +
         "\" name=\"" + name + "\" value=\"" + Esc(value) + "\" autocomplete=\"off\" aria-describedby=\"" + name +
         "-h\"><small id=\"" + name + "-h\">" + hint + "</small></div>";
}

std::string Groups(const Json& list, const char* caption, const char* head) {
  std::string h = std::string("<table><caption>") + caption + "</caption><thead><tr><th scope=\"col\">排名</th>"
                  "<th scope=\"col\">" + head + "</th><th scope=\"col\" class=\"n\">评价数</th>"
                  "<th scope=\"col\" class=\"n\">好评率</th></tr></thead><tbody>";
  if (list.empty()) h += "<tr><td colspan=\"4\">本期无评价</td></tr>";
  for (const auto& g : list)
    h += "<tr><td>" + (g["rank"].is_null() ? std::string("—") : Str(g["rank"])) + "</td><th scope=\"row\">" +
         Esc(Str(g["name"])) + "</th><td class=\"n\">" + Str(g["ratings"]) + "</td><td class=\"n\">" + Rate(g["good_rate"]) +
         "</td></tr>";
  return h + "</tbody></table>";
}

constexpr const char* kStyle = R"css(
*{box-sizing:border-box}body{margin:0;font:16px/1.6 system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1a1a1a;background:#fff}
header{background:#0b3d91;color:#fff;padding:1rem}header h1{margin:0;font-size:1.4rem}header p{margin:.25rem 0 0}
main{max-width:64rem;margin:0 auto;padding:1rem}a{color:#0b3d91}
.skip{position:absolute;left:.5rem;top:-4rem;background:#fff;color:#0b3d91;padding:.5rem;z-index:1}.skip:focus{top:.5rem}
td,th,a,p{overflow-wrap:anywhere}
form{display:flex;flex-wrap:wrap;gap:.75rem;align-items:flex-end;border:1px solid #767676;padding:.75rem;margin:0 0 1rem}
.f{display:flex;flex-direction:column;min-width:9rem;flex:1 1 9rem}.f small{color:#4a4a4a;font-size:.8rem}
input{font:inherit;padding:.35rem;border:1px solid #595959;border-radius:3px;min-height:2.5rem}
button{font:inherit;min-height:2.75rem;padding:.35rem 1rem;background:#0b3d91;color:#fff;border:0;border-radius:3px;cursor:pointer}
:focus-visible{outline:3px solid #c60;outline-offset:2px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.75rem;margin:0 0 1rem;padding:0;list-style:none}
.cards li{border:1px solid #767676;padding:.6rem}.cards b{display:block;font-size:1.5rem}
.wrap{overflow-x:auto;margin:0 0 1.25rem}table{border-collapse:collapse;width:100%}
caption{text-align:left;font-weight:700;font-size:1.1rem;padding:.3rem 0}
th,td{border:1px solid #8a8a8a;padding:.35rem .5rem;text-align:left;vertical-align:top}thead th{background:#e8eef8}
.n{text-align:right;font-variant-numeric:tabular-nums}.err{border:2px solid #b00020;padding:.5rem;color:#b00020}
.note{font-size:.9rem;color:#333;border-left:4px solid #0b3d91;padding:.25rem .75rem}
@media (max-width:480px){main{padding:.5rem}header h1{font-size:1.15rem}th,td{padding:.3rem}}
@media print{form,nav{display:none}header{background:none;color:#000}}
)css";

}  // namespace

std::string RenderPublicPage(const Json& s, const Json& bad, const PublicQuery& q, const std::string& error) {
  const std::string from = Str(s["period"]["from"]), to = Str(s["period"]["to"]);
  std::string h = "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                  "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                  "<title>政务服务“好差评”公开数据</title><style>" + std::string(kStyle) + "</style></head><body>"
                  "<a href=\"#main\" class=\"skip\">跳到正文</a><header><h1>政务服务“好差评”公开数据</h1>"
                  "<p>统计期间 " + Esc(from) + " 至 " + Esc(to) + "，数据截至 " + Esc(Str(s["as_of"])) + "</p></header>"
                  "<main id=\"main\">";
  if (!error.empty()) h += "<p class=\"err\" role=\"alert\">" + Esc(error) + "（已显示默认期间）</p>";
  // The filters: a plain GET form, so it works without script.
  h += "<form method=\"get\" action=\"/public/\" aria-label=\"筛选\">";
  // A whole month or year shows as 期间, anything else as its two dates (the page's form lets 期间
  // win over the dates, so changing only 期间 works).
  const Date first = q.period.first, last = q.period.last;
  const Date next = first.month() == 12 ? Date(first.year() + 1, 1, 1) : Date(first.year(), first.month() + 1, 1);
  const bool month = first.day() == 1 && last == next.AddDays(-1);
  const bool year = first.day() == 1 && first.month() == 1 && last == Date(first.year(), 12, 31);
  const std::string period = year ? from.substr(0, 4) : month ? from.substr(0, 7) : "";
  h += Field("period", "期间", period, "月份 2026-03 或年份 2026；填写后不看起止日期");
  h += Field("from", "起始日期", period.empty() ? from : "", "YYYY-MM-DD");
  h += Field("to", "截止日期", period.empty() ? to : "", "YYYY-MM-DD");
  h += Field("area", "行政区划", q.filter.area, "区划代码");
  h += Field("unit", "承办单位", q.filter.unit, "单位编码");
  h += Field("item", "事项", q.filter.item, "事项编码");
  h += Field("hall", "大厅", q.filter.hall, "大厅编码");
  h += Field("window", "窗口", q.filter.window, "大厅/窗口");
  h += "<button type=\"submit\">查询</button></form>";
  h += "<section aria-labelledby=\"h-sum\"><h2 id=\"h-sum\">总体情况</h2><ul class=\"cards\">";
  auto card = [&](const char* label, const std::string& value) {
    h += std::string("<li>") + label + "<b>" + value + "</b></li>";
  };
  card("评价数", Str(s["ratings"]));
  card("好评率（含默认评价）", Rate(s["good_rate"]));
  card("好评率（不含默认评价）", Rate(s["good_rate_excluding_defaults"]));
  card("差评数", Str(s["bad_ratings"]));
  card("整改率", Rate(s["rectification_rate"]));
  card("按时整改率", Rate(s["on_time_rate"]));
  card("办结用时中位数（工作日）", Esc(Str(s["median_display"])));
  h += "</ul><p class=\"note\">说明：" + Esc(Str(s["method"])) + "</p></section>";
  h += "<section aria-labelledby=\"h-hot\"><h2 id=\"h-hot\">热评事项</h2><div class=\"wrap\"><table><caption>评价最多的事项（不含系统默认评价）</caption>"
       "<thead><tr><th scope=\"col\">序号</th><th scope=\"col\">事项</th><th scope=\"col\" class=\"n\">评价数</th></tr></thead><tbody>";
  int i = 0;
  for (const auto& it : s["hot_items"])
    h += "<tr><td>" + std::to_string(++i) + "</td><th scope=\"row\">" + Esc(Str(it["name"])) + "</th><td class=\"n\">" +
         Str(it["ratings"]) + "</td></tr>";
  if (i == 0) h += "<tr><td colspan=\"3\">本期无评价</td></tr>";
  h += "</tbody></table></div></section>";
  h += "<section aria-labelledby=\"h-rank\"><h2 id=\"h-rank\">排名</h2><p class=\"note\">按好评率（含默认评价）排名；评价数不足 " +
       Str(s["min_sample"]) + " 的不排名（—）。</p>";
  h += "<div class=\"wrap\">" + Groups(s["units"], "承办单位好评率排名", "承办单位") + "</div>";
  h += "<div class=\"wrap\">" + Groups(s["halls"], "大厅好评率排名", "大厅") + "</div>";
  h += "<div class=\"wrap\">" + Groups(s["windows"], "窗口好评率排名", "窗口") + "</div></section>";
  h += "<section aria-labelledby=\"h-bad\"><h2 id=\"h-bad\">差评及整改情况</h2><p class=\"note\">仅公开评价人同意公开的差评；"
       "评价内容中的手机号、身份证号、邮箱、车牌号等已自动遮盖，评价人只显示遮盖后的姓名。共 " + Str(bad["total"]) + " 条。</p>"
       "<div class=\"wrap\"><table><caption>公开的差评</caption><thead><tr><th scope=\"col\">日期</th><th scope=\"col\">事项与单位</th>"
       "<th scope=\"col\">评价</th><th scope=\"col\">评价人</th><th scope=\"col\">处理状态</th><th scope=\"col\">单位答复</th></tr></thead><tbody>";
  for (const auto& b : bad["items"])
    h += "<tr><td>" + Esc(Str(b["date"])) + "</td><td>" + Esc(Str(b["item"])) + "<br>" + Esc(Str(b["unit"])) + "</td><td>" +
         Esc(Str(b["level"])) + (Str(b["comment"]) == "" ? "" : "：" + Esc(Str(b["comment"]))) + "</td><td>" +
         Esc(Str(b["evaluator"])) + "</td><td>" + Esc(Str(b["status_name"])) + "</td><td>" +
         (b["response"].is_string() ? Esc(b["response"].get<std::string>()) : "—") + "</td></tr>";
  if (bad["items"].empty()) h += "<tr><td colspan=\"6\">本期无公开的差评</td></tr>";
  h += "</tbody></table></div>";
  const long total = bad["total"].get<long>(), per = bad["per_page"].get<long>(), page = bad["page"].get<long>();
  if (total > per) {
    auto link = [&](long p) {
      std::string u = "/public/?from=" + from + "&to=" + to + "&page=" + std::to_string(p);
      for (const auto& [k, v] : {std::pair<const char*, const std::string*>{"area", &q.filter.area}, {"unit", &q.filter.unit},
                                 {"item", &q.filter.item}, {"hall", &q.filter.hall}, {"window", &q.filter.window}})
        if (!v->empty()) u += std::string("&") + k + "=" + Esc(*v);
      return u;
    };
    h += "<nav aria-label=\"差评分页\"><p>第 " + std::to_string(page) + " 页";
    if (page > 1) h += " <a href=\"" + link(page - 1) + "\">上一页</a>";
    if (page * per < total) h += " <a href=\"" + link(page + 1) + "\">下一页</a>";
    h += "</p></nav>";
  }
  h += "</section><footer><p class=\"note\">数据接口：<a href=\"/api/v1/public/stats\">/api/v1/public/stats</a>、"
       "<a href=\"/api/v1/public/bad-ratings\">/api/v1/public/bad-ratings</a>（JSON）。</p></footer></main></body></html>";
  return h;
}

}  // namespace hcp::central
