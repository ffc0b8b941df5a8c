// Background Sync (issue 17, item 6), imported into the field app's service worker: when the
// browser fires the sync tag the app registered (its connection is back, and no page of the
// app need be open), each file the app kept for it (src/storage/background_file.rs: a
// worker's unsent records, sealed to the county's key) is sent to its server
// (POST /api/v1/unsent-files). The service worker holds no key of the phone's: it sends
// bytes, it never reads them. While a page of the app is open its outbox sends, and the
// service worker leaves the file (the browser tries the tag again later; on its last chance
// it sends all the same): a slow link carries each record once. A file the server took, or
// refused for good, is removed unless the app has kept a newer one meanwhile; any other
// failure makes the browser try again later.
// The server keeps each record once, however often a file comes; the app's outbox, on the
// next open, finds its records there already.
(function () {
  var TAG = "tongxing-outbox";
  var DATABASE = "tongxing-background-send";
  var FILES = "files";

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function open() {
    var req = indexedDB.open(DATABASE, 1);
    req.onupgradeneeded = function () { req.result.createObjectStore(FILES); };
    return request(req);
  }

  function kept(db) {
    var store = db.transaction(FILES, "readonly").objectStore(FILES);
    return Promise.all([request(store.getAllKeys()), request(store.getAll())]).then(function (both) {
      return both[0].map(function (key, i) { return { key: key, value: both[1][i] }; });
    });
  }

  // Removes the file under `key` if it is still the one made at `made`.
  function removeIf(db, key, made) {
    var store = db.transaction(FILES, "readwrite").objectStore(FILES);
    return request(store.get(key)).then(function (now) {
      if (now && now.made === made) return request(store.delete(key));
    });
  }

  // Whether an answer settles the file: taken, or refused for good (not a passing trouble).
  function settles(status) {
    if (status >= 200 && status < 300) return true;
    return status >= 400 && status < 500 && status !== 408 && status !== 429;
  }

  function sendAll() {
    return open().then(function (db) {
      return kept(db).then(function (files) {
        var failed = 0;
        return files
          .reduce(function (done, entry) {
            return done.then(function () {
              var file = entry.value;
              return fetch(file.url, {
                method: "POST",
                headers: { "content-type": "application/octet-stream" },
                body: file.file,
                credentials: "omit",
              })
                .then(function (answer) {
                  if (settles(answer.status)) return removeIf(db, entry.key, file.made);
                  failed += 1;
                })
                .catch(function () { failed += 1; });
            });
          }, Promise.resolve())
          .then(function () {
            db.close();
            if (failed > 0) throw new Error(failed + " unsent-records file(s) not sent yet");
          });
      });
    });
  }

  // Whether a page of the app (not a call of its API) is open in this browser.
  function appOpen() {
    return self.clients.matchAll({ type: "window" }).then(function (pages) {
      return pages.some(function (page) { return new URL(page.url).pathname.indexOf("/api/") !== 0; });
    });
  }

  self.addEventListener("sync", function (event) {
    if (event.tag !== TAG) return;
    event.waitUntil(
      appOpen().then(function (open) {
        if (open && !event.lastChance) throw new Error("the app is open: its outbox sends");
        return sendAll();
      }),
    );
  });
})();
