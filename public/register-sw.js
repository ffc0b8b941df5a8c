// The service worker keeps the app shell so the app opens with no network. A file of its
// own, not an inline script, so the Content-Security-Policy needs no exception for it.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(new URL("sw.js", document.baseURI)).catch(function (e) {
      console.warn("service worker not registered", e);
    });
  });
}
