// Live progress of a background export: polls the status URL given in data-progress-url and
// updates the <progress> bar; reloads the page when the file is ready. Without JavaScript the
// page offers a link to refresh by hand.
(function () {
  var box = document.querySelector('[data-progress-url]');
  if (!box) return;
  var bar = box.querySelector('progress');
  var text = box.querySelector('[data-progress-text]');
  var url = box.getAttribute('data-progress-url');
  function tick() {
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.total > 0) { bar.max = s.total; bar.value = s.done; }
        if (text) text.textContent = s.done + ' / ' + s.total;
        if (s.status === 'done' || s.status === 'failed') { window.location.reload(); return; }
        setTimeout(tick, 1000);
      })
      .catch(function () { setTimeout(tick, 3000); });
  }
  setTimeout(tick, 1000);
})();
