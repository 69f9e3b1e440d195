(function () {
  "use strict";
  // Marks the page as scripted (the browser test checks it) and adds the
  // small conveniences: expand/collapse all, everything open for printing,
  // and a link to a practice or dimension opens its details.
  var root = document.documentElement;
  root.setAttribute("data-js", "ready");
  function all() { return Array.prototype.slice.call(document.querySelectorAll("details")); }
  function setAll(open) { all().forEach(function (d) { d.open = open; }); }
  var bar = document.querySelector(".toolbar");
  var expand = document.getElementById("expand-all");
  var collapse = document.getElementById("collapse-all");
  if (bar && expand && collapse) {
    expand.addEventListener("click", function () { setAll(true); });
    collapse.addEventListener("click", function () { setAll(false); });
    bar.hidden = false;
  }
  var reopen = [];
  window.addEventListener("beforeprint", function () {
    reopen = all().filter(function (d) { return !d.open; });
    reopen.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    reopen.forEach(function (d) { d.open = false; });
    reopen = [];
  });
  function reveal() {
    var id = "";
    try { id = decodeURIComponent(window.location.hash.slice(1)); } catch (e) { return; }
    var el = id ? document.getElementById(id) : null;
    if (!el) { return; }
    for (var p = el; p; p = p.parentElement) {
      if (p.tagName === "DETAILS") { p.open = true; }
    }
    el.scrollIntoView();
  }
  window.addEventListener("hashchange", reveal);
  reveal();
}());
