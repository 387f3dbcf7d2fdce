/*
 * Mamori: the progress of a register import. The page works without this file (its link shows
 * the latest state); with it, the <progress> element follows the job by polling its status,
 * and the page reloads when the job has finished or stopped.
 * Plain ES5 for old browsers; load it with <script src="…" defer>.
 */
(function () {
  "use strict";

  var bar = document.getElementById("import-progress");
  var text = document.getElementById("import-progress-text");
  if (!bar || !window.XMLHttpRequest || !window.JSON) {
    return;
  }
  var url = bar.getAttribute("data-status");

  function poll() {
    var req = new XMLHttpRequest();
    req.open("GET", url);
    req.setRequestHeader("Accept", "application/json");
    req.onload = function () {
      var s;
      if (req.status !== 200) {
        return; // signed out or gone: the link on the page still works
      }
      try {
        s = JSON.parse(req.responseText);
      } catch (e) {
        return;
      }
      if (!s.running) {
        window.location.reload();
        return;
      }
      if (s.total > 0) {
        bar.max = s.total;
        bar.value = Math.min(s.done, s.total);
      }
      if (text && text.textContent !== s.message) {
        text.textContent = s.message;
      }
      window.setTimeout(poll, 2000);
    };
    req.send();
  }

  window.setTimeout(poll, 1000);
})();
