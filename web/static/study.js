// Reading time on a law page (web/templates/law.html) or a study note (material.html), signed
// in only: every 30 s while the page is visible and the reader did something (pointer, key,
// scroll, touch) in the last minute, POST /api/study/heartbeat. The server credits at most the real time since the
// previous heartbeat, so a hidden or idle tab simply sends nothing and earns nothing.
(function () {
  'use strict';
  var el = document.getElementById('study');
  if (!el || !window.fetch) return;
  var lawId = Number(el.getAttribute('data-law'));
  var materialId = Number(el.getAttribute('data-material'));
  // A note page says data-material; a law page data-law.
  var what = materialId
    ? { kind: 'material', material_id: materialId }
    : { kind: 'law', law_id: lawId };
  var csrf = el.getAttribute('data-csrf');
  var INTERVAL = 30000;
  var IDLE_AFTER = 60000;
  var lastActive = Date.now();

  function touched() { lastActive = Date.now(); }
  ['pointerdown', 'pointermove', 'keydown', 'scroll', 'touchstart', 'wheel'].forEach(function (t) {
    window.addEventListener(t, touched, { passive: true });
  });
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') touched();
  });

  function beat() {
    if (document.visibilityState !== 'visible') return;
    if (Date.now() - lastActive > IDLE_AFTER) return;
    fetch('/api/study/heartbeat', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(Object.assign({ visible: true, active: true }, what))
    }).catch(function () { /* offline: the next beat simply starts a new run */ });
  }

  beat();
  window.setInterval(beat, INTERVAL);
})();
