// The core flows on a browser without every API the app can do without (run only in the
// project "missing-apis" of playwright.config.mjs, whose pages lose them before the app
// loads: app.mjs's removeOptionalApis): no service worker, Web Locks, BroadcastChannel,
// storage.persist/estimate, OffscreenCanvas, createImageBitmap or Clipboard. A worker joins
// by link, records a child and a visit with a photo with no network, and both arrive once
// when the network is back; a second tab open at the same time sends nothing twice.
import { test, expect, VisitApp, unlocks, joinByLink, serverPerTest } from "./app.mjs";
import { twelveMegapixelJpeg } from "./photo-fixtures.mjs";

const server = serverPerTest();

test("without the optional APIs: join by link, record offline with a photo, both arrive once", async ({ context, page }) => {
  test.setTimeout(180_000);
  expect(await page.evaluate(() => ["serviceWorker" in navigator, "locks" in navigator, typeof BroadcastChannel, typeof createImageBitmap, typeof OffscreenCanvas])).toEqual([
    false, false, "undefined", "undefined", "undefined",
  ]);
  const app = new VisitApp(page);
  await joinByLink(page, server.invite({ role: "director", township: "石门镇", village: "桃源村", by: "王督导" }), { name: "李芳" });

  // A second tab of the same phone, open while she works: without Web Locks or a
  // BroadcastChannel the two cannot agree who sends, and the server takes each record once.
  const other = await context.newPage();
  await unlocks(other);
  await other.goto(server.url);
  await expect(other.getByTestId("month-progress")).toBeVisible();

  const photo = await twelveMegapixelJpeg(page, { seed: 7, orientation: 6 });
  await context.setOffline(true);
  await app.addChild({ name: "周小雨" });
  await app.startVisit();
  await app.fillOrdinaryVisit();
  await app.choose("photo_consent", "yes");
  await app.addPhotos([photo], 1);
  await app.saveVisit();
  await app.expectHistoryState("queued");

  await context.setOffline(false);
  await page.getByTestId("sync-now").click();
  await app.expectHistoryState("sent", 60_000);
  await expect(app.pendingCount()).toHaveAttribute("data-count", "0", { timeout: 60_000 });
  await other.reload();
  await expect(other.getByTestId("month-progress")).toBeVisible();
  await other.waitForTimeout(2_000);

  expect(server.children()).toHaveLength(1);
  const visits = server.visits();
  expect(visits).toHaveLength(1);
  expect(server.history(), "the visit stored once, in one revision").toHaveLength(1);
  expect(server.photoFiles()).toHaveLength(1);
});
