// An open thread fetches the messages after the last one shown every four seconds and
// appends them; without JavaScript, "Show new messages" reloads the page.
document.addEventListener("DOMContentLoaded", function () {
  var list = document.getElementById("messages");
  if (!list || !window.fetch) { return; }
  var url = list.getAttribute("data-since-url");
  var busy = false;
  window.setInterval(function () {
    if (busy || document.hidden) { return; }
    busy = true;
    var after = list.getAttribute("data-after") || "0";
    fetch(url + "?after=" + encodeURIComponent(after), {
      credentials: "same-origin", headers: { "Accept": "text/html" }
    })
      .then(function (response) {
        // Signed out meanwhile (the session ended): reload, and the sign-in page says so.
        if (response.status === 401) { window.location.reload(); return ""; }
        return response.ok ? response.text() : "";
      })
      .then(function (html) {
        if (html.trim()) {
          var holder = document.createElement("ol");
          holder.innerHTML = html;
          var items = holder.querySelectorAll("li[data-id]");
          for (var i = 0; i < items.length; i++) {
            if (!document.getElementById(items[i].id)) { list.appendChild(items[i]); }
            list.setAttribute("data-after", items[i].getAttribute("data-id"));
          }
          var empty = document.getElementById("no-messages");
          if (empty) { empty.remove(); }
        }
      })
      .catch(function () {})
      .then(function () { busy = false; });
  }, 4000);
});
