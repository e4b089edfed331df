// The "Turn on notifications" control: asks for permission, subscribes this browser with
// the server's VAPID key and stores the subscription; "Turn off" removes it.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("push-controls");
  if (!box) { return; }
  var status = document.getElementById("push-status");
  var on = document.getElementById("push-on");
  var off = document.getElementById("push-off");
  var text = function (name) { return box.getAttribute("data-text-" + name) || ""; };
  var say = function (name) { status.textContent = text(name); };
  var key = box.getAttribute("data-vapid-key");
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !key) {
    say("unsupported");
    on.disabled = true;
    return;
  }

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4))
      .replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  function send(method, body) {
    return fetch(box.getAttribute("data-url"), {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": box.getAttribute("data-csrf") },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
    });
  }

  function show(subscription) {
    on.hidden = !!subscription;
    off.hidden = !subscription;
    var missing = document.getElementById("push-missing");
    if (missing && subscription) { missing.hidden = true; }
  }

  var ready = navigator.serviceWorker.register("/service-worker.js", { scope: "/" })
    .then(function () { return navigator.serviceWorker.ready; });
  ready.then(function (registration) {
    return registration.pushManager.getSubscription().then(function (subscription) {
      show(subscription);
      if (subscription) { say("on"); }
    });
  }).catch(function () { say("failed"); });

  on.addEventListener("click", function () {
    say("working");
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { say("denied"); return null; }
      return ready.then(function (registration) {
        return registration.pushManager.subscribe({
          userVisibleOnly: true, applicationServerKey: keyBytes(key)
        });
      }).then(function (subscription) {
        return send("POST", subscription.toJSON()).then(function () {
          show(subscription);
          say("on");
          off.focus();
        });
      });
    }).catch(function () { say("failed"); });
  });

  off.addEventListener("click", function () {
    ready.then(function (registration) {
      return registration.pushManager.getSubscription();
    }).then(function (subscription) {
      if (!subscription) { show(null); return null; }
      return send("DELETE", { endpoint: subscription.endpoint }).then(function () {
        return subscription.unsubscribe();
      }).then(function () {
        show(null);
        say("off");
        on.focus();
      });
    }).catch(function () { say("failed"); });
  });
});
