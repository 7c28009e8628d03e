// Long laws come in parts (web/templates/_law_body.html). An old link /laws/ID#art-N to an
// article in another part lands on that article's anchor in the index of the other parts,
// one tap away; with script, go straight to the part that holds it.
(function () {
  'use strict';
  function follow() {
    var id = location.hash.slice(1);
    if (!id) return;
    try { id = decodeURIComponent(id); } catch (e) { return; }
    var el = document.getElementById(id);
    if (el && el.closest && el.closest('.art-index') && el.href) {
      location.replace(el.href);
    }
  }
  follow();
  window.addEventListener('hashchange', follow);
})();
