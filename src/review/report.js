// chachong HTML report: open a paragraph to see its source beside it, link a run to its
// counterpart, filter by verdict. Everything is in the page; nothing is fetched.
(function () {
  'use strict';
  var root = document.documentElement;

  function paraOf(el) {
    return el && el.closest ? el.closest('li.para') : null;
  }

  function setOpen(li, open) {
    li.classList.toggle('open', open);
    li.setAttribute('aria-expanded', open ? 'true' : 'false');
  }

  // Clicking a paragraph opens or closes its source; links and text selection are left alone.
  document.addEventListener('click', function (e) {
    var t = e.target;
    if (t.closest('a, button, input, label')) {
      return;
    }
    var li = paraOf(t);
    if (!li) {
      return;
    }
    var sel = window.getSelection ? String(window.getSelection()) : '';
    if (sel.length > 0 && li.classList.contains('open')) {
      return;
    }
    var open = !li.classList.contains('open');
    setOpen(li, open);
    if (open && history.replaceState) {
      history.replaceState(null, '', '#' + li.id);
    }
  });

  // Keyboard: Enter or Space on a focused paragraph toggles it.
  document.addEventListener('keydown', function (e) {
    var li = e.target;
    if ((e.key === 'Enter' || e.key === ' ') && li.matches && li.matches('li.para')) {
      e.preventDefault();
      setOpen(li, !li.classList.contains('open'));
    }
  });

  // A run and its counterpart in the source light up together.
  function hot(e, on) {
    var m = e.target.closest ? e.target.closest('mark[data-run]') : null;
    var li = paraOf(m);
    if (!m || !li) {
      return;
    }
    var run = m.getAttribute('data-run');
    var all = li.querySelectorAll('mark[data-run]');
    for (var i = 0; i < all.length; i++) {
      if (all[i].getAttribute('data-run') === run) {
        all[i].classList.toggle('hot', on);
      }
    }
  }
  document.addEventListener('mouseover', function (e) { hot(e, true); });
  document.addEventListener('mouseout', function (e) { hot(e, false); });

  // Verdict filters and the open-all / close-all buttons, per draft section.
  document.addEventListener('change', function (e) {
    var box = e.target;
    var section = box.closest ? box.closest('section.draft') : null;
    var verdict = box.getAttribute && box.getAttribute('data-verdict');
    if (section && verdict) {
      section.classList.toggle('hide-' + verdict, !box.checked);
    }
  });
  document.addEventListener('click', function (e) {
    var b = e.target.closest ? e.target.closest('button[data-open]') : null;
    var section = b ? b.closest('section.draft') : null;
    if (!section) {
      return;
    }
    var open = b.getAttribute('data-open') === 'all';
    var paras = section.querySelectorAll(open ? 'li.para.has-src' : 'li.para');
    for (var i = 0; i < paras.length; i++) {
      setOpen(paras[i], open);
    }
  });

  // #d1-p6 opens (and shows) paragraph 6 of the first draft; ?open=d1-p6,d1-p7 opens them in place.
  function openIds(ids, scroll) {
    for (var i = 0; i < ids.length; i++) {
      var li = ids[i] ? document.getElementById(ids[i]) : null;
      if (li && li.classList.contains('para')) {
        setOpen(li, true);
        if (scroll) {
          li.scrollIntoView();
        }
      }
    }
  }
  var query = /[?&]open=([^&#]*)/.exec(location.search);
  if (query) {
    openIds(decodeURIComponent(query[1]).split(','), false);
  }
  if (location.hash.length > 1) {
    openIds([decodeURIComponent(location.hash.slice(1))], true);
  }
  window.addEventListener('hashchange', function () {
    openIds([decodeURIComponent(location.hash.slice(1))], true);
  });

  root.setAttribute('data-js', 'ready');
})();
