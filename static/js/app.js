// Progressive enhancement only: every page works without this file.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  // On a phone the main menu folds behind a button; without JavaScript it stays open.
  var toggle = document.querySelector(".menu-toggle");
  var nav = document.getElementById("main-nav");
  if (toggle && nav) {
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // Move focus to the error summary so screen-reader and keyboard users hear it first.
  var summary = document.querySelector("[data-autofocus]");
  if (summary) { summary.focus(); }

  // Wide tables scroll sideways on a phone inside a focusable region, so keyboard users
  // can reach and scroll them too; the table keeps its own semantics.
  document.querySelectorAll("table.table").forEach(function (table) {
    if (table.parentElement.classList.contains("table-scroll")) { return; }
    var wrapper = document.createElement("div");
    wrapper.className = "table-scroll";
    wrapper.setAttribute("tabindex", "0");
    wrapper.setAttribute("role", "region");
    var caption = table.querySelector("caption");
    var heading = caption || document.querySelector("main h1");
    if (heading) { wrapper.setAttribute("aria-label", heading.textContent.trim()); }
    table.parentNode.insertBefore(wrapper, table);
    wrapper.appendChild(table);
  });
});
