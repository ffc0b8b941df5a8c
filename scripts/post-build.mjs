// Trunk's post-build hook (Trunk starts a stage's hooks all at once; these must run in
// turn): minify the scripts, then generate the service worker over the minified files.
await import("./minify-js.mjs");
await import("./service-worker.mjs");
