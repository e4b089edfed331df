// The booking page's month of free nights as a grid: one tab stop, arrow keys between
// nights, Enter, Space, a click or a tap to choose check-in and then check-out, which fill
// the form's date fields. Without this script every night is a link doing the same.
(function () {
  "use strict";
  var section = document.querySelector("[data-calendar]");
  var checkIn = document.getElementById("check_in");
  var checkOut = document.getElementById("check_out");
  if (!section || !checkIn || !checkOut) return;
  var links = Array.prototype.slice.call(section.querySelectorAll("a[data-date]"));
  var status = section.querySelector("[data-calendar-status]");
  if (!links.length) return;

  function say(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  function nightsBetween(first, last) {
    return Math.round((Date.parse(last) - Date.parse(first)) / 86400000);
  }

  function paint() {
    var first = checkIn.value, last = checkOut.value;
    links.forEach(function (link) {
      var day = link.getAttribute("data-date");
      var chosen = first && (last ? first <= day && day < last : day === first);
      var cell = link.parentNode;
      cell.classList.toggle("cal-chosen", !!chosen);
      cell.classList.toggle("cal-out", !!last && day === last);
      cell.setAttribute("aria-selected", chosen ? "true" : "false");
    });
  }

  function choose(link) {
    var day = link.getAttribute("data-date");
    var label = link.getAttribute("data-label");
    if (checkIn.value && !checkOut.value && day > checkIn.value) {
      checkOut.value = day;
      var n = nightsBetween(checkIn.value, day);
      var nights = n === 1 ? section.getAttribute("data-one-night")
        : say(section.getAttribute("data-many-nights"), { n: n });
      status.textContent = say(section.getAttribute("data-check-out-chosen"), { day: label, nights: nights });
    } else {
      checkIn.value = day;
      checkOut.value = "";
      status.textContent = say(section.getAttribute("data-check-in-chosen"), { day: label });
    }
    paint();
  }

  function focusOn(index) {
    var target = links[Math.max(0, Math.min(links.length - 1, index))];
    links.forEach(function (link) { link.tabIndex = link === target ? 0 : -1; });
    target.focus();
  }

  var start = links.filter(function (l) { return l.getAttribute("data-date") === checkIn.value; })[0];
  links.forEach(function (link) { link.tabIndex = link === (start || links[0]) ? 0 : -1; });

  section.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-date]");
    if (!link) return;
    event.preventDefault();
    links.forEach(function (l) { l.tabIndex = l === link ? 0 : -1; });
    choose(link);
  });

  section.addEventListener("keydown", function (event) {
    var link = event.target.closest("a[data-date]");
    if (!link) return;
    var index = links.indexOf(link);
    var moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
    if (event.key in moves) {
      focusOn(index + moves[event.key]);
    } else if (event.key === "Home") {
      focusOn(0);
    } else if (event.key === "End") {
      focusOn(links.length - 1);
    } else if (event.key === " " || event.key === "Enter") {
      choose(link);
    } else {
      return;
    }
    event.preventDefault();
  });

  [checkIn, checkOut].forEach(function (input) { input.addEventListener("change", paint); });
})();
