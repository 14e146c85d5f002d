// Lindung portal — progressive enhancements only; every page works without this file.
(function () {
  'use strict';
  // Countdown to a payment code's expiry: <span data-countdown="expiry ISO" data-now="server time ISO" data-expired-text="…">.
  // Counted from the server's clock, not the phone's (a phone's clock is often wrong).
  var els = document.querySelectorAll('[data-countdown]');
  var loaded = Date.now();
  function tick() {
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      var now = Date.parse(el.getAttribute('data-now')) + (Date.now() - loaded);
      var left = Date.parse(el.getAttribute('data-countdown')) - now;
      if (!(left > 0)) { el.textContent = el.getAttribute('data-expired-text') || ''; continue; }
      var s = Math.floor(left / 1000), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
      el.textContent = h + ':' + (m < 10 ? '0' : '') + m + ':' + (s % 60 < 10 ? '0' : '') + (s % 60);
    }
  }
  if (els.length) { tick(); setInterval(tick, 1000); }
  // Filter a <select> as the person types: <input data-filter-for="selectId">.
  var filters = document.querySelectorAll('[data-filter-for]');
  for (var f = 0; f < filters.length; f++) {
    (function (input) {
      var select = document.getElementById(input.getAttribute('data-filter-for'));
      if (!select) return;
      input.addEventListener('input', function () {
        var q = input.value.trim().toLowerCase();
        var opts = select.querySelectorAll('option');
        for (var j = 0; j < opts.length; j++) {
          var o = opts[j];
          if (!o.value) continue;
          o.hidden = q !== '' && o.textContent.toLowerCase().indexOf(q) < 0;
        }
      });
    })(filters[f]);
  }
  // Forms that must not be sent twice (payments, registration): disable the button once sent.
  var forms = document.querySelectorAll('form[data-once]');
  for (var k = 0; k < forms.length; k++) {
    forms[k].addEventListener('submit', function (e) {
      var b = e.target.querySelectorAll('button[type=submit]');
      setTimeout(function () { for (var n = 0; n < b.length; n++) b[n].disabled = true; }, 0);
    });
  }
  // Copy a payment code: <button data-copy="digits" data-copy-status="id of a role=status" data-copied-text="…" hidden>,
  // shown only where the clipboard works; without it the code stays selectable text.
  var copies = document.querySelectorAll('[data-copy]');
  for (var c = 0; c < copies.length && navigator.clipboard; c++) {
    (function (btn) {
      btn.hidden = false;
      btn.addEventListener('click', function () {
        var status = document.getElementById(btn.getAttribute('data-copy-status'));
        navigator.clipboard.writeText(btn.getAttribute('data-copy')).then(function () {
          if (status) status.textContent = btn.getAttribute('data-copied-text') || '';
        });
      });
    })(copies[c]);
  }
  // The member app (issue 18 item 13): a signed-in member's pages install the service worker that keeps the card and the
  // last status for use with no signal (<body data-sw="/sw.js">; see src/web/pages/manifest.ts).
  var sw = document.body && document.body.getAttribute('data-sw');
  if (sw && 'serviceWorker' in navigator) navigator.serviceWorker.register(sw, { scope: '/' }).catch(function () {});
})();
