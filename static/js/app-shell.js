// Installs the service worker for a signed-in person and refreshes their offline week.
// Progressive enhancement: every page works without it.
(function () {
  if (!("serviceWorker" in navigator)) { return; }
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/service-worker.js", { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (registration.active) { registration.active.postMessage("refresh-week"); }
    }).catch(function () { /* no offline copy: the pages still work online */ });
  });
})();
