// 抽样回访: the monthly random sample of evaluators for return-visit surveys (MoT 第十六条;
// docs/reports.md §6; /api/v1/samples). The office (reviewers, admins) draws it; each sampled
// evaluator becomes a survey task of their unit, whose handler calls them and may open the
// evaluator's phone for it (each opening audited); nobody else gets a contact button.
'use strict';

(() => {
  const { h, api, say, enc, me, addView } = window.hcpAdmin;

  const isOffice = (m) => m.role === 'reviewer' || m.role === 'admin';
  const pad = (n) => String(n).padStart(2, '0');
  const monthText = (month) => { const [y, m] = month.split('-'); return `${y}年${Number(m)}月`; };
  const timeText = (ms) => (ms ? new Date(ms).toLocaleString('zh-CN', { hour12: false }) : '—');
  const samplePath = (month, seed) => `/api/v1/samples/${enc(month)}/${enc(seed)}`;
  const sampleHash = (month, seed) => `#/samples/${enc(month)}/${enc(seed)}`;

  // What the page says once after a draw (the toast announces it too).
  let notice = '';

  // Last month, and today's date as the seed: a seed anyone can state afterwards.
  function defaults() {
    const now = new Date();
    const last = new Date(now.getFullYear(), now.getMonth() - 1, 1);
    return { month: `${last.getFullYear()}-${pad(last.getMonth() + 1)}`,
      seed: `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}` };
  }

  // ---- the office draws ----
  function drawCard() {
    const d = defaults();
    const field = (id, label, input, help) => h('div', { class: 'field' },
      h('label', { for: id, text: label }), input, h('span', { class: 'field-help', id: `${id}-help`, text: help }));
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const submit = h('button', { type: 'submit', class: 'primary' }, '抽取样本');
    const form = h('form', { class: 'draw-form', novalidate: true, 'aria-labelledby': 'draw-title' },
      h('div', { class: 'filters' },
        field('s-month', '抽样月份', h('input', { id: 's-month', name: 'month', type: 'month', value: d.month, required: true,
          placeholder: '例如 2026-03', 'aria-describedby': 's-month-help' }), '从该月作出评价的评价人中抽取'),
        field('s-size', '样本量（人）', h('input', { id: 's-size', name: 'size', type: 'number', min: 1, max: 1000000, step: 1,
          value: 50, inputmode: 'numeric', required: true, 'aria-describedby': 's-size-help' }), '多于该月评价人数时全部抽中'),
        field('s-seed', '随机种子', h('input', { id: 's-seed', name: 'seed', value: d.seed, inputmode: 'numeric', maxlength: 20,
          autocomplete: 'off', required: true, 'aria-describedby': 's-seed-help seed-explain' }), '默认为今天的日期')),
      h('p', { class: 'explain', id: 'seed-explain' },
        h('strong', { text: '随机种子是什么？' }),
        '它决定抽中哪些人：同一月份、同一随机种子，无论何时、由谁重抽，抽中的都是同一批人，便于事后核查抽样是否公正；换一个种子就是另一次抽样。',
        '请在抽样前确定种子（例如当天日期，或会上公开摇出的数字），并与样本一同存档。'),
      error,
      h('div', { class: 'form-actions' }, submit));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const month = form.elements.month.value.trim();
      const size = form.elements.size.value.trim();
      const seed = form.elements.seed.value.trim();
      const wrong = [];
      if (!/^\d{4}-\d{2}$/.test(month)) wrong.push('抽样月份（格式 2026-03）');
      if (!/^\d{1,7}$/.test(size) || Number(size) < 1 || Number(size) > 1000000) wrong.push('样本量（1 到 1000000 的整数）');
      if (!/^\d{1,20}$/.test(seed)) wrong.push('随机种子（最多 20 位数字）');
      if (wrong.length) {
        error.hidden = false;
        error.textContent = `请检查：${wrong.join('、')}`;
        return;
      }
      error.hidden = true;
      submit.disabled = true;
      try {
        const s = await api('POST', '/api/v1/samples', { month, size: Number(size), seed });
        notice = s.created
          ? `已抽取${monthText(s.month)}样本：抽中 ${s.tasks.length} 人（该月评价人共 ${s.population} 人），已分派给各承办单位回访。`
          : `${monthText(s.month)}用随机种子 ${s.seed} 已抽过样本，以下是当时的结果（未重新抽取）。`;
        say(notice);
        location.hash = sampleHash(s.month, s.seed);
      } catch (err) {
        error.hidden = false;
        error.textContent = err.message;
        submit.disabled = false;
      }
    });
    return h('section', { class: 'card', 'aria-labelledby': 'draw-title' },
      h('h2', { id: 'draw-title', text: '抽取样本' }),
      h('p', { class: 'hint', text: '按承办单位分层、按各单位评价人数的比例分配名额，随机抽取评价人。抽中的评价人作为回访任务分派给其所在单位。' }),
      form);
  }

  // ---- the samples drawn ----
  function sampleTable(samples, handler) {
    const rows = samples.map((s) => {
      const name = `${monthText(s.month)}（种子 ${s.seed}）`;
      const cells = [
        ['月份', h('strong', { text: monthText(s.month) })],
        ['随机种子', h('span', { class: 'mono', text: s.seed })],
        ['样本量', `${s.size} 人`],
        ['该月评价人', `${s.population} 人`],
        ['抽样人', s.created_by],
        ['抽样时间', timeText(s.created_at_ms)],
        ['', h('a', { href: sampleHash(s.month, s.seed), 'aria-label': `${handler ? '本单位回访任务' : '回访任务'}：${name}` },
          handler ? '本单位回访任务' : '回访任务')],
      ];
      return h('tr', { 'data-sample': `${s.month}/${s.seed}` }, cells.map(([label, content]) => h('td', { 'data-label': label }, content)));
    });
    return h('table', { class: 'cards' },
      h('caption', { text: `已抽取的样本共 ${samples.length} 个，最近月份在前` }),
      h('thead', {}, h('tr', {}, ['月份', '随机种子', '样本量', '该月评价人', '抽样人', '抽样时间', '']
        .map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, rows));
  }

  async function listPage() {
    const m = me();
    const data = await api('GET', '/api/v1/samples');
    const handler = m.role === 'handler';
    const sub = isOffice(m)
      ? '每月从评价人中随机抽取样本，由其所在承办单位回访，了解办事服务的真实满意程度。'
      : handler ? '管理局每月随机抽取评价人开展回访；抽中本单位评价人的，由本单位经办人回访。'
        : '管理局每月随机抽取评价人开展回访（只读）。';
    const list = data.samples.length ? sampleTable(data.samples, handler)
      : h('p', { class: 'empty', text: isOffice(m) ? '还没有抽取过样本。' : '管理局还没有抽取过样本。' });
    return {
      content: [
        h('div', { class: 'page-head' }, h('div', {}, h('h1', { text: '抽样回访' }), h('p', { class: 'sub', text: sub }))),
        isOffice(m) ? drawCard() : null,
        h('section', { class: 'card', 'aria-labelledby': 'samples-title' }, h('h2', { id: 'samples-title', text: '已抽取的样本' }), list),
      ],
    };
  }

  // ---- one sample: its tasks ----
  // A unit's handler opens the evaluator's phone for one task; the centre audits it first.
  function contactCell(s, t) {
    const out = h('span', { class: 'contact-out', 'aria-live': 'polite' });
    const b = h('button', { type: 'button', 'aria-label': `查看联系电话：第 ${t.position} 号，办件 ${t.case}` }, '查看联系电话');
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        const r = await api('POST', `${samplePath(s.month, s.seed)}/tasks/${t.position}/contact`, {});
        b.hidden = true;
        out.replaceChildren(h('span', { class: 'contact-value', text: r.contact }), ' ',
          h('span', { class: 'logged', text: '（本次查看已记录）' }));
        say(`第 ${t.position} 号评价人的联系电话已显示，本次查看已记入审计日志。`);
      } catch (err) {
        out.replaceChildren(h('span', { class: 'contact-error', text: err.message }));
        // No contact on record: asking again will not help.
        if (err.errors.some((e) => e.id === 'contact.none')) b.hidden = true;
        else b.disabled = false;
      }
    });
    return h('span', { class: 'contact-cell' }, b, out);
  }

  function taskTable(s, handler) {
    const head = ['序号', handler ? null : '承办单位', '办件编号', '评价人编号', handler ? '联系电话' : null].filter(Boolean);
    const rows = s.tasks.map((t) => {
      const cells = [
        ['序号', String(t.position)],
        handler ? null : ['承办单位', t.unit_name || t.unit],
        ['办件编号', h('span', { class: 'mono', text: t.case + (t.assess > 1 ? `（追评 ${t.assess}）` : '') })],
        ['评价人编号', h('span', { class: 'mono', text: t.evaluator })],
        handler ? ['联系电话', contactCell(s, t)] : null,
      ].filter(Boolean);
      return h('tr', { 'data-position': t.position, 'data-case': t.case }, cells.map(([label, content]) => h('td', { 'data-label': label }, content)));
    });
    const caption = handler ? `本单位的回访任务 ${s.tasks.length} 个，请按序号顺序回访` : `回访任务 ${s.tasks.length} 个，按抽取顺序（即回访顺序）排列`;
    return h('table', { class: 'cards' }, h('caption', { text: caption }),
      h('thead', {}, h('tr', {}, head.map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, rows));
  }

  // How the sample's seats went to the units (the office's view of the stratification).
  function allocation(s) {
    const per = new Map();
    for (const t of s.tasks) {
      const row = per.get(t.unit) || { name: t.unit_name || t.unit, n: 0 };
      row.n += 1;
      per.set(t.unit, row);
    }
    return h('table', { class: 'compact' },
      h('caption', { text: '各承办单位抽中人数' }),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: '承办单位' }), h('th', { scope: 'col', text: '抽中人数' }))),
      h('tbody', {}, [...per.values()].map((r) => h('tr', {}, h('td', { text: r.name }), h('td', { text: String(r.n) })))));
  }

  async function samplePage(month, seed) {
    const m = me();
    const s = await api('GET', samplePath(month, seed));
    const handler = m.role === 'handler';
    const said = notice;
    notice = '';
    const head = h('div', { class: 'page-head' },
      h('div', {}, h('h1', { text: `${monthText(s.month)}回访样本` }),
        h('p', { class: 'sub', text: `随机种子 ${s.seed} · 样本量 ${s.size} 人 · 该月评价人 ${s.population} 人 · 由 ${s.created_by} 于 ${timeText(s.created_at_ms)} 抽取` })),
      h('a', { href: '#/samples' }, '← 返回样本列表'));
    const explain = handler
      ? h('div', { class: 'contact-box' },
        h('p', { text: '请逐一电话回访以下评价人，了解其对本单位办事服务的满意程度。' }),
        h('p', { class: 'hint', text: '评价人联系电话仅限本次回访使用，点击“查看联系电话”后显示。每次查看都会记录查看人和时间（审计留痕），请勿外传。' }))
      : h('p', { class: 'hint', text: '评价人联系电话只提供给其所在承办单位的经办人（每次查看留痕），管理局和审计员不查看。' });
    const tasks = s.tasks.length ? taskTable(s, handler)
      : h('p', { class: 'empty', text: handler ? '本次抽样没有抽中本单位的评价人。' : '该月没有可抽取的评价人。' });
    return {
      title: `${monthText(s.month)}回访样本`,
      content: [
        head,
        said ? h('p', { class: 'notice', text: said }) : null,
        h('section', { class: 'card', 'aria-labelledby': 'tasks-title' },
          h('h2', { id: 'tasks-title', text: handler ? '本单位回访任务' : '回访任务' }), explain, tasks),
        !handler && s.tasks.length ? h('section', { class: 'card' }, allocation(s)) : null,
      ],
    };
  }

  addView({
    key: 'samples',
    title: '抽样回访',
    visible: () => true,
    render: (parts) => (parts.length >= 2 ? samplePage(parts[0], parts[1]) : listPage()),
  });
})();
