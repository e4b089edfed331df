// Hubhome's service worker (served from /service-worker.js, scope "/"): it shows push
// notifications and keeps the person's coming week (home, respite bookings, activities,
// on-call shifts) readable offline. The copies are the person's own pages; signing out (or
// reaching the sign-in page, as when the session has expired) deletes them.
"use strict";

var CACHE = "hubhome-week-v1";
var WEEK_PAGES = ["/home", "/respite/", "/activities/", "/rota/cover/"];
var OFFLINE = "<!doctype html><html lang=\"sv\"><meta charset=\"utf-8\">" +
  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
  "<title>Offline – Hubhome</title><main><h1>Du är offline</h1>" +
  "<p>Sidan finns inte sparad på den här enheten. Försök igen när du har nät.</p>" +
  "<p lang=\"en\">You are offline and this page is not saved on this device.</p></main></html>";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = { body: event.data.text() }; }
  event.waitUntil(self.registration.showNotification(data.title || "Hubhome", {
    body: data.body || "",
    tag: data.tag || undefined,
    icon: "/static/icons/hubhome-192.png",
    data: { url: data.url || "/home" }
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = new URL((event.notification.data && event.notification.data.url) || "/home",
    self.location.origin);
  if (target.origin !== self.location.origin) { return; }
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true })
    .then(function (open) {
      for (var i = 0; i < open.length; i++) {
        if (open[i].url === target.href && "focus" in open[i]) { return open[i].focus(); }
      }
      return self.clients.openWindow(target.href);
    }));
});

function forget() { return caches.delete(CACHE); }

function keep(path, response) {
  return caches.open(CACHE).then(function (cache) { return cache.put(path, response); });
}

function refreshWeek() {
  return Promise.all(WEEK_PAGES.map(function (path) {
    return fetch(path, { credentials: "same-origin", redirect: "manual" }).then(function (r) {
      if (r.ok && r.type === "basic") { return keep(path, r); }
      // Signed out (401 to a script, or a redirect to the sign-in page): nothing to keep.
      if (r.status === 401 || r.type === "opaqueredirect") { return forget(); }
    }).catch(function () { /* offline: keep what we have */ });
  }));
}

self.addEventListener("message", function (event) {
  if (event.data === "refresh-week") { event.waitUntil(refreshWeek()); }
  if (event.data === "forget") { event.waitUntil(forget()); }
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.method === "POST" && url.pathname === "/logout") {
    event.waitUntil(forget());
    return;
  }
  if (request.method !== "GET" || request.mode !== "navigate") { return; }
  if (url.pathname === "/login") { event.waitUntil(forget()); }  // signed out, or expired
  var kept = WEEK_PAGES.indexOf(url.pathname) !== -1 && !url.search;
  event.respondWith(fetch(request).then(function (response) {
    if (kept && response.ok && !response.redirected) {
      var copy = response.clone();
      event.waitUntil(keep(url.pathname, copy));
    }
    return response;
  }).catch(function () {
    return (kept ? caches.match(url.pathname) : Promise.resolve(undefined)).then(function (hit) {
      return hit || new Response(OFFLINE, { headers: { "Content-Type": "text/html; charset=utf-8" } });
    });
  }));
});
