// Photo notes on a bad connection: a director takes three 12 MP photos on a visit with no
// signal, saves, reloads, then goes online on a slow link that is cut half way through the
// upload (the server dies mid-piece) and comes back. Every photo reaches the server once,
// byte for byte what the phone stored, before its visit, and no byte the server had
// confirmed is sent twice.
import { createHash } from "node:crypto";
import { test, expect, VisitApp, enrol, serverPerTest } from "./app.mjs";
import { hasExif, twelveMegapixelJpeg } from "./photo-fixtures.mjs";

const PIECE = 64 * 1024;

// The photos are read back as the app shows them (fetching their blob: URLs), which the
// app's Content-Security-Policy would refuse to a script; what it allows is tested elsewhere.
test.use({ bypassCSP: true });

const server = serverPerTest();
test.beforeEach(async ({ context }) => {
  // The phone has joined: the server takes records only from enrolled devices.
  await enrol(context, server);
});

/** `bytes <first>-<last>/<size>` as numbers. */
function contentRange(value) {
  const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(value ?? "");
  return m ? { start: Number(m[1]), end: Number(m[2]) + 1, size: Number(m[3]) } : null;
}

test("three 12 MP photos, offline, reload, then a throttled link cut half way: each arrives once, whole", async ({ context, page }) => {
  test.setTimeout(300_000);
  // The phone's clock is Playwright's, so that the test can bring the next tick.
  await page.clock.install();
  const app = new VisitApp(page);
  await app.open(server.url);
  await app.waitForOfflineReady();

  // Three phone-camera photos, one turned by EXIF, all carrying a GPS position.
  const originals = [];
  for (const [seed, orientation] of [[1, 1], [2, 6], [3, 1]]) originals.push(await twelveMegapixelJpeg(page, { seed, orientation }));
  for (const original of originals) {
    expect(original.length).toBeGreaterThan(1_000_000);
    expect(hasExif(original)).toBe(true);
  }

  await context.setOffline(true);
  await app.addChild({ name: "杨小花" });
  await app.startVisit();
  await app.fillOrdinaryVisit();
  await app.choose("photo_consent", "yes");
  await app.addPhotos(originals.slice(0, 2), 2);
  await app.addPhotos(originals.slice(2), 3);
  await page.getByTestId("photo-caption").first().fill("厨房");
  // A photo can be removed before saving, and taken again.
  await page.getByTestId("photo-remove").nth(1).click();
  await expect(page.getByTestId("photo-note")).toHaveCount(2);
  await app.addPhotos([originals[1]], 3);
  await app.saveVisit();
  await app.expectHistoryState("queued");

  // What the phone keeps (sealed, read back by the app): three shrunk JPEGs, named by their
  // hash, without EXIF.
  await page.reload();
  await app.expectHistoryState("queued");
  await app.historyItem(0).click();
  const stored = await app.photosShown(3);
  await page.goBack();
  await app.expectHistoryState("queued");
  for (const { sha256, bytes } of stored) {
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(sha256);
    expect(bytes.length).toBeLessThanOrEqual(350_000);
    expect(hasExif(bytes)).toBe(false);
  }
  const total = stored.reduce((sum, p) => sum + p.bytes.length, 0);
  expect(server.photoFiles()).toHaveLength(0);

  // Every photo request, and what the server confirmed.
  const pieces = [];
  const confirmedEnd = new Map();
  // A visit sent while the server lacks one of its photos would be refused (409): the phone
  // must not even try.
  let visitPutsBeforePhotos = 0;
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (r.method() === "PUT" && path.startsWith("/api/v1/visits/") && stored.some((p) => !server.photo(p.sha256))) visitPutsBeforePhotos += 1;
    if (r.method() !== "PUT" || !path.startsWith("/api/v1/photos/")) return;
    const range = contentRange(r.headers()["content-range"]);
    pieces.push({ sha256: path.split("/").pop(), ...range, length: r.postDataBuffer()?.length ?? 0, confirmedBefore: confirmedEnd.get(path.split("/").pop()) ?? 0 });
  });
  page.on("response", (r) => {
    const path = new URL(r.url()).pathname;
    if (r.request().method() !== "PUT" || !path.startsWith("/api/v1/photos/") || r.status() >= 300) return;
    const range = contentRange(r.request().headers()["content-range"]);
    if (range) confirmedEnd.set(path.split("/").pop(), Math.max(confirmedEnd.get(path.split("/").pop()) ?? 0, range.end));
  });
  const confirmed = () => [...confirmedEnd.values()].reduce((a, b) => a + b, 0);

  // Online on a slow mobile link: about 32 KB/s up, 200 ms away.
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 200, downloadThroughput: 64 * 1024, uploadThroughput: 32 * 1024 });
  await context.setOffline(false);
  await expect(page.getByTestId("sync-bytes")).toBeVisible({ timeout: 30_000 });

  // Half way, the connection is cut: the server dies mid-piece.
  await expect.poll(confirmed, { timeout: 120_000, intervals: [100] }).toBeGreaterThanOrEqual(total / 2);
  const callFailed = page.waitForEvent("requestfailed", (r) => new URL(r.url()).pathname.startsWith("/api/v1/"));
  await server.stop("SIGKILL");
  const confirmedAtCut = new Map(confirmedEnd);
  const piecesAtCut = pieces.length;
  // The phone finds the server gone: the call in flight (or the next) fails.
  await callFailed;
  await server.start();

  // It comes back: the phone finds where the server stopped and finishes by itself, at the
  // next tick or when its back-off is over, which the test brings now.
  await page.clock.runFor(20_000);
  await app.expectHistoryState("sent", 120_000);
  await expect(app.pendingCount()).toHaveAttribute("data-count", "0");

  // Every photo on the server once, byte for byte what the phone stored.
  expect(server.photoFiles().sort()).toEqual(stored.map((p) => p.sha256).sort());
  for (const { sha256, bytes } of stored) expect(server.photo(sha256)?.equals(bytes)).toBe(true);
  const [visit] = server.visits();
  const notes = visit.answers.photos;
  expect(notes.map((n) => n.sha256).sort()).toEqual(stored.map((p) => p.sha256).sort());
  expect(notes.find((n) => n.caption === "厨房")).toBeTruthy();
  expect(server.history()).toHaveLength(1);
  expect(visitPutsBeforePhotos).toBe(0);

  // No byte the server had confirmed was sent again after the cut.
  for (const piece of pieces.slice(piecesAtCut)) {
    expect(piece.start).toBeGreaterThanOrEqual(confirmedAtCut.get(piece.sha256) ?? 0);
  }
  const sent = pieces.reduce((sum, p) => sum + p.length, 0);
  // At most the piece in flight at the cut goes twice, and only the part the server lacked
  // (pieces are sized to the link: none is larger than the largest sent).
  const largest = Math.max(...pieces.map((p) => p.length));
  expect(largest).toBeGreaterThanOrEqual(PIECE);
  expect(sent).toBeLessThanOrEqual(total + largest);

  // Held by the server with their visit, the photos' bytes leave the phone; the visit,
  // opened again, says so where each photo was.
  const photosKept = () =>
    page.evaluate(
      () =>
        new Promise((done, fail) => {
          const open = indexedDB.open("tongxing");
          open.onerror = () => fail(open.error);
          open.onsuccess = () => {
            const count = open.result.transaction("photos").objectStore("photos").count();
            count.onsuccess = () => {
              open.result.close();
              done(count.result);
            };
          };
        }),
    );
  await expect.poll(photosKept, { timeout: 15_000 }).toBe(0);
  // (The child's visits are drawn anew as deliveries change them: a lost tap is made again.)
  await expect(async () => {
    if (!/\/visits\//.test(page.url())) await app.historyItem().locator("a").click({ timeout: 2_000 });
    await expect(page).toHaveURL(/\/visits\//, { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId("photo-on-server")).toHaveCount(3);
  console.log(
    `photo upload: ${stored.length} photos, ${total} bytes stored (${stored.map((p) => p.bytes.length).join(", ")}); ` +
      `cut at ${[...confirmedAtCut.values()].reduce((a, b) => a + b, 0)} confirmed; ${sent} bytes sent in ${pieces.length} pieces ` +
      `(${sent - total} more than the photos)`,
  );
});
