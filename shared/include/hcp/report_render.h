#pragma once
// The 通报 (monthly or annual) as a file: HTML that prints well (charts as inline SVG, no script,
// so it opens offline and in locked-down office browsers), CSV for Excel (see csv.h), or JSON for
// other systems. Every format prints the same figures from the same PeriodReport, rounded and
// suppressed by figure_format.h.
#include <string>
#include <string_view>
#include <vector>

#include "hcp/monthly_report.h"
#include "hcp/result.h"
#include "hcp/wire.h"

namespace hcp {

enum class ReportFormat { Html, Csv, Json };

Result<ReportFormat> ParseReportFormat(std::string_view name);  // "html" | "csv" | "json"; `report.format_unknown`
std::string_view ReportFormatName(ReportFormat f);

// "2026年3月" or "2026年".
std::string ReportTitlePeriod(const PeriodReport& r);
// The column headings of the CSV, in order; tests and docs/reports.md name columns by these.
const std::vector<std::string>& ReportCsvHeader();

std::string RenderReport(const PeriodReport& report, ReportFormat format);
std::string RenderReportCsv(const PeriodReport& report);   // starts with the UTF-8 BOM
std::string RenderReportHtml(const PeriodReport& report);
Json ReportToJson(const PeriodReport& report);

}  // namespace hcp
