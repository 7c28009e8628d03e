// The exam paper (web/templates/attempt.html): saves every answer as it is chosen through
// PUT /api/attempts/{id}/answers/{question_id}, retrying with backoff while the connection
// is down; counts down from the server's remaining seconds (resynced on every save); one
// question a page or all on one page; a navigator and a summary before 交卷; visibility
// changes posted to /api/attempts/{id}/events. Without this script the page still works:
// every question is its own form.
(function () {
  'use strict';
  var paper = document.getElementById('paper');
  if (!paper || !window.fetch) return;
  var attemptId = paper.getAttribute('data-attempt');
  var csrf = paper.getAttribute('data-csrf');
  var forms = Array.prototype.slice.call(paper.querySelectorAll('form.exam-q'));
  var countdown = document.getElementById('countdown');
  var notice = document.getElementById('notice');
  var toggle = document.getElementById('layout-toggle');
  var submitForm = document.getElementById('submit-form');
  var deadlineAt = now() + Number(paper.getAttribute('data-remaining')) * 1000;
  var closed = false;
  var states = {}; // question id → {busy, dirty, tries, timer}
  var current = 0;
  var mode = 'all';

  paper.classList.add('js');

  function now() { return (window.performance && performance.now) ? performance.now() : Date.now(); }
  function byId(qid) { return document.getElementById('q-' + qid); }
  function navOf(qid) { return paper.querySelector('[data-nav="' + qid + '"]'); }

  function show(message) {
    notice.textContent = message;
    notice.hidden = false;
  }

  // ---- answers ----
  function answerOf(form) {
    var type = form.getAttribute('data-type');
    var out = [];
    var inputs = form.querySelectorAll('[name="answer"]');
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i];
      if (type === 'fill') out.push(el.value.trim());
      else if (el.checked) out.push(el.value);
    }
    if (type === 'fill' && out.every(function (t) { return t === ''; })) return [];
    return out;
  }
  function flaggedOf(form) {
    var f = form.querySelector('[name="flagged"]');
    return !!(f && f.checked);
  }
  function setState(form, text, cls) {
    var el = form.querySelector('.save-state');
    el.textContent = text;
    el.className = 'save-state ' + cls;
  }
  function refreshNav(form) {
    var qid = form.getAttribute('data-question');
    var nav = navOf(qid);
    if (!nav) return;
    nav.classList.toggle('answered', answerOf(form).length > 0);
    nav.classList.toggle('flagged', flaggedOf(form));
    summary();
  }
  function summary() {
    var missing = [];
    var flagged = 0;
    forms.forEach(function (f, i) {
      if (answerOf(f).length === 0) missing.push(i + 1);
      if (flaggedOf(f)) flagged++;
    });
    document.getElementById('unanswered').textContent = missing.length;
    document.getElementById('flagged-count').textContent = flagged;
    var list = document.getElementById('summary-list');
    list.textContent = missing.length ? '未答题号：' + missing.join('、') : '全部题目已作答。';
  }
  function pending() {
    return Object.keys(states).some(function (k) {
      var s = states[k];
      return s.busy || s.dirty || s.timer;
    });
  }

  function save(form) {
    var qid = form.getAttribute('data-question');
    var s = states[qid] || (states[qid] = { busy: false, dirty: false, tries: 0, timer: null });
    if (closed) return;
    if (s.busy) { s.dirty = true; return; }
    if (s.timer) { clearTimeout(s.timer); s.timer = null; }
    s.busy = true;
    s.dirty = false;
    setState(form, '保存中…', 'saving');
    var body = JSON.stringify({ answer: answerOf(form), flagged: flaggedOf(form) });
    fetch('/api/attempts/' + attemptId + '/answers/' + qid, {
      method: 'PUT',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: body
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        s.busy = false;
        if (res.ok) {
          s.tries = 0;
          if (typeof data.remaining_seconds === 'number') {
            deadlineAt = now() + data.remaining_seconds * 1000;
          }
          if (s.dirty) return save(form);
          setState(form, '已保存', 'saved');
        } else if (res.status >= 500 || res.status === 429) {
          retry(form, s);
        } else {
          // The server refuses (too late, already submitted, invalid): its message says why.
          s.dirty = false;
          var message = data.error || '保存失败，请刷新页面';
          setState(form, '未保存：' + message, 'failed');
          show(message);
          if (res.status === 409) finish(6000);
        }
      });
    }, function () {
      s.busy = false;
      retry(form, s);
    });
  }

  function retry(form, s) {
    setState(form, '未保存（网络中断，正在重试）', 'failed');
    s.tries++;
    // Jittered, so that a county's phones do not all retry in the same instant after a restart.
    var wait = Math.min(30000, 1000 * Math.pow(2, Math.min(s.tries - 1, 5))) * (0.5 + Math.random());
    s.timer = setTimeout(function () { s.timer = null; save(form); }, wait);
  }

  forms.forEach(function (form) {
    var typing = null;
    form.addEventListener('change', function () { refreshNav(form); save(form); });
    form.addEventListener('input', function (e) {
      if (e.target.type !== 'text') return;
      refreshNav(form);
      clearTimeout(typing);
      typing = setTimeout(function () { save(form); }, 800);
    });
    form.addEventListener('submit', function (e) { e.preventDefault(); save(form); });
    form.querySelector('.prev').addEventListener('click', function () { go(current - 1); });
    form.querySelector('.next').addEventListener('click', function () { go(current + 1); });
  });
  window.addEventListener('online', function () {
    forms.forEach(function (form) {
      var s = states[form.getAttribute('data-question')];
      if (s && s.timer) { clearTimeout(s.timer); s.timer = null; save(form); }
    });
  });

  // ---- one question a page, or all ----
  function go(i) {
    current = Math.max(0, Math.min(forms.length - 1, i));
    forms.forEach(function (f, j) {
      f.classList.toggle('current', j === current);
      f.querySelector('.prev').hidden = mode !== 'one' || j === 0;
      f.querySelector('.next').hidden = mode !== 'one' || j === forms.length - 1;
    });
    Array.prototype.forEach.call(paper.querySelectorAll('[data-nav]'), function (a, j) {
      a.classList.toggle('current', j === current);
    });
    if (mode === 'one' && forms[current]) window.scrollTo(0, 0);
  }
  function setMode(m) {
    mode = m;
    paper.classList.toggle('one', m === 'one');
    toggle.textContent = m === 'one' ? '全部显示' : '逐题显示';
    try { localStorage.setItem('xuefa.exam.layout', m); } catch (e) { /* private mode */ }
    go(current);
  }
  var saved = null;
  try { saved = localStorage.getItem('xuefa.exam.layout'); } catch (e) { /* private mode */ }
  var phone = window.matchMedia && window.matchMedia('(max-width: 40rem)').matches;
  var start = forms.findIndex(function (f) { return '#' + f.id === location.hash; });
  current = start >= 0 ? start : 0;
  toggle.hidden = false;
  toggle.addEventListener('click', function () { setMode(mode === 'one' ? 'all' : 'one'); });
  setMode(saved === 'one' || saved === 'all' ? saved : (phone ? 'one' : 'all'));
  document.getElementById('navigator').addEventListener('click', function (e) {
    var a = e.target.closest('[data-nav]');
    if (!a) return;
    var i = forms.indexOf(byId(a.getAttribute('data-nav')));
    if (mode === 'one') { e.preventDefault(); go(i); } else { current = i; go(i); }
  });
  summary();

  // ---- countdown and the deadline ----
  function two(n) { return (n < 10 ? '0' : '') + n; }
  function tick() {
    var left = Math.max(0, Math.ceil((deadlineAt - now()) / 1000));
    var h = Math.floor(left / 3600), m = Math.floor(left / 60) % 60, s = left % 60;
    countdown.textContent = (h ? h + ':' + two(m) : two(m)) + ':' + two(s);
    countdown.parentNode.classList.toggle('low', left <= 300);
    if (left === 0) finish(1000);
  }
  // At the deadline the server closes the attempt; reloading shows its result.
  function finish(delay) {
    if (closed) return;
    closed = true;
    if (submitForm) submitForm.querySelector('button').disabled = true;
    setTimeout(function () { location.reload(); }, delay);
  }
  tick();
  setInterval(tick, 1000);

  // ---- 交卷: wait for answers still being saved ----
  if (submitForm) {
    document.getElementById('submit-box').addEventListener('toggle', summary);
    submitForm.addEventListener('submit', function (e) {
      if (!pending()) return;
      e.preventDefault();
      show('正在保存尚未保存的答案，请稍候…');
      var waited = 0;
      var wait = setInterval(function () {
        waited += 250;
        if (!pending() || waited >= 8000) {
          clearInterval(wait);
          if (pending()) { show('有答案尚未保存（网络中断），请恢复网络后再交卷。'); return; }
          notice.hidden = true;
          submitForm.submit();
        }
      }, 250);
    });
  }

  // ---- leaving the page is logged as evidence (never an automatic fail) ----
  document.addEventListener('visibilitychange', function () {
    if (closed) return;
    fetch('/api/attempts/' + attemptId + '/events', {
      method: 'POST',
      credentials: 'same-origin',
      keepalive: true,
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ kind: document.visibilityState === 'hidden' ? 'hidden' : 'visible' })
    }).catch(function () { /* evidence only */ });
  });
})();
