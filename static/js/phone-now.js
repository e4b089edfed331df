// Short polling for the on-call page: the live region is replaced every five seconds.
document.addEventListener("DOMContentLoaded", function () {
  var region = document.getElementById("phone-live");
  if (!region || !window.fetch) { return; }
  var url = region.getAttribute("data-live-url");
  var last = region.innerHTML;
  window.setInterval(function () {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        // Signed out meanwhile (the session ended): reload, and the sign-in page says so.
        if (response.status === 401) { window.location.reload(); return null; }
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html !== null && html !== last) { region.innerHTML = html; last = html; }
      })
      .catch(function () {});
  }, 5000);
});
