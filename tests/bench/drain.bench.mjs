// Benchmark of draining the outbox: a phone that recorded visits with three 12 MP photos each
// offline (its children's files too) comes back online on Lighthouse's mobile link (150 ms
// round trip, 1.6 Mbps down, 750 kbps up), and is timed from the link's return (the app
// sends by itself) until the server holds every visit and photo and the phone shows nothing
// waiting. The physical limit is the bytes that had to go up (the photos as the server
// stores them) at 750 kbps; the drain is printed as a share of it. Then the same again with
// new visits over a link that drops for a second every 10 s (each drop fails what is under
// way). Prints numbers; nothing passes or fails. Run it with scripts/bench-drain.sh.
// Knobs: BENCH_DRAIN_VISITS (10 a batch; three photos each).
import { onServerAndBrowser } from "./harness.mjs";
import { keep, single } from "./results.mjs";
import { LIGHTHOUSE_LINK } from "./profiles.mjs";
import { enrol, unlocks, VisitApp, SMALL_PHONE } from "../e2e/app.mjs";
import { twelveMegapixelJpeg } from "../e2e/photo-fixtures.mjs";

const VISITS = Number(process.env.BENCH_DRAIN_VISITS ?? 10);
const PHOTOS = 3;
const DROP_EVERY_MS = 10_000;
const DROP_FOR_MS = 1_000;

/** Records `VISITS` children and a visit with three new photos for each, offline (the link
 * cut through `cdp`, as the drain then throttles it). */
async function recordOffline(page, cdp, app, batch) {
  await cdp.send("Network.emulateNetworkConditions", { ...LIGHTHOUSE_LINK, offline: true });
  for (let i = 0; i < VISITS; i++) {
    await page.getByTestId("nav-due").click();
    await app.addChild({ name: `儿童${batch}-${i + 1}` });
    await app.startVisit();
    await app.fillOrdinaryVisit();
    await app.choose("photo_consent", "yes");
    const photos = [];
    for (let p = 0; p < PHOTOS; p++) photos.push(await twelveMegapixelJpeg(page, { seed: 1000 * batch + 10 * i + p, orientation: 1 }));
    await app.addPhotos(photos, PHOTOS);
    await app.saveVisit();
  }
  console.log(`batch ${batch}: ${VISITS} visits with ${PHOTOS} photos each recorded offline`);
}

/** Brings the link back, throttled (dropping it now and then, if `drops`): the app sends by
 * itself when the connection returns. The seconds from then until the server holds `visits`
 * visits and the phone has nothing waiting. */
async function drain(page, cdp, app, server, visits, drops) {
  let dropping = null;
  let dropped = 0;
  const start = Date.now();
  await cdp.send("Network.emulateNetworkConditions", LIGHTHOUSE_LINK);
  if (drops) {
    dropping = setInterval(async () => {
      dropped += 1;
      await cdp.send("Network.emulateNetworkConditions", { ...LIGHTHOUSE_LINK, offline: true }).catch(() => {});
      setTimeout(() => cdp.send("Network.emulateNetworkConditions", LIGHTHOUSE_LINK).catch(() => {}), DROP_FOR_MS);
    }, DROP_EVERY_MS);
  }
  try {
    for (;;) {
      const waiting = await app.pendingCount().getAttribute("data-count");
      // The server is asked (an export) only once the phone says nothing waits.
      if (waiting === "0" && server.visits().length === visits) break;
      if (Date.now() - start > 30 * 60_000) throw new Error(`not drained in 30 minutes (${waiting} waiting)`);
      await page.waitForTimeout(500);
    }
  } finally {
    if (dropping) clearInterval(dropping);
  }
  const seconds = (Date.now() - start) / 1000;
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  return { seconds, dropped };
}

/** The bytes of every photo the server holds. */
function photoBytes(server) {
  return server.photoFiles().reduce((sum, name) => sum + (server.photo(name)?.length ?? 0), 0);
}

function report(label, { seconds, dropped }, bytes) {
  const limit = bytes / LIGHTHOUSE_LINK.uploadThroughput;
  const share = limit / seconds;
  console.log(`\n${label}${dropped ? ` (${dropped} drops)` : ""}`);
  console.log(`  ${VISITS} visits, ${VISITS * PHOTOS} photos, ${(bytes / 2 ** 20).toFixed(1)} MiB of photos: ${seconds.toFixed(1)} s; ` +
    `the link's limit ${limit.toFixed(1)} s, so ${(share * 100).toFixed(0)}% of its capacity`);
  const group = `draining ${VISITS} visits × ${PHOTOS} photos at 750 kbps up, ${label}`;
  keep("drain", [single(group, "link back → all on the server", "s", seconds), single(group, "share of the link's capacity", "%", share * 100, "higher")]);
}

await onServerAndBrowser(async (browser, server) => {
  const context = await browser.newContext(SMALL_PHONE);
  await enrol(context, server);
  const page = await context.newPage();
  await unlocks(page);
  const app = new VisitApp(page);
  await app.open(server.url);

  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await recordOffline(page, cdp, app, 1);
  const steady = await drain(page, cdp, app, server, VISITS, false);
  const firstBytes = photoBytes(server);
  report("a steady link", steady, firstBytes);

  await recordOffline(page, cdp, app, 2);
  const dropping = await drain(page, cdp, app, server, 2 * VISITS, true);
  report(`dropping for ${DROP_FOR_MS / 1000} s every ${DROP_EVERY_MS / 1000} s`, dropping, photoBytes(server) - firstBytes);
  if (server.photoFiles().length !== 2 * VISITS * PHOTOS) {
    console.log(`WARNING: the server holds ${server.photoFiles().length} photos, not ${2 * VISITS * PHOTOS}`);
  }
  await context.close();
});
