// 意见建议: what citizens wrote with a good rating, for the unit to read (issue 6: "good ratings
// with text become suggestions in the unit's inbox"; GET /api/v1/units/{unit}/suggestions).
// A unit's handler sees its own unit's; the office, administrators and auditors choose a unit.
'use strict';

(() => {
  const { h, api, enc, addView } = window.hcpAdmin;

  const LEVEL = { 3: '基本满意', 4: '满意', 5: '非常满意' };

  function when(ms) {
    const d = new Date(ms);
    const p = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
  }

  function inbox(unit, items) {
    if (!items.length) return h('p', { class: 'empty', text: `单位 ${unit} 还没有收到意见建议。` });
    const rows = items.map((s) => h('tr', { 'data-suggestion': s.rating_id },
      h('td', { 'data-label': '收到时间', text: when(s.at_ms) }),
      h('td', { 'data-label': '评价', text: LEVEL[s.satisfaction] || String(s.satisfaction) }),
      h('td', { 'data-label': '意见建议', class: 'suggestion-text', text: s.text }),
      h('td', { 'data-label': '办件', text: `${s.case}${s.assess > 1 ? '（追评）' : ''}` })));
    return h('table', { class: 'cards' },
      h('caption', { text: `单位 ${unit}：共 ${items.length} 条，最新的在前` }),
      h('thead', {}, h('tr', {}, ['收到时间', '评价', '意见建议', '办件'].map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, rows));
  }

  // The office chooses the unit by its code (the same code as in the to-do lists).
  function unitForm(unit) {
    const input = h('input', { id: 'suggestion-unit', name: 'unit', value: unit || '', required: true,
                               autocomplete: 'off', 'aria-describedby': 'suggestion-unit-help' });
    const form = h('form', { role: 'search', 'aria-label': '选择单位' },
      h('div', { class: 'field' },
        h('label', { for: 'suggestion-unit', text: '单位代码' }), input,
        h('span', { class: 'field-help', id: 'suggestion-unit-help', text: '承办单位的代码，即待办与查询列表“承办单位”一栏所示' })),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'primary' }, '查看意见建议')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const code = input.value.trim();
      if (code) location.hash = `#/suggestions/${enc(code)}`;
    });
    return form;
  }

  async function render(parts) {
    const me = window.hcpAdmin.me();
    const handler = me.role === 'handler';
    const unit = handler ? me.unit : parts[0] || '';
    let body = null;
    if (unit) {
      const data = await api('GET', `/api/v1/units/${enc(unit)}/suggestions`);
      body = inbox(unit, [...data.suggestions].sort((a, b) => b.at_ms - a.at_ms));
    }
    return {
      content: [
        h('div', { class: 'page-head' }, h('div', {}, h('h1', { text: '意见建议' }),
          h('p', { class: 'sub', text: '群众在好评中留下的意见和建议，供改进服务参考；无需回复，也不计入差评处置。' }))),
        handler ? null : h('div', { class: 'card' }, unitForm(unit)),
        body ? h('div', { class: 'card' }, body) : null,
      ],
    };
  }

  addView({ key: 'suggestions', title: '意见建议', visible: () => true, render });
})();
