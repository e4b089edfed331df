// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
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
