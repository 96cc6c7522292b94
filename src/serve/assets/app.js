// chachong serve: upload drafts, follow the check, show the report; add documents to the corpus.
// Everything the page needs is served by chachong; text from the server is set as text, never as markup.
(function () {
  'use strict';

  var TEXT = {
    zh: {
      title: '查重',
      offline: '本页面只在这台电脑上运行：文件不会离开这台电脑，断网也能用。',
      check_title: '检查草稿',
      drop: '把草稿拖到这里，或点击选择文件',
      start: '开始检查',
      results_title: '检查结果',
      col_draft: '草稿', col_copied: '复制比', col_boilerplate: '套话占比', col_paras: '段落',
      col_sources: '主要来源', col_flags: '模板网站痕迹',
      download: '下载报告：',
      legend_copy: '复制', legend_partial: '部分复制', legend_bp: '套话', legend_original: '原创（无标记）',
      legend_hint: '复制的段落旁边是它的来源段落；点击其他段落也可查看来源。',
      corpus_title: '语料库',
      corpus_add: '把文档拖到这里，或点击选择文件，加入语料库',
      col_doc: '文档', col_size: '大小', col_indexed: '索引',
      footer: 'chachong 在本机运行 · 关闭运行它的窗口即停止',
      folder: '语料库文件夹：{0}',
      corpus_count: '共 {0} 篇文档，{1}（点击查看列表）',
      index_updating: '正在更新索引…… {0}/{1} 个文件',
      index_waiting: '正在打开语料库……',
      index_ready: '索引已是最新：{0} 篇文档可供比对。',
      index_changed: '索引已更新：新增 {0}、修改 {1}、删除 {2}、未变 {3}；{4} 篇文档可供比对。',
      index_failed: '无法打开语料库：{0}',
      indexed_yes: '已索引', indexed_no: '待索引',
      waiting: '待上传', uploading: '正在上传…… {0}', uploaded: '已上传', added: '已加入语料库',
      queued: '排队中……', queued_index: '排队中（等待索引更新完成）……', checking: '正在检查…… {0}/{1} 篇草稿', done: '检查完成。',
      failed: '检查失败：{0}',
      status_empty: '没有可比对的文字（空白或无法识别为文字）',
      status_unreadable: '无法读取：{0}',
      none: '无',
      paras: '{0} 段',
      counts: '复制 {0} · 部分复制 {1} · 套话 {2} · 原创 {3}',
      batch_twins: '与同批其他草稿相同的段落：',
      twin: '¶{0} = {1} ¶{2}（相同 {3}）',
      err_too_large: '文件太大（{0}），上限为 {1}',
      err_empty: '文件是空的',
      err_bad_name: '文件名不安全，未保存：{0}',
      err_unsupported: '不支持的文件类型：{0}',
      err_unreadable: '无法读取这个文件：{0}',
      err_exists: '语料库里已有同名文件，未覆盖',
      err_no_job: '这次检查已不存在，请重新开始',
      err_started: '这次检查已开始',
      err_too_many: '一次最多检查 {0} 篇草稿',
      err_no_drafts: '没有可检查的草稿',
      err_upload: '上传中断：{0}',
      err_io: '无法保存文件：{0}',
      err_network: '无法连接 chachong：它是否还在运行？',
      err_other: '出错了：{0}'
    },
    en: {
      title: 'Similarity check',
      offline: 'This page runs on this computer only: files never leave it, and it works offline.',
      check_title: 'Check drafts',
      drop: 'Drop drafts here, or click to choose files',
      start: 'Check',
      results_title: 'Results',
      col_draft: 'Draft', col_copied: 'Copied', col_boilerplate: 'Boilerplate (套话)', col_paras: 'Paragraphs',
      col_sources: 'Top sources', col_flags: 'Template-site marks',
      download: 'Download the report: ',
      legend_copy: 'copied', legend_partial: 'partly copied', legend_bp: 'boilerplate (套话)',
      legend_original: 'original (plain)',
      legend_hint: 'Copied paragraphs show their source beside them; click any other paragraph to see its source.',
      corpus_title: 'Corpus',
      corpus_add: 'Drop documents here, or click to choose files, to add them to the corpus',
      col_doc: 'Document', col_size: 'Size', col_indexed: 'Index',
      footer: 'chachong runs on this computer · closing its window stops it',
      folder: 'Corpus folder: {0}',
      corpus_count: '{0} documents, {1} (click for the list)',
      index_updating: 'Updating the index… {0}/{1} files',
      index_waiting: 'Opening the corpus…',
      index_ready: 'The index is up to date: {0} documents to compare with.',
      index_changed: 'Index updated: {0} added, {1} changed, {2} removed, {3} unchanged; {4} documents to compare with.',
      index_failed: 'The corpus cannot be opened: {0}',
      indexed_yes: 'indexed', indexed_no: 'pending',
      waiting: 'to upload', uploading: 'uploading… {0}', uploaded: 'uploaded', added: 'added to the corpus',
      queued: 'waiting…', queued_index: 'waiting (for the index update to finish)…', checking: 'checking… {0}/{1} drafts', done: 'Done.',
      failed: 'The check failed: {0}',
      status_empty: 'no text to compare (blank, or nothing readable as text)',
      status_unreadable: 'cannot be read: {0}',
      none: 'none',
      paras: '{0} paragraphs',
      counts: 'copied {0} · partly {1} · boilerplate {2} · original {3}',
      batch_twins: 'Same text as other drafts of this batch: ',
      twin: '¶{0} = {1} ¶{2} ({3} the same)',
      err_too_large: 'the file is too large ({0}); the limit is {1}',
      err_empty: 'the file is empty',
      err_bad_name: 'unsafe file name, not stored: {0}',
      err_unsupported: 'unsupported file type: {0}',
      err_unreadable: 'this file cannot be read: {0}',
      err_exists: 'the corpus already has a file of that name; it was not replaced',
      err_no_job: 'this check is gone: start again',
      err_started: 'this check has started',
      err_too_many: 'at most {0} drafts in one check',
      err_no_drafts: 'no draft to check',
      err_upload: 'the upload broke off: {0}',
      err_io: 'cannot store the file: {0}',
      err_network: 'cannot reach chachong: is it still running?',
      err_other: 'something went wrong: {0}'
    }
  };
  var EXTS = ['docx', 'doc', 'wps', 'pdf', 'txt', 'text', 'md', 'html', 'htm', 'xhtml', 'shtml'];

  var lang = 'zh';
  try {
    lang = localStorage.getItem('chachong-lang') === 'en' ? 'en' : 'zh';
  } catch (e) { /* storage may be off */ }
  var limits = { max_upload_bytes: 64 * 1048576, max_drafts: 200 };
  var drafts = [];
  var job = null;
  var lastJob = null;
  var lastCorpus = null;

  function $(id) { return document.getElementById(id); }

  function t(key) {
    var s = (TEXT[lang] && TEXT[lang][key]) || TEXT.zh[key] || key;
    var args = Array.prototype.slice.call(arguments, 1);
    return s.replace(/\{(\d)\}/g, function (_, i) { return args[+i] === undefined ? '' : String(args[+i]); });
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function size(n) {
    if (n < 1024) { return n + ' B'; }
    if (n < 1048576) { return (n / 1024).toFixed(1) + ' KB'; }
    return (n / 1048576).toFixed(1) + ' MB';
  }

  // A refusal from the server, or one the page makes itself before sending, in the page's language.
  function message(err) {
    var code = err.error || 'other';
    var detail = err.detail || '';
    switch (code) {
      case 'too_large': return t('err_too_large', err.size ? size(err.size) : '', size(limits.max_upload_bytes));
      case 'too_many': return t('err_too_many', limits.max_drafts);
      case 'empty': case 'exists': case 'no_job': case 'started': case 'no_drafts': case 'network':
        return t('err_' + code);
      default:
        return TEXT.zh['err_' + code] ? t('err_' + code, detail) : t('err_other', detail);
    }
  }

  function applyLang() {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    var all = document.querySelectorAll('[data-t]');
    for (var i = 0; i < all.length; i++) {
      all[i].textContent = t(all[i].getAttribute('data-t'));
    }
    var buttons = document.querySelectorAll('.lang button');
    for (var j = 0; j < buttons.length; j++) {
      buttons[j].setAttribute('aria-pressed', buttons[j].getAttribute('data-lang') === lang ? 'true' : 'false');
    }
    document.title = t('title') + ' · chachong';
    renderDrafts();
    reportLang();
    if (lastJob) { renderJob(lastJob); }
    if (lastCorpus) { renderCorpus(lastCorpus); }
  }

  function request(method, url, body, onProgress) {
    return new Promise(function (resolve) {
      var x = new XMLHttpRequest();
      x.open(method, url);
      if (onProgress && x.upload) {
        x.upload.onprogress = function (e) { if (e.lengthComputable) { onProgress(e.loaded / e.total); } };
      }
      x.onload = function () {
        var v = null;
        try { v = JSON.parse(x.responseText); } catch (e) { v = { error: 'other', detail: x.responseText }; }
        resolve({ ok: x.status >= 200 && x.status < 300, status: x.status, body: v });
      };
      x.onerror = function () { resolve({ ok: false, status: 0, body: { error: 'network' } }); };
      x.send(body === undefined ? null : body);
    });
  }

  // What the page can tell before sending a file; the server checks the same again.
  function precheck(file) {
    var dot = file.name.lastIndexOf('.');
    var ext = dot < 0 ? '' : file.name.slice(dot + 1).toLowerCase();
    if (EXTS.indexOf(ext) < 0) { return { error: 'unsupported', detail: file.name }; }
    if (file.size === 0) { return { error: 'empty' }; }
    if (file.size > limits.max_upload_bytes) { return { error: 'too_large', size: file.size }; }
    return null;
  }

  // --- drafts -------------------------------------------------------------------------------

  function addDrafts(files) {
    if (job && job.phase !== 'done' && job.phase !== 'failed') { return; }
    if (job) { drafts = []; job = null; }
    for (var i = 0; i < files.length; i++) {
      var bad = precheck(files[i]);
      drafts.push({ file: files[i], state: bad ? 'bad' : 'waiting', err: bad, progress: 0 });
    }
    renderDrafts();
  }

  function renderDrafts() {
    var ul = $('files');
    ul.textContent = '';
    drafts.forEach(function (d) {
      var li = el('li', d.state === 'bad' ? 'bad' : d.state === 'uploaded' ? 'ok' : '');
      li.appendChild(el('span', 'name', d.stored || d.file.name));
      li.appendChild(el('span', 'size', size(d.file.size)));
      var note = d.state === 'bad' ? message(d.err)
        : d.state === 'uploading' ? t('uploading', Math.round(d.progress * 100) + '%')
        : t(d.state);
      li.appendChild(el('span', 'note', note));
      ul.appendChild(li);
    });
    var busy = job && job.phase !== 'done' && job.phase !== 'failed';
    $('start').disabled = busy || !drafts.some(function (d) { return d.state === 'waiting'; });
  }

  function start() {
    var todo = drafts.filter(function (d) { return d.state === 'waiting'; });
    if (todo.length === 0) { return; }
    job = { phase: 'uploading' };
    lastJob = null;
    $('start').disabled = true;
    $('results').hidden = true;
    $('progress-text').textContent = '';
    $('progress-text').className = 'muted';
    request('POST', 'api/jobs').then(function (r) {
      if (!r.ok) { return fail(r.body); }
      job.id = r.body.job;
      var chain = Promise.resolve();
      todo.forEach(function (d) {
        chain = chain.then(function () { return upload(d); });
      });
      return chain.then(function () {
        if (!drafts.some(function (d) { return d.state === 'uploaded'; })) {
          job.phase = 'failed';
          renderDrafts();
          return;
        }
        return request('POST', 'api/jobs/' + job.id + '/start').then(function (s) {
          if (!s.ok) { return fail(s.body); }
          poll();
        });
      });
    });
  }

  function upload(d) {
    d.state = 'uploading';
    renderDrafts();
    var url = 'api/jobs/' + job.id + '/drafts?name=' + encodeURIComponent(d.file.name);
    return request('POST', url, d.file, function (p) { d.progress = p; renderDrafts(); }).then(function (r) {
      if (r.ok) {
        d.state = 'uploaded';
        d.stored = r.body.name;
      } else {
        d.state = 'bad';
        d.err = r.body;
      }
      renderDrafts();
    });
  }

  function fail(err) {
    job = { phase: 'failed' };
    $('progress-text').textContent = message(err);
    $('progress').hidden = true;
    renderDrafts();
  }

  function poll() {
    request('GET', 'api/jobs/' + job.id).then(function (r) {
      if (!r.ok) { return fail(r.body); }
      job.phase = r.body.phase;
      lastJob = r.body;
      renderJob(r.body);
      if (r.body.phase !== 'done' && r.body.phase !== 'failed') {
        setTimeout(poll, 400);
      } else {
        renderDrafts();
      }
    });
  }

  function renderJob(v) {
    var bar = $('progress');
    var text = $('progress-text');
    bar.hidden = v.phase === 'done' || v.phase === 'failed';
    bar.max = Math.max(1, v.total);
    bar.value = v.checked;
    text.textContent = v.phase === 'queued' ? t(v.index_updating ? 'queued_index' : 'queued')
      : v.phase === 'checking' || v.phase === 'open' ? t('checking', v.checked, v.total)
      : v.phase === 'failed' ? t('failed', v.error)
      : t('done');
    text.className = v.phase === 'failed' ? 'error' : 'muted';
    if (v.phase === 'done') { showResults(v); }
  }

  function showResults(v) {
    $('results').hidden = false;
    $('job-error').hidden = true;
    var body = document.querySelector('#summary tbody');
    body.textContent = '';
    v.results.forEach(function (r) {
      var tr = el('tr', r.status === 'ok' ? '' : 'bad');
      tr.setAttribute('data-draft', r.name);
      tr.appendChild(el('td', 'name', r.name));
      if (r.status === 'unreadable' || r.status === 'empty') {
        var why = el('td', 'error', r.status === 'empty' ? t('status_empty') : t('status_unreadable', r.reason));
        why.colSpan = 5;
        tr.appendChild(why);
        body.appendChild(tr);
        return;
      }
      var copied = el('td', 'fig copied', r.copied);
      copied.setAttribute('data-stat', 'copied_ratio');
      tr.appendChild(copied);
      var bp = el('td', 'fig', r.boilerplate);
      bp.setAttribute('data-stat', 'boilerplate_ratio');
      tr.appendChild(bp);
      var paras = el('td', '', t('paras', r.paragraphs));
      var c = r.counts;
      paras.appendChild(el('span', 'sub', t('counts', c.copy, c.partial, c.boilerplate, c.original)));
      tr.appendChild(paras);
      var src = el('td');
      if (r.sources.length === 0) {
        src.textContent = t('none');
      } else {
        var ul = el('ul');
        r.sources.forEach(function (s) { ul.appendChild(el('li', '', s.share + ' ' + s.name)); });
        src.appendChild(ul);
      }
      tr.appendChild(src);
      var fl = el('td');
      if (r.flags.length === 0) {
        fl.textContent = t('none');
      } else {
        var fu = el('ul');
        r.flags.forEach(function (f) {
          var li = el('li', '', '¶' + f.para + ' ');
          li.appendChild(el('span', 'fl', f.flags.join('; ')));
          fu.appendChild(li);
        });
        fl.appendChild(fu);
      }
      tr.appendChild(fl);
      body.appendChild(tr);
      // Drafts checked together are compared with each other: what one shares with another.
      if (r.twins.length > 0) {
        var row = el('tr', 'twins');
        row.setAttribute('data-draft', r.name);
        var cell = el('td', '', t('batch_twins'));
        cell.colSpan = 6;
        r.twins.forEach(function (w, k) {
          if (k > 0) { cell.appendChild(document.createTextNode(' · ')); }
          cell.appendChild(el('span', 'twin', t('twin', w.para, w.partner, w.partner_para, w.share)));
        });
        row.appendChild(cell);
        body.appendChild(row);
      }
    });
    var dl = $('downloads');
    while (dl.childNodes.length > 1) { dl.removeChild(dl.lastChild); }
    dl.hidden = v.downloads.length === 0;
    v.downloads.forEach(function (name) {
      var a = el('a', '', name);
      a.href = 'jobs/' + v.job + '/download/' + name;
      a.setAttribute('download', name);
      dl.appendChild(a);
    });
    var frame = $('report');
    if (v.report && frame.getAttribute('src') !== v.report) {
      frame.hidden = false;
      frame.setAttribute('src', v.report);
    } else if (!v.report) {
      frame.hidden = true;
      frame.removeAttribute('src');
    }
  }

  // The report names things in both languages; framed here, it shows the page's one.
  function reportLang() {
    var doc = $('report').contentDocument;
    if (!doc || !doc.documentElement) { return; }
    doc.documentElement.setAttribute('data-lang', lang);
    doc.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }

  // The report keeps its own page; the frame grows with it, so the page scrolls as one.
  function fitFrame() {
    var frame = $('report');
    var doc = frame.contentDocument;
    if (!doc || !doc.documentElement) { return; }
    reportLang();
    var fit = function () { frame.style.height = (doc.documentElement.scrollHeight + 4) + 'px'; };
    fit();
    if (window.ResizeObserver && doc.body) { new ResizeObserver(fit).observe(doc.body); }
  }

  // --- corpus -------------------------------------------------------------------------------

  var corpusUploads = [];

  function loadCorpus() {
    request('GET', 'api/corpus').then(function (r) {
      if (!r.ok) {
        $('index-state').textContent = message(r.body);
        $('index-state').className = 'failed';
        setTimeout(loadCorpus, 3000);
        return;
      }
      lastCorpus = r.body;
      renderCorpus(r.body);
      if (r.body.index.updating) { setTimeout(loadCorpus, 500); }
    });
  }

  function renderCorpus(c) {
    $('corpus-where').textContent = t('folder', c.folder);
    var i = c.index;
    var state = $('index-state');
    state.className = i.failed ? 'failed' : '';
    if (i.updating) {
      state.textContent = i.found > 0 ? t('index_updating', i.done, i.found) : t('index_waiting');
    } else if (i.failed) {
      state.textContent = t('index_failed', i.failed);
    } else if (i.last && (i.last.added || i.last.changed || i.last.removed)) {
      state.textContent = t('index_changed', i.last.added, i.last.changed, i.last.removed, i.last.unchanged, i.documents);
    } else {
      state.textContent = t('index_ready', i.documents === null ? 0 : i.documents);
    }
    var notes = $('index-notes');
    notes.textContent = '';
    i.notes.forEach(function (n) { notes.appendChild(el('li', '', n)); });
    $('corpus-count').textContent = t('corpus_count', c.count, size(c.bytes));
    var body = document.querySelector('#corpus-list tbody');
    body.textContent = '';
    c.documents.forEach(function (d) {
      var tr = el('tr');
      tr.appendChild(el('td', '', d.name));
      tr.appendChild(el('td', 'size', size(d.bytes)));
      tr.appendChild(el('td', '', d.indexed ? t('indexed_yes') : t('indexed_no')));
      body.appendChild(tr);
    });
    renderCorpusUploads();
  }

  function renderCorpusUploads() {
    var ul = $('corpus-files');
    ul.textContent = '';
    corpusUploads.forEach(function (u) {
      var li = el('li', u.state === 'bad' ? 'bad' : u.state === 'added' ? 'ok' : '');
      li.appendChild(el('span', 'name', u.file.name));
      li.appendChild(el('span', 'size', size(u.file.size)));
      li.appendChild(el('span', 'note', u.state === 'bad' ? message(u.err) : t(u.state, '')));
      ul.appendChild(li);
    });
  }

  function addToCorpus(files) {
    var list = [];
    for (var i = 0; i < files.length; i++) {
      var bad = precheck(files[i]);
      var u = { file: files[i], state: bad ? 'bad' : 'waiting', err: bad };
      corpusUploads.push(u);
      if (!bad) { list.push(u); }
    }
    renderCorpusUploads();
    var chain = Promise.resolve();
    list.forEach(function (u) {
      chain = chain.then(function () {
        u.state = 'uploading';
        renderCorpusUploads();
        var url = 'api/corpus/files?name=' + encodeURIComponent(u.file.name);
        return request('POST', url, u.file).then(function (r) {
          u.state = r.ok ? 'added' : 'bad';
          u.err = r.body;
          renderCorpusUploads();
        });
      });
    });
    chain.then(loadCorpus);
  }

  // --- wiring -------------------------------------------------------------------------------

  function dropZone(zone, input, take) {
    input.addEventListener('change', function () {
      take(input.files);
      input.value = '';
    });
    zone.addEventListener('dragover', function (e) { e.preventDefault(); zone.classList.add('over'); });
    zone.addEventListener('dragleave', function () { zone.classList.remove('over'); });
    zone.addEventListener('drop', function (e) {
      e.preventDefault();
      zone.classList.remove('over');
      if (e.dataTransfer && e.dataTransfer.files) { take(e.dataTransfer.files); }
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    dropZone($('drop'), $('pick'), addDrafts);
    dropZone($('corpus-drop'), $('corpus-pick'), addToCorpus);
    $('start').addEventListener('click', start);
    $('report').addEventListener('load', fitFrame);
    var buttons = document.querySelectorAll('.lang button');
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener('click', function (e) {
        lang = e.currentTarget.getAttribute('data-lang');
        try { localStorage.setItem('chachong-lang', lang); } catch (err) { /* storage may be off */ }
        applyLang();
      });
    }
    // A file dropped beside a drop zone would make the browser open it in place of the page.
    window.addEventListener('dragover', function (e) { e.preventDefault(); });
    window.addEventListener('drop', function (e) { e.preventDefault(); });
    request('GET', 'api/status').then(function (r) {
      if (r.ok) { limits = r.body; }
    });
    applyLang();
    loadCorpus();
    document.documentElement.setAttribute('data-ready', 'true');
  });
})();
