// 报告: the monthly and annual 通报 the centre made and stored (docs/reports.md; GET /api/v1/reports).
// Every signed-in role reads them (a 通报 is circulated to every unit). The HTML opens in a new
// tab exactly as the centre stored it; CSV (for Excel) and JSON download.
'use strict';

(() => {
  const { h, api, enc, addView } = window.hcpAdmin;

  const KIND = { monthly: '月度通报', annual: '年度通报' };

  // "2026-03" → "2026年3月", "2026" → "2026年".
  function periodText(period) {
    const [y, m] = period.split('-');
    return m ? `${y}年${Number(m)}月` : `${y}年`;
  }
  // The days a period covers, both included.
  function periodRange(period) {
    const [y, m] = period.split('-').map(Number);
    if (!m) return `${y}-01-01 至 ${y}-12-31`;
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const mm = String(m).padStart(2, '0');
    return `${y}-${mm}-01 至 ${y}-${mm}-${last}`;
  }

  function reportTable(reports) {
    const rows = reports.map((r) => {
      const name = `${periodText(r.period)}${KIND[r.kind] || r.kind}`;
      const url = (format) => `/api/v1/reports/${enc(r.kind)}/${enc(r.period)}?format=${format}`;
      const file = `report-${r.kind}-${r.period}`;  // the name the centre gives the CSV download too
      const cells = [
        ['报告', h('strong', { text: name })],
        ['统计期间', periodRange(r.period)],
        ['生成日期', r.as_of],
        ['查看与下载', h('span', { class: 'link-list' },
          h('a', { href: url('html'), target: '_blank', rel: 'noopener', 'aria-label': `查看通报：${name}（在新窗口打开）` }, '查看通报'),
          h('a', { href: url('csv'), download: `${file}.csv`, 'aria-label': `下载表格（CSV）：${name}` }, '下载表格（CSV）'),
          h('a', { href: url('json'), download: `${file}.json`, 'aria-label': `下载数据（JSON）：${name}` }, '下载数据（JSON）'))],
      ];
      return h('tr', { 'data-report': `${r.kind}/${r.period}` },
        cells.map(([label, content]) => h('td', { 'data-label': label }, content)));
    });
    return h('table', { class: 'cards' },
      h('caption', { text: `共 ${reports.length} 份，最新的在前` }),
      h('thead', {}, h('tr', {}, ['报告', '统计期间', '生成日期', '查看与下载'].map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, rows));
  }

  async function render() {
    const data = await api('GET', '/api/v1/reports');
    const body = data.reports.length ? reportTable(data.reports)
      : h('p', { class: 'empty', text: '还没有报告。每月第一个工作日，系统自动生成上月的通报。' });
    return {
      content: [
        h('div', { class: 'page-head' }, h('div', {}, h('h1', { text: '报告' }),
          h('p', { class: 'sub', text: '政务服务“好差评”情况通报。系统在每月第一个工作日自动生成上月通报，生成后不再改动。' }))),
        h('div', { class: 'card' }, body),
        h('p', { class: 'hint', text: '“查看通报”在新窗口打开通报全文，可直接打印；表格（CSV）可用 Excel 打开；数据（JSON）供其他系统使用。统计口径见通报末尾的“说明”。' }),
      ],
    };
  }

  addView({ key: 'reports', title: '报告', visible: () => true, render });
})();
