/*
 * Mamori: progressive enhancement only. Every page works without this file.
 * (a) <form data-confirm="…">: ask confirm(…) on submit; cancel when declined.
 * (b) Move focus to the .error-summary, if the page has one.
 * (c) <button data-print hidden>: shown, and prints the page when pressed.
 * Plain ES5 for old browsers; load it with <script src="…" defer>.
 */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || !form.getAttribute) {
      return;
    }
    var message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  function focusErrorSummary() {
    var summary = document.querySelector(".error-summary");
    if (!summary) {
      return;
    }
    if (!summary.hasAttribute("tabindex")) {
      summary.setAttribute("tabindex", "-1");
    }
    summary.focus();
  }

  function printButtons() {
    var buttons = document.querySelectorAll("button[data-print]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener("click", function () {
        window.print();
      });
    }
  }

  function ready() {
    focusErrorSummary();
    printButtons();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
