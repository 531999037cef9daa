/* haochaping rating widget: the embed script.
 *
 *   <div data-hcp-ticket="…" data-hcp-edge="https://edge.example"></div>
 *   <script src="https://edge.example/widget/hcp-widget.js" async></script>
 *
 * Each widget is one WASM instance (the shared core + Dear ImGui) drawing on its own canvas, plus
 * an accessible DOM form that mirrors it both ways. The canvas is aria-hidden and takes pointer
 * events only: keys, focus and Tab order stay with the page and the DOM form. Without WebGL2 or
 * WASM the DOM form is shown as the widget. API: docs/embedding.md.
 */
(function () {
  'use strict';
  if (window.HcpWidget) return;  // the script included twice: one loader is enough

  var VERSION = '0.1';
  var CLIENT = 'hcp-widget/' + VERSION;
  var OUTBOX_KEY = 'hcp-widget-outbox';
  var script = document.currentScript;
  var BASE = script && script.src ? script.src.replace(/[^/?#]*([?#].*)?$/, '') : '';

  // DOM labels. The canvas takes its labels from the core (widget/widget_text.cpp); these are the
  // same words for the DOM form, which must also work when the core cannot load.
  var L = {
    zh: {
      title: '服务评价', unit: '办理单位', choose: '您对本次服务满意吗？', reasons: '评价理由',
      required: '（差评必选）', optional: '（选填）', comment: '评价内容（选填）', hint: '请输入您的意见或建议',
      pub: '公开我的评价', pubHint: '公开时不显示您的姓名和联系方式', submit: '提交评价', sending: '正在提交…',
      chooseFirst: '请先选择满意度', queued: '网络暂时不可用，您的评价已保存在本机，恢复后将自动提交',
      done: '评价已提交', already: '您已评价过本次服务', failed: '评价未能提交', other: 'English',
      loadFailed: '评价表单暂时无法加载，请稍后刷新页面重试',
      levels: {5: '非常满意', 4: '满意', 3: '基本满意', 2: '不满意', 1: '非常不满意'},
      reasonRequired: '差评请至少勾选一项理由或填写评价内容'
    },
    en: {
      title: 'Rate this service', unit: 'Office', choose: 'How satisfied are you with this service?', reasons: 'Reasons',
      required: ' (required for a bad rating)', optional: ' (optional)', comment: 'Comment (optional)',
      hint: 'Your comments or suggestions', pub: 'Make my rating public', pubHint: 'Your name and contact are never shown',
      submit: 'Submit rating', sending: 'Sending…', chooseFirst: 'Please choose a satisfaction level first',
      queued: 'The network is unavailable; your rating is saved here and will be sent automatically',
      done: 'Rating submitted', already: 'You have already rated this service', failed: 'The rating could not be submitted',
      other: '中文', loadFailed: 'The rating form cannot be loaded right now; please reload the page later',
      levels: {5: 'Very satisfied', 4: 'Satisfied', 3: 'Fairly satisfied', 2: 'Dissatisfied', 1: 'Very dissatisfied'},
      reasonRequired: 'A bad rating needs at least one reason or a written comment'
    }
  };

  var CSS = [
    '.hcpw{box-sizing:border-box;max-width:720px;min-width:0;font:16px/1.5 system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1f2933;background:#fff;border:1px solid #d9e2ec;border-radius:8px;overflow:hidden;text-align:left}',
    '.hcpw *,.hcpw *::before,.hcpw *::after{box-sizing:border-box}',
    '.hcpw-head{padding:14px 16px 10px;border-bottom:1px solid #e4e7eb;background:#f7f9fc}',
    '.hcpw-item{font-size:17px;font-weight:600;margin:0;color:#1f2933;overflow-wrap:anywhere}',
    '.hcpw-unit{font-size:14px;color:#5f6b7a;margin:2px 0 0;overflow-wrap:anywhere}',
    '.hcpw-stage{position:relative;min-height:40px}',
    '.hcpw canvas.hcpw-canvas{display:block;width:100%;height:0;touch-action:pan-x pan-y;-webkit-tap-highlight-color:transparent;outline:none;border:0;margin:0;padding:0}',
    '.hcpw-sr{position:absolute!important;width:1px!important;height:1px!important;margin:-1px!important;padding:0!important;overflow:hidden!important;clip:rect(0 0 0 0)!important;white-space:nowrap!important;border:0!important}',
    '.hcpw textarea.hcpw-comment{position:absolute;display:none;margin:0;padding:8px 10px;border:0;border-radius:6px;background:transparent;resize:none;font:16px/1.5 system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1f2933;outline:none;box-shadow:none;min-height:0;max-width:none;width:auto;height:auto}',
    '.hcpw-live{padding:0 16px}',
    /* The DOM form as the widget (no WebGL2 / WASM): plain, large, same look. */
    '.hcpw-fallback .hcpw-sr{position:static!important;width:auto!important;height:auto!important;margin:0!important;overflow:visible!important;clip:auto!important;white-space:normal!important}',
    '.hcpw-fallback .hcpw-form{padding:12px 16px 16px}',
    '.hcpw-fallback fieldset{border:0;margin:0 0 12px;padding:0}',
    '.hcpw-fallback legend{font-weight:600;margin-bottom:6px;padding:0}',
    '.hcpw-fallback label{display:flex;align-items:center;gap:8px;min-height:44px;padding:0 10px;border:1px solid #cbd2d9;border-radius:6px;margin:0 0 6px;cursor:pointer}',
    '.hcpw-fallback input[type=radio],.hcpw-fallback input[type=checkbox]{width:20px;height:20px;margin:0}',
    '.hcpw-fallback textarea.hcpw-comment{position:static;display:block;width:100%;height:88px;border:1px solid #cbd2d9;background:#fff;margin:4px 0 12px}',
    '.hcpw-fallback button{min-height:44px;font:inherit;border-radius:6px;border:1px solid #1b5fab;padding:0 16px;cursor:pointer}',
    '.hcpw-fallback .hcpw-submit{width:100%;background:#1b5fab;color:#fff}',
    '.hcpw-fallback .hcpw-submit[aria-disabled=true]{background:#b8c2cc;border-color:#b8c2cc}',
    '.hcpw-fallback .hcpw-lang{background:#fff;color:#1b5fab;float:right}',
    '.hcpw-fallback .hcpw-why{color:#c0392b}',
    '.hcpw-msg{margin:0;padding:10px 16px;color:#1f2933}'
  ].join('\n');

  function injectStyle() {
    if (document.getElementById('hcpw-style')) return;
    var s = document.createElement('style');
    s.id = 'hcpw-style';
    s.textContent = CSS;
    (document.head || document.documentElement).appendChild(s);
  }

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'class') e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }

  function uuid() {  // crypto.randomUUID needs a secure context; getRandomValues does not
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  function trimEdge(edge) { return String(edge || '').replace(/\/+$/, ''); }

  // Milestones of loading, for bench/widget_size (performance.mark; navigation start = 0): files
  // (core script, compiled wasm and font), form (the edge's answer), core (runtime started),
  // attached (font atlas, layout, WebGL context: platform_web.cpp marks each), interactive.
  function mark(name) { if (window.performance && performance.mark) performance.mark(name); }

  // ---- The core: compiled once, one instance per widget ------------------------------------------

  var coreScript = null, wasmModule = null, fontBytes = null;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = src; s.async = true;
      s.onload = resolve; s.onerror = function () { reject(new Error('cannot load ' + src)); };
      document.head.appendChild(s);
    });
  }

  function loadCore() {
    if (typeof WebAssembly !== 'object') return Promise.reject(new Error('no WebAssembly'));
    if (!coreScript) {
      // Fetched as a page's `<link rel=preload as=fetch crossorigin>` asks (credentials
      // 'same-origin', the default), so that such a hint's answer is taken instead of asking again
      // (docs/embedding.md, "Loading sooner"); from an edge on another origin no cookie goes either way.
      var wasmUrl = BASE + 'hcp-widget-core.wasm';
      var compiled = WebAssembly.compileStreaming
        ? WebAssembly.compileStreaming(fetch(wasmUrl)).catch(function () {
            return fetch(wasmUrl).then(function (r) { return r.arrayBuffer(); }).then(WebAssembly.compile);
          })
        : fetch(wasmUrl).then(function (r) { return r.arrayBuffer(); }).then(WebAssembly.compile);
      var font = fetch(BASE + 'hcp-widget-font.otf').then(function (r) {
        if (!r.ok) throw new Error('font ' + r.status);
        return r.arrayBuffer();
      });
      coreScript = Promise.all([
        window.HcpWidgetCore ? Promise.resolve() : loadScript(BASE + 'hcp-widget-core.js'),
        compiled, font
      ]).then(function (r) { wasmModule = r[1]; fontBytes = new Uint8Array(r[2]); mark('hcp-widget-files'); });
    }
    return coreScript;
  }

  function newCore(hooks) {
    return window.HcpWidgetCore({
      instantiateWasm: function (imports, done) {
        WebAssembly.instantiate(wasmModule, imports).then(function (inst) { done(inst, wasmModule); });
        return {};
      },
      hcpOnState: function (json) { hooks.state(JSON.parse(json)); },
      hcpOnLayout: function (x, y, w, h, height) { hooks.layout(x, y, w, h, height); },
      hcpOnSubmit: function () { hooks.submit(); },
      hcpOnCanvasLost: function (why) { hooks.canvasLost(why); }
    });
  }

  // Thin typed wrappers over the exported C functions.
  function wrapCore(M) {
    function withStr(s, f) {
      var n = M.lengthBytesUTF8(s) + 1, p = M._malloc(n);
      M.stringToUTF8(s, p, n);
      try { return f(p); } finally { M._free(p); }
    }
    return {
      create: function (formJson, en) { return withStr(formJson, function (p) { return M.UTF8ToString(M._hcpw_create(p, en ? 1 : 0)); }); },
      attach: function (selector, width, dpr) {
        var p = M._malloc(fontBytes.length);
        M.HEAPU8.set(fontBytes, p);
        try {
          return withStr(selector, function (s) { return M.UTF8ToString(M._hcpw_attach(s, p, fontBytes.length, width, dpr)); });
        } finally { M._free(p); }
      },
      resize: function (w, h, dpr) { M._hcpw_resize(w, h, dpr); },
      visible: function (v) { M._hcpw_set_visible(v ? 1 : 0); },
      level: function (v) { M._hcpw_choose_level(v); },
      toggle: function (code) { withStr(code, M._hcpw_toggle_reason); },
      comment: function (t) { withStr(t, M._hcpw_set_comment); },
      pub: function (on) { M._hcpw_set_public(on ? 1 : 0); },
      lang: function (en) { M._hcpw_set_lang(en ? 1 : 0); },
      focus: function (key) { withStr(key, M._hcpw_focus); },
      state: function () { return JSON.parse(M.UTF8ToString(M._hcpw_state())); },
      submission: function (ticket) {
        return withStr(ticket, function (t) { return withStr(CLIENT, function (c) { return M.UTF8ToString(M._hcpw_submission(t, c)); }); });
      },
      sending: function () { M._hcpw_begin_sending(); },
      queued: function () { M._hcpw_mark_queued(); },
      response: function (status, body) { return withStr(body, function (b) { return M.UTF8ToString(M._hcpw_apply_response(status, b)); }); },
      frames: function () { return M._hcpw_frames(); },
      target: function (key) { return withStr(key, function (k) { return M.UTF8ToString(M._hcpw_target(k)); }); }
    };
  }

  // ---- Without the core: the DOM form alone, with the rules the citizen can break by hand -------

  function jsModel(form, lang) {
    var m = {level: null, reasons: [], comment: '', pub: false, phase: form.already_rated ? 'already_rated' : 'editing',
             lang: lang, rating_id: '',
             messages: form.already_rated ? [{id: 'rating.already_rated', field: '', message: '该办件已经评价过了，感谢您的参与',
                                              message_en: 'This case has already been rated, thank you'}] : []};
    function offered() {
      if (!m.level) return [];
      return form.reasons.filter(function (r) { return r.levels.indexOf(m.level) >= 0; });
    }
    function why() {
      if (!m.level) return {id: 'rating.satisfaction_required', field: 'satisfaction', message: '请选择满意度', message_en: 'Please choose a satisfaction level'};
      if (m.level <= 2 && !m.reasons.length && !m.comment.trim())
        return {id: 'rating.reason_required', field: 'reasons', message: L.zh.reasonRequired, message_en: L.en.reasonRequired};
      if (Array.from(m.comment).length > form.limits.comment_max)
        return {id: 'rating.comment_too_long', field: 'comment', message: '评价内容过长，最多 ' + form.limits.comment_max + ' 个字',
                message_en: 'Comment too long, at most ' + form.limits.comment_max + ' characters'};
      return null;
    }
    var api = {
      create: function () { return ''; }, attach: function () { return 'no core'; }, resize: function () {},
      visible: function () {}, focus: function () {}, frames: function () { return 0; }, target: function () { return ''; },
      level: function (v) { if (m.phase !== 'editing') return; m.level = v; m.reasons = m.reasons.filter(function (c) { return offered().some(function (r) { return r.code === c; }); }); },
      toggle: function (c) { if (m.phase !== 'editing') return; var i = m.reasons.indexOf(c); if (i >= 0) m.reasons.splice(i, 1); else if (offered().some(function (r) { return r.code === c; }) && m.reasons.length < form.limits.max_reasons) m.reasons.push(c); },
      comment: function (t) { m.comment = t; }, pub: function (on) { m.pub = on; }, lang: function (en) { m.lang = en ? 'en' : 'zh'; },
      state: function () {
        var w = why();
        return {phase: m.phase, lang: m.lang, level: m.level, reasons: m.reasons.slice(), offered: offered(), reasons_required: !!m.level && m.level <= 2,
                comment: m.comment, public: m.pub, can_submit: m.phase === 'editing' && !w, why_not: w, messages: m.messages, rating_id: m.rating_id};
      },
      submission: function (ticket) {
        return JSON.stringify({satisfaction: m.level, reasons: m.reasons, comment: m.comment, public: m.pub, dimensions: {},
                               ticket: ticket, catalogue_version: form.catalogue_version, client: CLIENT + ' form'});
      },
      sending: function () { if (m.phase === 'editing' || m.phase === 'queued') m.phase = 'sending'; },
      queued: function () { if (m.phase === 'sending' || m.phase === 'editing') m.phase = 'queued'; },
      response: function (status, text) {
        var body = {}; try { body = JSON.parse(text); } catch (e) { /* a proxy's HTML page */ }
        var errs = (body && body.errors) || [];
        if (status === 201 || status === 200) { m.messages = [{id: 'rating.accepted', message: body.message, message_en: body.message_en}]; m.rating_id = body.id || ''; return (m.phase = 'done'); }
        if (status === 409) { m.messages = errs; m.rating_id = body.id || ''; return (m.phase = 'already_rated'); }
        if (status === 0 || status === 429 || status >= 500) { m.messages = errs; return (m.phase = 'queued'); }
        m.messages = errs;
        return (m.phase = status === 422 ? 'editing' : 'failed');
      }
    };
    return api;
  }

  // ---- The offline outbox: kept in localStorage until the edge answers for good -----------------

  function readOutbox() {
    try { return JSON.parse(localStorage.getItem(OUTBOX_KEY) || '[]'); } catch (e) { return []; }
  }
  function writeOutbox(list) {
    try { localStorage.setItem(OUTBOX_KEY, JSON.stringify(list)); } catch (e) { /* private mode: memory only */ }
  }
  function outboxPut(entry) {
    var list = readOutbox().filter(function (e) { return e.key !== entry.key; });
    list.push(entry);
    writeOutbox(list);
  }
  function outboxDrop(key) { writeOutbox(readOutbox().filter(function (e) { return e.key !== key; })); }

  // One POST. Resolves {status, text, retryAfter}; status 0 = no answer.
  function post(entry) {
    return fetch(entry.edge + '/api/v1/ratings', {
      method: 'POST', body: entry.body, credentials: 'omit', keepalive: true,
      headers: {'Content-Type': 'application/json', 'Idempotency-Key': entry.key}
    }).then(function (res) {
      return res.text().then(function (text) {
        return {status: res.status, text: text, retryAfter: Number(res.headers.get('Retry-After')) || 0};
      });
    }, function () { return {status: 0, text: '', retryAfter: 0}; });
  }

  function transient(status) { return status === 0 || status === 429 || status >= 500; }

  // Sends `entry` until the edge gives a final answer, backing off 1 s, 2 s, 4 s … 60 s; `online`
  // cuts the wait short. The same key and body every time: the edge stores it exactly once.
  var inFlight = {};
  function deliver(entry, onAnswer) {
    if (inFlight[entry.key]) return inFlight[entry.key].then(onAnswer);
    var p = new Promise(function (resolve) {
      var attempt = entry.attempts || 0;
      function tryOnce() {
        post(entry).then(function (r) {
          if (!transient(r.status)) {
            outboxDrop(entry.key);
            window.removeEventListener('online', wake);
            resolve(r);
            return;
          }
          entry.attempts = ++attempt;
          outboxPut(entry);
          if (entry.onQueued) entry.onQueued(r);
          var wait = r.retryAfter ? r.retryAfter * 1000 : Math.min(60000, 1000 * Math.pow(2, attempt - 1));
          timer = setTimeout(tryOnce, wait);
        });
      }
      var timer = null;
      function wake() { if (timer) { clearTimeout(timer); timer = null; tryOnce(); } }
      window.addEventListener('online', wake);
      tryOnce();
    });
    inFlight[entry.key] = p;
    p.then(function () { delete inFlight[entry.key]; });
    return p.then(onAnswer);
  }

  // Ratings left by an earlier visit (closed tab, reload while offline) go out on any page load.
  function flushOutbox() {
    readOutbox().forEach(function (e) { deliver(e, function () {}); });
  }

  // ---- One widget -------------------------------------------------------------------------------

  var counter = 0;

  function Widget(root, options) {
    this.root = root;
    this.ticket = options.ticket || root.getAttribute('data-hcp-ticket') || '';
    this.edge = trimEdge(options.edge || root.getAttribute('data-hcp-edge') || location.origin);
    this.langKey = (options.lang || root.getAttribute('data-hcp-lang') || 'zh').indexOf('en') === 0 ? 'en' : 'zh';
    this.mode = options.mode || root.getAttribute('data-hcp-mode') || 'auto';  // 'form' forces the DOM form
    this.n = ++counter;
    this.core = null;
    this.form = null;
    this.state = null;
    this.ready = new Promise(function (r) { this._ready = r; }.bind(this));
  }

  Widget.prototype.emit = function (name, detail) {
    this.root.dispatchEvent(new CustomEvent(name, {bubbles: true, detail: detail}));
  };

  Widget.prototype.start = function () {
    var self = this;
    // The requests first (the form, the core's files, all at once), then the page work.
    // Credentials as for the core's files (loadCore): a page's preload of this URL is taken.
    var formReq = fetch(this.edge + '/api/v1/form?ticket=' + encodeURIComponent(this.ticket))
      .then(function (r) { return r.text().then(function (t) { mark('hcp-widget-form'); return {status: r.status, text: t}; }); });
    var core = this.mode === 'form' ? Promise.reject(new Error('form mode')) : loadCore();
    core.catch(function () {});  // decided below, together with the form
    injectStyle();
    root_clear(this.root);
    this.box = el('div', {class: 'hcpw', lang: this.langKey === 'zh' ? 'zh-CN' : 'en'});
    this.root.appendChild(this.box);
    return formReq.then(function (res) {
      var body = null;
      try { body = JSON.parse(res.text); } catch (e) { /* not JSON */ }
      if (res.status !== 200 || !body) {
        var err = (body && body.errors && body.errors[0]) || {id: 'widget.form_unavailable', message: L.zh.loadFailed, message_en: L.en.loadFailed};
        self.showMessage(self.langKey === 'en' ? err.message_en : err.message, 'alert');
        self.emit('hcp:error', {id: err.id, status: res.status, message: err.message, message_en: err.message_en});
        self._ready(self);
        return self;
      }
      self.form = body;
      return core.then(function () { return self.build(true); }, function (e) { self.fallbackWhy = String(e && e.message || e); return self.build(false); });
    }, function () {
      self.showMessage(L[self.langKey].loadFailed, 'alert');
      self.emit('hcp:error', {id: 'widget.form_unavailable', status: 0, message: L.zh.loadFailed, message_en: L.en.loadFailed});
      self._ready(self);
      return self;
    });
  };

  function root_clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  Widget.prototype.showMessage = function (text, role) {
    var p = el('p', {class: 'hcpw-msg', role: role || 'status', text: text});
    this.box.appendChild(p);
  };

  Widget.prototype.build = function (withCore) {
    var self = this, f = this.form, t = L[this.langKey];
    var hooks = {
      state: function (s) { self.mirror(s); },
      layout: function (x, y, w, h, height) { self.layout(x, y, w, h, height); },
      submit: function () { self.submit(); },
      canvasLost: function (why) { self.toForm(why); }
    };
    var head = el('div', {class: 'hcpw-head'}, [
      el('p', {class: 'hcpw-item', text: f.item_name}),
      this.unitEl = el('p', {class: 'hcpw-unit', text: t.unit + '：' + f.unit_name})
    ]);
    this.box.appendChild(head);
    var stage = el('div', {class: 'hcpw-stage'});
    this.box.appendChild(stage);
    this.stage = stage;
    var uid = 'hcpw-' + this.n;
    this.canvas = el('canvas', {id: uid + '-canvas', class: 'hcpw-canvas', 'aria-hidden': 'true', tabindex: '-1'});
    stage.appendChild(this.canvas);
    this.buildForm(uid);
    stage.appendChild(this.formEl);

    var attach = function () {
      if (!withCore) return Promise.resolve(false);
      return newCore(hooks).then(function (M) {
        mark('hcp-widget-core');
        var api = wrapCore(M);
        var err = api.create(JSON.stringify(f), self.langKey === 'en');
        if (err) throw new Error(err);
        self.core = api;
        var width = stage.clientWidth || 320, dpr = window.devicePixelRatio || 1;
        // The canvas gets its size once, from the panel's first layout (platform_web.cpp).
        var attached = api.attach('#' + uid + '-canvas', width, dpr);
        mark('hcp-widget-attached');
        if (attached) self.fallbackWhy = attached;
        return !attached;
      });
    };
    return attach().catch(function (e) { self.fallbackWhy = String(e && e.message || e); return false; }).then(function (drawn) {
      if (!self.core) self.core = jsModel(f, self.langKey);
      self.drawn = drawn;
      if (!drawn) {
        self.showForm();
      } else {
        self.observe();
      }
      self.mirror(self.core.state());
      // Interactive from here: bench/widget_size reads this mark (navigation start = 0).
      mark('hcp-widget-interactive');
      self._ready(self);
      return self;
    });
  };

  Widget.prototype.buildForm = function (uid) {
    var self = this, t = L[this.langKey];
    var form = el('form', {class: 'hcpw-form', novalidate: ''});
    form.addEventListener('submit', function (e) { e.preventDefault(); self.submit(); });
    this.formEl = form;
    var sr = el('div', {class: 'hcpw-sr'});
    this.langBtn = el('button', {type: 'button', class: 'hcpw-lang', lang: this.langKey === 'zh' ? 'en' : 'zh-CN', text: t.other});
    this.langBtn.addEventListener('click', function () { self.setLang(self.langKey === 'zh' ? 'en' : 'zh'); });
    this.focusable(this.langBtn, 'lang');
    sr.appendChild(this.langBtn);
    this.levelLegend = el('legend', {text: t.choose});
    var levels = el('fieldset', {class: 'hcpw-levels'}, [this.levelLegend]);
    this.radios = {};
    [5, 4, 3, 2, 1].forEach(function (v) {
      var input = el('input', {type: 'radio', name: uid + '-level', value: String(v)});
      input.addEventListener('change', function () { if (input.checked) { self.core.level(v); self.sync(); } });
      self.focusable(input, 'level:' + v);
      var span = el('span', {text: t.levels[v]});
      self.radios[v] = {input: input, span: span};
      levels.appendChild(el('label', {}, [input, span]));
    });
    sr.appendChild(levels);
    this.reasonLegend = el('legend', {});
    this.reasonSet = el('fieldset', {class: 'hcpw-reasons', hidden: ''}, [this.reasonLegend]);
    sr.appendChild(this.reasonSet);
    form.appendChild(sr);

    this.commentLabel = el('label', {for: uid + '-comment', class: 'hcpw-sr', text: t.comment});
    form.appendChild(this.commentLabel);
    this.textarea = el('textarea', {id: uid + '-comment', class: 'hcpw-comment', placeholder: t.hint,
                                    maxlength: String(this.form.limits.comment_max * 2)});
    this.textarea.addEventListener('input', function () { self.core.comment(self.textarea.value); self.sync(); });
    this.focusable(this.textarea, 'comment');
    form.appendChild(this.textarea);

    var sr2 = el('div', {class: 'hcpw-sr'});
    this.pubInput = el('input', {type: 'checkbox', class: 'hcpw-public', 'aria-describedby': uid + '-pubhint'});
    this.pubInput.addEventListener('change', function () { self.core.pub(self.pubInput.checked); self.sync(); });
    this.focusable(this.pubInput, 'public');
    this.pubSpan = el('span', {text: t.pub});
    sr2.appendChild(el('label', {}, [this.pubInput, this.pubSpan]));
    this.pubHint = el('p', {id: uid + '-pubhint', text: t.pubHint});
    sr2.appendChild(this.pubHint);
    this.submitBtn = el('button', {type: 'submit', class: 'hcpw-submit', 'aria-describedby': uid + '-why', text: t.submit});
    this.focusable(this.submitBtn, 'submit');
    sr2.appendChild(this.submitBtn);
    this.why = el('p', {id: uid + '-why', class: 'hcpw-why'});
    sr2.appendChild(this.why);
    // Errors and the confirmation are announced; the canvas shows them, this region says them.
    this.live = el('div', {class: 'hcpw-live', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true'});
    sr2.appendChild(this.live);
    form.appendChild(sr2);
  };

  // The DOM element that has focus is drawn as a ring on the canvas, so keyboard users see where they are.
  Widget.prototype.focusable = function (node, key) {
    var self = this;
    node.addEventListener('focus', function () { if (self.core) self.core.focus(key); });
    node.addEventListener('blur', function () { if (self.core) self.core.focus(''); });
  };

  Widget.prototype.sync = function () { this.mirror(this.core.state()); };

  // Model -> DOM form (both ways: the canvas changes the model, this keeps the form in step).
  Widget.prototype.mirror = function (s) {
    var self = this, t = L[s.lang === 'en' ? 'en' : 'zh'];
    var prev = this.state;
    this.state = s;
    [5, 4, 3, 2, 1].forEach(function (v) { self.radios[v].input.checked = s.level === v; });
    var offeredKey = s.offered.map(function (r) { return r.code; }).join(',') + '|' + s.lang;
    if (offeredKey !== this.offeredKey) {
      this.offeredKey = offeredKey;
      Array.prototype.slice.call(this.reasonSet.querySelectorAll('label')).forEach(function (l) { l.remove(); });
      this.reasonBoxes = {};
      s.offered.forEach(function (r) {
        var input = el('input', {type: 'checkbox', value: r.code});
        input.addEventListener('change', function () { self.core.toggle(r.code); self.sync(); });
        self.focusable(input, 'reason:' + r.code);
        self.reasonBoxes[r.code] = input;
        self.reasonSet.appendChild(el('label', {}, [input, el('span', {text: s.lang === 'en' ? r.en : r.zh})]));
      });
    }
    if (s.offered.length) this.reasonSet.removeAttribute('hidden'); else this.reasonSet.setAttribute('hidden', '');
    this.reasonLegend.textContent = t.reasons + (s.reasons_required ? t.required : t.optional);
    if (s.reasons_required) this.reasonSet.setAttribute('aria-required', 'true'); else this.reasonSet.removeAttribute('aria-required');
    Object.keys(this.reasonBoxes || {}).forEach(function (c) { self.reasonBoxes[c].checked = s.reasons.indexOf(c) >= 0; });
    if (this.textarea.value !== s.comment && document.activeElement !== this.textarea) this.textarea.value = s.comment;
    this.pubInput.checked = !!s.public;
    var editing = s.phase === 'editing';
    this.submitBtn.setAttribute('aria-disabled', s.can_submit ? 'false' : 'true');
    this.submitBtn.textContent = editing ? t.submit : t.sending;
    var whyText = !editing || !s.why_not ? '' : s.why_not.id === 'rating.satisfaction_required' ? t.chooseFirst
      : (s.lang === 'en' ? s.why_not.message_en : s.why_not.message);
    this.why.textContent = whyText;
    var finished = !editing && s.phase !== 'sending';
    [this.textarea].concat(Object.keys(this.radios).map(function (v) { return self.radios[v].input; }), [this.pubInput])
      .forEach(function (n) { n.disabled = finished; });
    if (finished) this.textarea.style.display = 'none';
    // Announce a new outcome once.
    var msg = s.messages.map(function (m) { return s.lang === 'en' ? m.message_en : m.message; }).join(' ');
    var heading = s.phase === 'done' ? t.done : s.phase === 'already_rated' ? t.already : s.phase === 'failed' ? t.failed
      : s.phase === 'queued' ? t.queued : '';
    var live = (heading ? heading + (s.phase === 'queued' ? '' : '。') : '') + (s.phase === 'queued' ? '' : msg);
    if (!prev || prev.phase !== s.phase || JSON.stringify(prev.messages) !== JSON.stringify(s.messages)) {
      if (live) this.live.textContent = live;
    }
    this.box.setAttribute('data-phase', s.phase);
  };

  // The form alone is the widget; say why once, for whoever debugs the page.
  Widget.prototype.showForm = function () {
    if (this.mode !== 'form' && window.console) console.warn('hcp-widget: showing the form without the canvas: ' + this.fallbackWhy);
    this.box.classList.add('hcpw-fallback');
    this.canvas.style.display = 'none';
  };

  // The canvas can no longer draw (its WebGL2 context was lost, or its program did not link): the
  // accessible form becomes the widget, on the same core, so nothing chosen or typed is lost.
  Widget.prototype.toForm = function (why) {
    if (!this.drawn) return;
    this.drawn = false;
    this.fallbackWhy = why;
    this.showForm();
    var ta = this.textarea.style;
    ta.left = ta.top = ta.width = ta.height = ta.display = '';
    this.sync();
  };

  // Canvas -> page: the panel's height, and where the DOM textarea goes.
  Widget.prototype.layout = function (x, y, w, h, height) {
    var width = this.stage.clientWidth || 320, dpr = window.devicePixelRatio || 1;
    if (Math.abs(height - this.cssHeight) >= 1 || !this.cssHeight) {
      this.cssHeight = height;
      this.sizeCanvas(width, height, dpr);
      this.core.resize(width, height, dpr);
    }
    var ta = this.textarea;
    if (w > 0 && this.state && (this.state.phase === 'editing' || this.state.phase === 'sending')) {
      ta.style.display = 'block';
      ta.style.left = x + 'px'; ta.style.top = y + 'px';
      ta.style.width = w + 'px'; ta.style.height = h + 'px';
    } else {
      ta.style.display = 'none';
    }
  };

  // The canvas's backing store in device pixels. Assigning a size, even the same one, resets the
  // WebGL drawing buffer (slow on a software renderer): only a change is assigned.
  Widget.prototype.sizeCanvas = function (width, height, dpr) {
    var c = this.canvas, w = Math.round(width * dpr), h = Math.round(height * dpr);
    if (c.width !== w) c.width = w;
    if (c.height !== h) c.height = h;
    c.style.height = height + 'px';
  };

  Widget.prototype.observe = function () {
    var self = this;
    var lastW = 0, lastDpr = 0;
    function resized() {
      var width = self.stage.clientWidth, dpr = window.devicePixelRatio || 1;
      if (!width || (width === lastW && dpr === lastDpr)) return;
      lastW = width; lastDpr = dpr;
      var height = self.cssHeight || 600;
      self.sizeCanvas(width, height, dpr);
      self.core.resize(width, height, dpr);
    }
    if (window.ResizeObserver) new ResizeObserver(resized).observe(this.stage);
    else window.addEventListener('resize', resized);
    resized();
    // Off-screen widgets draw nothing.
    if (window.IntersectionObserver) {
      new IntersectionObserver(function (entries) {
        entries.forEach(function (e) { self.core.visible(e.isIntersecting); });
      }).observe(this.canvas);
    }
  };

  Widget.prototype.setLang = function (key) {
    this.langKey = key === 'en' ? 'en' : 'zh';
    var t = L[this.langKey];
    this.box.setAttribute('lang', this.langKey === 'zh' ? 'zh-CN' : 'en');
    this.core.lang(this.langKey === 'en');
    this.langBtn.textContent = t.other;
    this.langBtn.setAttribute('lang', this.langKey === 'zh' ? 'en' : 'zh-CN');
    this.levelLegend.textContent = t.choose;
    for (var v in this.radios) this.radios[v].span.textContent = t.levels[v];
    this.commentLabel.textContent = t.comment;
    this.textarea.placeholder = t.hint;
    this.pubSpan.textContent = t.pub;
    this.pubHint.textContent = t.pubHint;
    this.unitEl.textContent = t.unit + '：' + this.form.unit_name;
    this.offeredKey = null;
    this.sync();
  };

  Widget.prototype.submit = function () {
    var self = this, s = this.core.state();
    if (!s.can_submit) {
      // Say why, where a screen reader hears it; the button stays focusable (aria-disabled).
      var t = L[s.lang === 'en' ? 'en' : 'zh'];
      if (s.phase === 'editing' && s.why_not) {
        this.live.textContent = s.why_not.id === 'rating.satisfaction_required' ? t.chooseFirst
          : (s.lang === 'en' ? s.why_not.message_en : s.why_not.message);
      }
      return Promise.resolve(s);
    }
    var entry = {key: uuid(), edge: this.edge, body: this.core.submission(this.ticket), attempts: 0, at: Date.now()};
    outboxPut(entry);  // before the first byte leaves: a closed tab still delivers it later
    var queuedOnce = false;
    Object.defineProperty(entry, 'onQueued', {enumerable: false, value: function () {
      if (queuedOnce) return;
      queuedOnce = true;
      self.core.queued();
      self.sync();
    }});
    this.core.sending();
    this.sync();
    return deliver(entry, function (r) {
      if (self.core.state().phase === 'queued') self.core.sending();
      self.core.response(r.status, r.text);
      self.sync();
      var body = {};
      try { body = JSON.parse(r.text); } catch (e) { /* ignore */ }
      if (r.status === 201 || r.status === 409) {
        self.emit('hcp:rated', {id: body.id || '', status: r.status, already_rated: r.status === 409,
                                satisfaction: JSON.parse(entry.body).satisfaction});
      } else {
        var e0 = (body.errors && body.errors[0]) || {};
        self.emit('hcp:error', {id: e0.id || 'widget.http_' + r.status, status: r.status, message: e0.message, message_en: e0.message_en,
                                errors: body.errors || []});
      }
      return self.core.state();
    });
  };

  function mount(element, options) {
    if (typeof element === 'string') element = document.querySelector(element);
    if (!element) throw new Error('HcpWidget.mount: no element');
    if (element.__hcpWidget) return element.__hcpWidget.controller;
    var w = new Widget(element, options || {});
    var controller = {
      element: element,
      ready: w.ready.then(function () { return controller; }),
      state: function () { return w.core ? w.core.state() : null; },
      submit: function () { return w.submit(); },
      setLang: function (lang) { w.setLang(lang); },
      frames: function () { return w.core ? w.core.frames() : 0; },
      mode: function () { return w.drawn ? 'canvas' : 'form'; },
      fallbackReason: function () { return w.fallbackWhy || ''; },
      // Where a control is drawn, in page coordinates {x, y, width, height}, or null (tests, tools).
      target: function (key) {
        var t = w.core && w.core.target(key);
        if (!t) return null;
        var v = t.split(' ').map(Number), r = w.canvas.getBoundingClientRect();
        return {x: r.left + v[0], y: r.top + v[1], width: v[2], height: v[3]};
      }
    };
    w.controller = controller;
    element.__hcpWidget = w;
    w.start();
    return controller;
  }

  function autoMount() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-hcp-ticket]'), function (e) {
      if (!e.__hcpWidget) mount(e, {});
    });
  }

  // The outbox after the widgets' requests are on their way: the first localStorage read of a page
  // can hold the page's thread for tens of ms (docs/performance.md).
  function start() { autoMount(); flushOutbox(); }
  window.HcpWidget = {version: VERSION, mount: mount, flush: flushOutbox};
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);  // a <script> in <head>
  else start();
})();
