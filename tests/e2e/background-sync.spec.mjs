// Background Sync (issue 17, item 6): a director records a child and a visit offline and
// closes the app; her connection comes back with no page of the app open; the browser fires
// the sync tag the app registered (here through the DevTools protocol, as Chromium does when
// it is online again) and the service worker sends the file the app kept for it: the child
// and the visit reach the server, sealed all the way. When she next opens the app, its outbox
// finds them there: each once.
import { test, expect, unlocks, VisitApp, enrol, serverPerTest } from "./app.mjs";

const server = serverPerTest();
const TAG = "tongxing-outbox";

/** How many files the app keeps for its service worker (read in a page of the app's origin). */
async function keptFiles(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("tongxing-background-send");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains("files")) return resolve(0);
          const count = db.transaction("files").objectStore("files").count();
          count.onsuccess = () => {
            resolve(count.result);
            db.close();
          };
        };
      }),
  );
}

test("records saved offline reach the server from the service worker with no page open, and once", async ({ context, page }) => {
  test.setTimeout(120_000);
  await enrol(context, server);
  const app = new VisitApp(page);
  await app.open(server.url);
  await app.waitForOfflineReady();

  await context.setOffline(true);
  await app.addChild({ name: "陈小兵", sex: "male", birth: "2015-03-14" });
  await app.startVisit();
  await app.fillOrdinaryVisit();
  await app.saveVisit();
  await expect(app.pendingCount()).toHaveAttribute("data-count", "2");
  // The app keeps the file of what waits for its service worker, and asks to be woken.
  await expect.poll(() => keptFiles(page), { timeout: 30_000 }).toBe(1);
  const tags = await page.evaluate(async () => (await navigator.serviceWorker.ready).sync.getTags());
  expect(tags).toContain(TAG);
  const file = await page.evaluate(async () => {
    const db = await new Promise((r) => (indexedDB.open("tongxing-background-send").onsuccess = (e) => r(e.target.result)));
    const [value] = await new Promise((r) => (db.transaction("files").objectStore("files").getAll().onsuccess = (e) => r(e.target.result)));
    const text = new TextDecoder("utf-8", { fatal: false }).decode(await value.file.arrayBuffer());
    return { url: value.url, size: value.file.size, readable: ["陈小兵", "李秀英", "城关镇中心小学"].filter((t) => text.includes(t)) };
  });
  expect(file.url).toBe(`${server.url}/api/v1/unsent-files`);
  expect(file.size).toBeGreaterThan(1000);
  expect(file.readable, "sealed: nothing of the child readable in it").toEqual([]);

  // She closes the app. Her connection comes back; the browser wakes the service worker.
  await page.close();
  await context.setOffline(false);
  // A page of no origin, to reach the browser's DevTools (not a page of the app).
  const other = await context.newPage();
  const cdp = await context.newCDPSession(other);
  const registration = new Promise((resolve) =>
    cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
      const field = registrations.find((r) => r.scopeURL === `${server.url}/` && !r.isDeleted);
      if (field) resolve(field.registrationId);
    }),
  );
  await cdp.send("ServiceWorker.enable");
  const registrationId = await registration;
  await cdp.send("ServiceWorker.dispatchSyncEvent", { origin: server.url, registrationId, tag: TAG, lastChance: false });

  await expect.poll(() => server.visits().length, { timeout: 30_000 }).toBe(1);
  expect(server.children().map((c) => c.name)).toEqual(["陈小兵"]);
  await other.goto(`${server.url}/api/v1/health`);
  await expect.poll(() => keptFiles(other), { timeout: 10_000 }).toBe(0);

  // She opens the app: its outbox finds both on the server, each stored once.
  const again = await context.newPage();
  await unlocks(again);
  const reopened = new VisitApp(again);
  await reopened.open(server.url);
  await expect(reopened.pendingCount()).toHaveAttribute("data-count", "0", { timeout: 30_000 });
  expect(server.history()).toHaveLength(1);
  expect(server.children()).toHaveLength(1);
});
