// 差评处置后台: the back office of the closed loop (docs/closed-loop.md). Plain JavaScript, no
// framework, no build step. Every text from the server goes into the page as text (textContent),
// never as HTML; the CSP of /admin/ allows only the folder's own scripts and admin.css.
// This file is the frame (sign-in, menu, routing, the small helpers) and the closed loop's pages;
// further pages live in a file each (reports.js, samples.js) and register themselves with
// window.hcpAdmin.addView, before the first page is shown (index.html loads them after this one).
'use strict';

(() => {
  // ---- words (Chinese first; the wire names stay in the API) ----
  const STATE = {
    pushed: '待回访核实', rectifying: '整改中', extended: '已延期整改', rectified: '待反馈评价人',
    invalid_reporting: '待报送无效差评说明', under_review: '待复核', closed: '已办结', new: '新建',
  };
  const RESOLUTION = { rectified: '已整改', invalid: '无效差评', appeal_upheld: '申诉成立' };
  const DEADLINE = { return_visit: '回访核实', rectify: '整改反馈', invalid_report: '无效差评说明', review: '复核' };
  const APPEAL = { none: '', pending: '申诉待裁决', upheld: '申诉成立', rejected: '申诉驳回' };
  const ACTOR = { unit: '承办单位', office: '政务服务管理局', system: '系统' };
  const LEVEL = { 1: '非常不满意', 2: '不满意', 3: '基本满意', 4: '满意', 5: '非常满意' };
  const ROLE = { handler: '承办单位经办人', reviewer: '管理局复核人员', admin: '系统管理员', auditor: '审计员（只读）' };
  const CHANNEL = { pc: 'PC 端', mobile: '移动端', qr: '二维码', tablet: '大厅评价器', terminal: '大厅终端', sms: '短信', phone: '电话', default: '系统默认' };
  const METHOD = { phone: '电话', sms: '短信', in_person: '当面' };
  const FIELD = {
    method: '方式', outcome: '核实结果', complex: '情况复杂', reason: '理由', new_due: '新期限', result: '整改结果',
    report: '说明', decision: '决定', note: '备注',
  };
  const VALUE = {
    phone: '电话', sms: '短信', in_person: '当面', valid: '属实（有效差评）', invalid: '不属实（无效差评）',
    approve: '同意，认定无效', reject: '不同意', uphold: '申诉成立', true: '是', false: '否',
  };

  // The forms of the actions (the case machine's fields, docs/closed-loop.md).
  const METHODS = [['phone', '电话'], ['sms', '短信'], ['in_person', '当面']];
  const ACTIONS = {
    return_visit: {
      label: '登记回访核实', past: '回访核实', hint: '回访评价人、核实差评情况后登记。',
      fields: [
        { name: 'method', type: 'radio', label: '回访方式', options: METHODS, required: true },
        { name: 'outcome', type: 'radio', label: '核实结果', required: true,
          options: [['valid', '属实：有效差评，进入整改'], ['invalid', '不属实：无效差评，报送说明']] },
        { name: 'complex', type: 'check', label: '情况复杂（整改时限按 15 个工作日计）' },
        { name: 'note', type: 'textarea', label: '回访记录' },
      ],
    },
    rectify: {
      label: '登记整改完成', past: '整改完成', hint: '整改完成后登记结果，再反馈评价人。',
      fields: [{ name: 'result', type: 'textarea', label: '整改结果', required: true }],
    },
    extend: {
      label: '申请延期', past: '延期整改', hint: '确实无法按期整改的，说明理由并设定新期限（评价人将被告知）。',
      fields: [
        { name: 'reason', type: 'textarea', label: '延期理由', required: true },
        { name: 'new_due', type: 'date', label: '新的整改期限', required: true },
      ],
    },
    confirm: {
      label: '反馈评价人并办结', past: '反馈评价人', hint: '将整改结果反馈评价人后登记，差评办结。',
      fields: [
        { name: 'method', type: 'radio', label: '反馈方式', options: METHODS, required: true },
        { name: 'note', type: 'textarea', label: '反馈记录' },
      ],
    },
    report: {
      label: '报送无效差评说明', past: '报送无效差评说明', hint: '说明差评不属实或与本单位无关的依据，报管理局复核。',
      fields: [{ name: 'report', type: 'textarea', label: '情况说明', required: true }],
    },
    review: {
      label: '复核', past: '复核', hint: '同意：认定为无效差评并办结；不同意：退回承办单位整改。',
      fields: [
        { name: 'decision', type: 'radio', label: '复核决定', required: true,
          options: [['approve', '同意，认定无效差评'], ['reject', '不同意，退回整改']] },
        { name: 'complex', type: 'check', label: '退回整改时按情况复杂处理（15 个工作日）' },
        { name: 'note', type: 'textarea', label: '复核意见' },
      ],
    },
    appeal: {
      label: '提出申诉', past: '申诉', hint: '认为差评系误评或恶意评价的，可向管理局申诉。',
      fields: [{ name: 'reason', type: 'textarea', label: '申诉理由', required: true }],
    },
    decide_appeal: {
      label: '裁决申诉', past: '申诉裁决', hint: '申诉成立的差评不计入统计，裁决记录保留。',
      fields: [
        { name: 'decision', type: 'radio', label: '裁决', required: true,
          options: [['uphold', '申诉成立（不计入统计）'], ['reject', '驳回申诉']] },
        { name: 'note', type: 'textarea', label: '裁决意见' },
      ],
    },
  };
  const ACTION_PAST = Object.fromEntries(Object.entries(ACTIONS).map(([k, v]) => [k, v.past]));
  ACTION_PAST.open = '差评推送至承办单位';

  // The office's three queues: one list page each, the same shape.
  const QUEUES = {
    reviews: { title: '复核队列', path: '/api/v1/office/reviews', sub: '承办单位报送的无效差评说明，等待复核。', empty: '没有待复核的无效差评。' },
    appeals: { title: '申诉裁决', path: '/api/v1/office/appeals', sub: '承办单位提出的申诉，等待裁决。', empty: '没有待裁决的申诉。' },
    overdue: { title: '超期督办', path: '/api/v1/office/overdue', sub: '已超过办理期限、已上报管理局的差评。', empty: '没有超期的差评。' },
  };

  // Pages of their own files (reports.js, samples.js): { key, title, visible(me), render(parts, params) }.
  const views = [];

  // ---- small helpers ----
  const $ = (id) => document.getElementById(id);
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }
  let toastTimer = 0;
  function say(text) {
    const t = $('status');
    t.textContent = text;
    t.classList.add('show');
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => t.classList.remove('show'), 4000);
  }
  const enc = encodeURIComponent;
  const casePath = (c) => `/api/v1/cases/${enc(c.case)}/${c.assess}`;
  const caseHash = (c) => `#/case/${enc(c.case)}/${c.assess}`;

  // ---- the API ----
  let me = null;
  class ApiError extends Error {
    constructor(status, errors) {
      super(errors.map((e) => e.message || e.id).join('；') || `HTTP ${status}`);
      this.status = status;
      this.errors = errors;
    }
  }
  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && me) headers['X-CSRF-Token'] = me.csrf_token;
    let res;
    try {
      res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new ApiError(0, [{ id: 'network', message: '无法连接服务器，请检查网络后重试' }]);
    }
    if (res.status === 204) return null;
    const data = await res.json().catch(() => ({}));
    if (!res.ok) {
      const errors = Array.isArray(data.errors) ? data.errors : [];
      if (res.status === 401 && path !== '/api/v1/login') {
        me = null;
        showLogin('登录已过期，请重新登录。');
      }
      throw new ApiError(res.status, errors);
    }
    return data;
  }

  // ---- deadlines ----
  function deadlineText(d) {
    if (!d || !d.due) return { text: '—', cls: '' };
    const left = d.working_days_left;
    if (d.overdue) return { text: `已超期 ${Math.abs(left ?? 0)} 个工作日`, cls: 'overdue' };
    if (left === 0) return { text: '今日到期', cls: 'today' };
    if (typeof left === 'number') return { text: `剩余 ${left} 个工作日`, cls: '' };
    return { text: '', cls: '' };
  }
  function levelBadge(s) {
    return h('span', { class: `badge bad${s <= 1 ? 1 : 2}`, text: LEVEL[s] || String(s) });
  }
  function stateBadge(c) {
    if (c.state === 'closed') return h('span', { class: 'badge closed', text: `已办结${c.resolution ? '·' + (RESOLUTION[c.resolution] || c.resolution) : ''}` });
    return h('span', { class: 'badge state', text: STATE[c.state] || c.state });
  }

  // ---- the frame: who, the menu ----
  function menu() {
    const items = [];
    if (me.role === 'handler') items.push(['#/todo', '待办差评', 'todo']);
    else for (const [key, q] of Object.entries(QUEUES)) items.push([`#/${key}`, q.title, key]);
    items.push(['#/search', '差评查询', 'search']);
    for (const v of views) if (v.visible(me)) items.push([`#/${v.key}`, v.title, v.key]);
    return items;
  }
  function renderFrame() {
    $('who').hidden = false;
    $('who-text').textContent = `${me.user}（${ROLE[me.role] || me.role}${me.unit_name ? '，' + me.unit_name : ''}）`;
    $('nav').hidden = false;
    const list = $('nav-list');
    list.replaceChildren(...menu().map(([href, label, key]) =>
      h('li', {}, h('a', { href, 'data-key': key }, h('span', { text: label }), h('span', { class: 'count zero', id: `count-${key}`, hidden: true })))));
  }
  function markNav(key) {
    for (const a of $('nav-list').querySelectorAll('a')) {
      if (a.dataset.key === key) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
  }
  function setCount(key, n) {
    const el = $(`count-${key}`);
    if (!el) return;
    el.hidden = false;
    el.textContent = String(n);
    el.classList.toggle('zero', n === 0);
    el.setAttribute('aria-label', `${n} 件`);
  }
  function showLogin(message) {
    $('who').hidden = true;
    $('nav').hidden = true;
    $('view').replaceChildren();
    $('login-view').hidden = false;
    const err = $('login-error');
    err.hidden = !message;
    err.textContent = message || '';
    document.title = '登录 · 差评处置后台';
    $('login-user').focus();
  }

  // ---- lists ----
  function caseTable(caption, cases, { showUnit }) {
    const head = ['办件编号', showUnit ? '承办单位' : null, '评价', '当前环节', '办理期限', '剩余时间', ''].filter((x) => x !== null);
    const rows = cases.map((c) => {
      const d = deadlineText(c.deadline);
      const overdue = c.deadline && c.deadline.overdue;
      const cells = [
        ['办件编号', h('a', { class: 'case-link', href: caseHash(c) }, c.case + (c.assess > 1 ? `（追评 ${c.assess}）` : ''))],
        showUnit ? ['承办单位', c.unit_name || c.unit] : null,
        ['评价', levelBadge(c.satisfaction)],
        ['当前环节', h('span', {}, stateBadge(c), c.appeal === 'pending' ? [' ', h('span', { class: 'badge appeal', text: APPEAL.pending })] : null)],
        ['办理期限', c.deadline && c.deadline.due ? `${DEADLINE[c.deadline.kind] || ''} ${c.deadline.due}` : '—'],
        ['剩余时间', h('span', { class: `days ${d.cls}` }, d.text)],
        ['', h('a', { href: caseHash(c), 'aria-label': `${c.allowed_now && c.allowed_now.length ? '办理' : '查看'} ${c.case}` }, c.allowed_now && c.allowed_now.length ? '办理' : '查看')],
      ].filter((x) => x !== null);
      return h('tr', { class: overdue ? 'overdue' : null, 'data-case': c.case },
        cells.map(([label, content]) => h('td', { 'data-label': label }, content)));
    });
    return h('table', { class: 'cards' },
      h('caption', { text: caption }),
      h('thead', {}, h('tr', {}, head.map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, rows));
  }
  function listPage(title, sub, cases, opts, emptyText, extra) {
    const body = cases.length ? caseTable(`共 ${cases.length} 件，按办理期限排序，超期的标红`, cases, opts)
      : h('p', { class: 'empty', text: emptyText });
    return [h('div', { class: 'page-head' }, h('div', {}, h('h1', { text: title }), h('p', { class: 'sub', text: sub }))),
      extra || null, h('div', { class: 'card' }, body)];
  }

  async function todoView() {
    const data = await api('GET', `/api/v1/units/${enc(me.unit)}/cases`);
    setCount('todo', data.cases.length);
    const overdue = data.cases.filter((c) => c.deadline && c.deadline.overdue).length;
    return listPage('待办差评', `今天 ${data.today}${overdue ? `，其中 ${overdue} 件已超期` : ''}。回访核实 2 个工作日内，整改 10 个工作日内（复杂 15 个）。`,
      data.cases, { showUnit: false }, '没有待办的差评。');
  }
  async function queueView(key) {
    const q = QUEUES[key];
    const data = await api('GET', q.path);
    setCount(key, data.cases.length);
    return listPage(q.title, `今天 ${data.today}。${q.sub}`, data.cases, { showUnit: true }, q.empty);
  }

  // ---- search ----
  function searchForm(params) {
    const stateOptions = [['', '全部'], ['open', '办理中'], ['closed', '已办结'],
      ...['pushed', 'rectifying', 'extended', 'rectified', 'invalid_reporting', 'under_review'].map((s) => [s, STATE[s]])];
    const field = (id, label, input) => h('div', { class: 'field' }, h('label', { for: id, text: label }), input);
    const form = h('form', { class: 'filters', role: 'search', 'aria-label': '差评查询' },
      field('f-q', '办件编号', h('input', { id: 'f-q', name: 'q', value: params.get('q') || '', placeholder: '编号的一部分' })),
      me.role === 'handler' ? null
        : field('f-unit', '承办单位代码', h('input', { id: 'f-unit', name: 'unit', value: params.get('unit') || '', placeholder: '统一社会信用代码' })),
      field('f-state', '状态', h('select', { id: 'f-state', name: 'state' },
        stateOptions.map(([v, t]) => h('option', { value: v, selected: (params.get('state') || '') === v }, t)))),
      field('f-from', '推送日期从', h('input', { id: 'f-from', name: 'from', type: 'date', value: params.get('from') || '' })),
      field('f-to', '至', h('input', { id: 'f-to', name: 'to', type: 'date', value: params.get('to') || '' })),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, '查询'),
        h('button', { type: 'reset' }, '清空')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const q = new URLSearchParams();
      for (const [k, v] of new FormData(form)) if (v) q.set(k, v);
      location.hash = `#/search?${q}`;
    });
    form.addEventListener('reset', () => setTimeout(() => { location.hash = '#/search'; }, 0));
    return form;
  }
  async function searchView(params) {
    const q = new URLSearchParams();
    for (const k of ['q', 'unit', 'state', 'from', 'to']) if (params.get(k)) q.set(k, params.get(k));
    const data = await api('GET', `/api/v1/handling?${q}`);
    const form = h('div', { class: 'card' }, searchForm(params));
    const page = listPage('差评查询', `今天 ${data.today}。按单位、状态、推送日期查找差评处置件。`, data.cases,
      { showUnit: me.role !== 'handler' }, '没有符合条件的差评。', form);
    if (data.more) page.push(h('p', { class: 'hint', text: '结果较多，只显示前 500 件，请缩小查询范围。' }));
    return page;
  }

  // ---- one case ----
  function fieldsText(fields) {
    // The step's own fields first, the free remark last.
    const entries = Object.entries(fields || {}).sort(([a], [b]) => (a === 'note') - (b === 'note'));
    return entries.map(([k, v]) => `${FIELD[k] || k}：${VALUE[v] || v}`).join('；');
  }
  function timeline(c) {
    return h('ol', { class: 'timeline', 'aria-label': '办理过程' }, (c.history || []).map((step) => {
      const ev = step.event || step;
      const at = step.at_ms ? new Date(step.at_ms).toLocaleString('zh-CN', { hour12: false }) : ev.date;
      const fields = fieldsText(ev.fields);
      return h('li', {},
        h('div', { class: 'tl-head' }, `${ACTION_PAST[ev.action] || ev.action}`, ' → ', STATE[step.to] || step.to),
        h('div', { class: 'tl-meta' }, `${ev.date} · ${ACTOR[ev.actor] || ev.actor}${step.by && step.by !== 'system' ? ' · ' + step.by : ''} · 记录于 ${at}`,
          step.due ? ` · 期限至 ${step.due}` : '', step.notify_citizen ? ' · 已通知评价人' : ''),
        fields ? h('p', { class: 'tl-fields', text: fields }) : null);
    }));
  }
  function actionForm(c, action, onDone) {
    const def = ACTIONS[action];
    const form = h('form', { class: 'action-form', novalidate: true, 'aria-labelledby': `af-${action}-title` });
    form.append(h('h3', { id: `af-${action}-title`, class: 'sr-title', text: def.label }), h('p', { class: 'hint', text: def.hint }));
    for (const f of def.fields) {
      const id = `af-${action}-${f.name}`;
      if (f.type === 'radio') {
        form.append(h('fieldset', {}, h('legend', {}, f.label, f.required ? '（必填）' : ''),
          h('div', { class: 'choices' }, f.options.map(([v, t]) =>
            h('label', {}, h('input', { type: 'radio', name: f.name, value: v, required: f.required }), t)))));
      } else if (f.type === 'check') {
        form.append(h('div', { class: 'check' }, h('input', { type: 'checkbox', id, name: f.name }), h('label', { for: id, text: f.label })));
      } else {
        const input = f.type === 'textarea' ? h('textarea', { id, name: f.name, required: f.required, maxlength: 2000 })
          : h('input', { id, name: f.name, type: f.type, required: f.required });
        form.append(h('div', { class: 'field' }, h('label', { for: id }, f.label, f.required ? '（必填）' : ''), input));
      }
    }
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const submit = h('button', { type: 'submit', class: 'primary' }, `提交：${def.label}`);
    form.append(error, h('div', { class: 'form-actions' }, submit));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const fields = {};
      const missing = [];
      for (const f of def.fields) {
        if (f.type === 'check') { if (form.elements[f.name].checked) fields[f.name] = true; continue; }
        const v = (form.elements[f.name].value || '').trim();
        if (v) fields[f.name] = v;
        else if (f.required) missing.push(f.label);
      }
      if (missing.length) {
        error.hidden = false;
        error.textContent = `请填写：${missing.join('、')}`;
        return;
      }
      submit.disabled = true;
      try {
        await api('POST', `${casePath(c)}/actions`, { action, fields });
        say(`已提交：${def.label}`);
        onDone();
      } catch (err) {
        error.hidden = false;
        error.textContent = err.status === 409 ? `${err.message}（请刷新页面查看最新状态）` : err.message;
        submit.disabled = false;
      }
    });
    return form;
  }
  function actionsCard(c, rerender) {
    const allowed = c.allowed_now || [];
    const card = h('section', { class: 'card', 'aria-labelledby': 'actions-title' }, h('h2', { id: 'actions-title', text: '现在可以办理' }));
    if (!allowed.length) {
      card.append(h('p', { class: 'hint', text: c.state === 'closed' ? '本件已办结，无需再办理。' : '当前环节不需要您办理。' }));
      return card;
    }
    const buttons = h('div', { class: 'action-buttons' });
    const slot = h('div');
    for (const action of allowed) {
      const def = ACTIONS[action];
      if (!def) continue;
      const b = h('button', { type: 'button', 'aria-expanded': 'false', 'data-action': action }, def.label);
      b.addEventListener('click', () => {
        for (const other of buttons.querySelectorAll('button')) other.setAttribute('aria-expanded', 'false');
        b.setAttribute('aria-expanded', 'true');
        slot.replaceChildren(actionForm(c, action, rerender));
        const first = slot.querySelector('input, textarea, select');
        if (first) first.focus();
      });
      buttons.append(b);
    }
    card.append(buttons, slot);
    return card;
  }
  function contactBox(c) {
    const box = h('div', { class: 'contact-box' });
    if (!c.contact_now) {
      box.append(h('p', { class: 'hint', text: '评价人联系方式已加密保护，仅在回访核实环节向本单位经办人提供，每次查看均留痕。' }));
      return box;
    }
    const out = h('output', { class: 'contact-value', 'aria-live': 'polite' });
    const b = h('button', { type: 'button' }, '查看评价人联系电话');
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        const r = await api('POST', `${casePath(c)}/contact`, {});
        out.textContent = r.contact;
        b.hidden = true;
      } catch (err) {
        out.textContent = err.message;
        b.disabled = false;
      }
    });
    box.append(h('p', { class: 'hint', text: '回访用。查看将记录查看人和时间，请勿外传。' }), b, ' ', out);
    return box;
  }
  async function caseView(id, assess) {
    const c = await api('GET', `/api/v1/cases/${enc(id)}/${assess}/handling`);
    const d = deadlineText(c.deadline);
    const r = c.rating || {};
    const svc = r.service || {};
    const rerender = () => route();
    const facts = (pairs) => h('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '')
      .map(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)]));
    const head = h('div', { class: 'page-head' },
      h('div', {}, h('h1', { text: `差评处置件 ${c.case}` }),
        h('div', { class: 'summary-line' }, levelBadge(c.satisfaction), stateBadge(c),
          c.appeal && c.appeal !== 'none' ? h('span', { class: 'badge appeal', text: APPEAL[c.appeal] }) : null,
          h('span', { class: 'sub', text: c.unit_name || c.unit }))),
      h('a', { href: me.role === 'handler' ? '#/todo' : '#/search' }, '← 返回列表'));
    const deadline = c.state === 'closed' ? null
      : h('div', { class: `deadline-box${c.deadline && c.deadline.overdue ? ' overdue' : ''}` },
        h('strong', {}, c.deadline && c.deadline.due ? `${DEADLINE[c.deadline.kind] || '办理'}期限：${c.deadline.due}` : '当前环节无办理期限'),
        ' ', h('span', { class: `days ${d.cls}` }, d.text));
    const rating = h('section', { class: 'card', 'aria-labelledby': 'rating-title' },
      h('h2', { id: 'rating-title', text: '评价内容' }),
      facts([
        ['评价事项', svc.item_name ? `${svc.item_name}（${svc.item}）` : undefined],
        ['承办单位', c.unit_name || c.unit],
        ['评价渠道', svc.channel ? CHANNEL[svc.channel] || svc.channel : undefined],
        ['办结时间', svc.finished_at ? svc.finished_at.replace('T', ' ').slice(0, 16) : undefined],
        ['窗口', svc.window],
        ['评价人', r.evaluator ? `${r.evaluator.name}（${r.evaluator.kind === 'org' ? '法人' : '个人'}）` : undefined],
        ['满意度', LEVEL[c.satisfaction]],
        ['差评原因', r.reasons && r.reasons.length ? r.reasons.map((x) => x.text).join('、') : '未勾选'],
        ['推送日期', c.opened],
      ]),
      r.comment ? [h('h3', { class: 'sub', text: '评价人留言' }), h('p', { class: 'comment', text: r.comment })] : null,
      me.role === 'handler' ? contactBox(c) : null);
    const history = h('section', { class: 'card', 'aria-labelledby': 'history-title' },
      h('h2', { id: 'history-title', text: '办理过程' }), timeline(c));
    return [head, deadline, h('div', { class: 'detail-grid' },
      h('div', {}, actionsCard(c, rerender), rating), h('div', {}, history))];
  }

  // The menu's counts: what waits for the signed-in person, refreshed with every page.
  function refreshCounts() {
    const jobs = me.role === 'handler' ? [['todo', `/api/v1/units/${enc(me.unit)}/cases`]]
      : Object.entries(QUEUES).map(([key, q]) => [key, q.path]);
    for (const [key, path] of jobs) api('GET', path).then((d) => setCount(key, d.cases.length), () => {});
  }

  // ---- routing ----
  // Each page is fetched before it is shown; a click on another page meanwhile wins (a slow answer
  // for the page left behind must not replace the one asked for later).
  let routeSeq = 0;
  async function route() {
    if (!me) return;
    const seq = ++routeSeq;
    refreshCounts();
    const hash = location.hash || '';
    const [path, query] = hash.replace(/^#/, '').split('?');
    const parts = path.split('/').filter(Boolean);
    const params = new URLSearchParams(query || '');
    const home = me.role === 'handler' ? '#/todo' : '#/reviews';
    let key = parts[0] || '';
    const view = $('view');
    $('login-view').hidden = true;
    try {
      let content;
      let title;
      const other = views.find((v) => v.key === key && v.visible(me));
      if (key === 'todo' && me.role === 'handler') { content = await todoView(); title = '待办差评'; }
      else if (Object.hasOwn(QUEUES, key) && me.role !== 'handler') { content = await queueView(key); title = QUEUES[key].title; }
      else if (key === 'search') { content = await searchView(params); title = '差评查询'; }
      else if (other) {
        const page = await other.render(parts.slice(1).map(decodeURIComponent), params);
        content = page.content;
        title = page.title || other.title;
      }
      else if (key === 'case' && parts[1]) {
        content = await caseView(decodeURIComponent(parts[1]), Number(parts[2] || 1));
        title = `差评处置件 ${decodeURIComponent(parts[1])}`;
        key = me.role === 'handler' ? 'todo' : '';
      } else { location.replace(home); return; }
      if (seq !== routeSeq) return;
      view.replaceChildren(...content.filter(Boolean));
      document.title = `${title} · 差评处置后台`;
      markNav(key);
      $('main').focus();
    } catch (err) {
      if (err.status === 401 || seq !== routeSeq) return;
      view.replaceChildren(h('div', { class: 'card' }, h('p', { class: 'form-error', role: 'alert', text: err.message })));
    }
  }

  async function start() {
    try {
      me = await api('GET', '/api/v1/me');
    } catch (err) {
      me = null;
      showLogin(err.status === 401 || err.status === 403 ? '' : err.message);
      return;
    }
    renderFrame();
    await route();
  }

  $('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const user = $('login-user').value.trim();
    const password = $('login-password').value;
    const err = $('login-error');
    if (!user || !password) {
      err.hidden = false;
      err.textContent = '请输入用户名和密码。';
      return;
    }
    try {
      me = await api('POST', '/api/v1/login', { user, password });
      $('login-password').value = '';
      err.hidden = true;
      renderFrame();
      $('login-view').hidden = true;
      if (!location.hash || location.hash === '#/login') location.hash = me.role === 'handler' ? '#/todo' : '#/reviews';
      else await route();
    } catch (ex) {
      err.hidden = false;
      err.textContent = ex.message;
      $('login-password').select();
    }
  });
  $('logout').addEventListener('click', async () => {
    try { await api('POST', '/api/v1/logout'); } catch (_) { /* signed out either way */ }
    me = null;
    location.hash = '';
    showLogin('已退出登录。');
  });
  window.addEventListener('hashchange', route);

  // What the pages of other files use: the same helpers, the signed-in person, a way to add a page.
  window.hcpAdmin = {
    h, api, say, enc,
    me: () => me,
    addView(view) { views.push(view); },
  };
  // index.html defers every script: they run in order once the page is parsed, all before
  // DOMContentLoaded, so every page has registered by the time the first one is chosen.
  document.addEventListener('DOMContentLoaded', start);
})();
