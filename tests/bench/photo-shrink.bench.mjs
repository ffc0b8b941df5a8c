// Benchmark of taking a photo: a 12 MP phone-camera JPEG (about 4000×3000, with EXIF
// orientation and GPS) is picked in the visit form of the release app, and the time is
// measured in the page from the file input's `change` to the frame showing the photo note:
// decoding, shrinking (to 1600 px, JPEG), hashing, sealing and storing it in IndexedDB. Without and
// with 4x CPU throttling (Chromium's Emulation.setCPUThrottlingRate). Prints median, p95
// (and of it, sealing the shrunk photo, from the app's user timing `tongxing:seal-photo`)
// and the size each photo ended at; then a whole visit with three of them saved offline with
// the CPU slower, and what the phone's storage grew by. Passes or fails nothing. Run it with
// scripts/bench-photo-shrink.sh. Knobs: BENCH_RUNS (8), BENCH_THROTTLE (4).
import { onServerAndBrowser, tapUntilPainted } from "./harness.mjs";
import { stats } from "./stats.mjs";
import { keep, sampled, single } from "./results.mjs";
import { unlocks, VisitApp } from "../e2e/app.mjs";
import { twelveMegapixelJpeg } from "../e2e/photo-fixtures.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 8);
const THROTTLE = Number(process.env.BENCH_THROTTLE ?? 4);


/** In the page: resolves with the ms from the photo input's `change` to the painted frame
 * showing a photo note. */
function watchPick() {
  const input = document.querySelector("[data-testid=photo-input]");
  window.__picked = new Promise((resolve) => {
    input.addEventListener(
      "change",
      () => {
        const start = performance.now();
        const seen = () => document.querySelector("[data-testid=photo-note]");
        const observer = new MutationObserver(() => {
          if (!seen()) return;
          observer.disconnect();
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
        });
        observer.observe(document.body, { childList: true, subtree: true });
      },
      { capture: true, once: true },
    );
  });
}

async function measure(page, app, photos, label) {
  const times = [];
  const sizes = [];
  const sealing = [];
  for (let run = 0; run < RUNS; run++) {
    const photo = photos[run % photos.length];
    await page.evaluate(watchPick);
    await page.getByTestId("photo-input").setInputFiles({ name: `IMG_${run}.jpg`, mimeType: "image/jpeg", buffer: photo });
    times.push(await page.evaluate(() => window.__picked));
    // The app's user timing of sealing the shrunk photo (src/storage/photos.rs).
    sealing.push(await page.evaluate(() => performance.getEntriesByName("tongxing:seal-photo").at(-1)?.duration ?? NaN));
    const stored = await app.photosShown(1);
    const newest = await page.getByTestId("photo-note").first().getAttribute("data-sha256");
    sizes.push(stored.find((p) => p.sha256 === newest)?.bytes.length ?? NaN);
    await page.getByTestId("photo-remove").first().click();
    await page.getByTestId("photo-note").waitFor({ state: "detached" });
  }
  const s = stats(times);
  const kb = sizes.map((b) => (b / 1000).toFixed(0));
  console.log(`\n${label}`);
  console.log(`  pick → shown   median ${s.median.toFixed(0)} ms   p95 ${s.p95.toFixed(0)} ms   (min ${s.min.toFixed(0)}, max ${s.max.toFixed(0)}, n=${times.length})`);
  const sealed = stats(sealing);
  console.log(`  of which sealing (AES-256-GCM in the WebAssembly)   median ${sealed.median.toFixed(1)} ms   p95 ${sealed.p95.toFixed(1)} ms`);
  console.log(`  sizes after shrinking (KB): ${kb.join(", ")}`);
  const group = `taking a 12 MP photo, ${label}`;
  keep("photo-shrink", [
    sampled(group, "pick → shown", "ms", times),
    sampled(group, "of which sealing", "ms", sealing),
    sampled(group, "stored size", "KiB", sizes.map((b) => b / 1024)),
  ]);
}

/** A whole visit with three photos, saved offline with the CPU `THROTTLE`x slower: from the
 * tap on 保存 until the child's page is painted (the visit and its photos sealed and stored,
 * and put in the outbox), and what the phone's storage grew by for the visit. */
async function saveWithPhotos(page, context, app, photos) {
  await page.getByTestId("nav-due").click();
  await app.addChild({ name: "陈小兵" });
  const usage = () => page.evaluate(async () => (await navigator.storage.estimate()).usage ?? NaN);
  const before = await usage();
  await app.startVisit();
  await app.fillOrdinaryVisit();
  await app.choose("photo_consent", "yes");
  await app.addPhotos(photos, photos.length);
  await context.setOffline(true);
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: THROTTLE });
  const took = await tapUntilPainted(page, "[data-testid=save-visit]", "[data-testid=edit-child]");
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
  const grew = (await usage()) - before;
  await context.setOffline(false);
  console.log(`\na visit with ${photos.length} photos, saved offline, CPU ${THROTTLE}x slower`);
  console.log(`  保存 → child's page  ${took.toFixed(0)} ms; the phone's storage grew by ${(grew / 1024).toFixed(0)} KiB`);
  const group = `saving a visit with ${photos.length} photos, offline, CPU ${THROTTLE}x slower`;
  keep("photo-shrink", [single(group, "保存 → child's page", "ms", took), single(group, "storage grown by", "KiB", grew / 1024)]);
}

await onServerAndBrowser(async (browser, server) => {
  // The thumbnails' bytes are read back through their blob: URLs, which the app's
  // Content-Security-Policy (connect-src 'self') would refuse.
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "zh-CN", bypassCSP: true });
  const page = await context.newPage();
  // Past the lock (a PIN set on the first load): photos are stored sealed, as on a phone.
  await unlocks(page);
  const app = new VisitApp(page);
  await app.open(server.url);
  // Three different photos, one turned by EXIF, made like a phone camera's.
  const photos = [];
  for (const [seed, orientation] of [[11, 1], [12, 6], [13, 1]]) photos.push(await twelveMegapixelJpeg(page, { seed, orientation }));
  console.log(`source photos: ${photos.map((p) => `${(p.length / 1e6).toFixed(2)} MB`).join(", ")} (4000×3000 JPEG with EXIF)`);
  await page.getByTestId("nav-visits").click();
  await page.getByTestId("new-visit").click();
  await app.choose("photo_consent", "yes");
  await page.getByTestId("photo-input").waitFor({ state: "attached" });

  await measure(page, app, photos, "no throttling");
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: THROTTLE });
  await measure(page, app, photos, `CPU throttled ${THROTTLE}x (Emulation.setCPUThrottlingRate)`);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
  // Three photos the phone has not stored yet (a photo is stored once, by its hash).
  const fresh = [];
  for (const [seed, orientation] of [[21, 1], [22, 6], [23, 1]]) fresh.push(await twelveMegapixelJpeg(page, { seed, orientation }));
  await saveWithPhotos(page, context, app, fresh);
});
