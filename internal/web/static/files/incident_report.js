// The incident report form: 「あなたが今すること」 shows the steps of the category chosen. Without
// this script every step is shown, each with the categories it is for.
(function () {
  "use strict";
  document.querySelectorAll("select[data-steps]").forEach(function (select) {
    var list = document.getElementById(select.getAttribute("data-steps"));
    if (!list) return;
    function follow() {
      list.querySelectorAll("li[data-categories]").forEach(function (li) {
        var cats = li.getAttribute("data-categories").split(" ").filter(Boolean);
        li.hidden = select.value !== "" && cats.length > 0 && cats.indexOf(select.value) < 0;
      });
    }
    select.addEventListener("change", follow);
    follow();
  });
})();
