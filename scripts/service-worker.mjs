// Run by scripts/post-build.mjs (Trunk's post-build hook): generates sw.js with workbox,
// precaching every file of the build (names carry content hashes) so the app opens with no
// network after the first visit.
// Each of the two apps has its own: the field app's at /sw.js (scope /), the oversight
// app's at /oversight/sw.js (scope /oversight/); the field app's never answers a
// navigation into the oversight app (TONGXING_OVERSIGHT_ROOT, set by scripts/build.sh).
// The field app's also sends, when the browser fires its sync tag, the unsent-records files
// the app keeps for it (public/sw-background-send.js, imported): Background Sync.
import { generateSW } from "workbox-build";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("service-worker.mjs: TRUNK_STAGING_DIR is not set (run it from Trunk)");
  process.exit(1);
}

const oversightRoot = process.env.TONGXING_OVERSIGHT_ROOT ?? "/oversight/";
const isOversight = (process.env.TRUNK_PUBLIC_URL ?? "/") === oversightRoot;
const otherApp = isOversight ? [] : [new RegExp(`^${oversightRoot.replace(/\/$/, "")}(/|$)`)];

const { count, size, warnings } = await generateSW({
  globDirectory: dir,
  globPatterns: ["**/*.{html,js,wasm,css,webmanifest,svg,png}"],
  globIgnores: ["sw.js"],
  swDest: `${dir}/sw.js`,
  // Deep links (/visits/…) open the app shell; the API is never answered from cache.
  navigateFallback: "index.html",
  navigateFallbackDenylist: [/\/api\//, ...otherApp],
  // Trunk names assets with a content hash: no need to revision them again.
  dontCacheBustURLsMatching: /-[0-9a-f]{16}\.(js|wasm|css)$/,
  maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
  cleanupOutdatedCaches: true,
  clientsClaim: true,
  skipWaiting: true,
  inlineWorkboxRuntime: true,
  importScripts: isOversight ? [] : ["sw-background-send.js"],
  sourcemap: false,
  mode: "production",
});
for (const w of warnings) console.warn(`service-worker.mjs: ${w}`);
console.log(`service-worker.mjs (${isOversight ? "oversight" : "field"} app): precaching ${count} files, ${size} bytes`);
