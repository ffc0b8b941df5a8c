// The field app's screens other than the lock and the due list are a piece of their own,
// and so is the oversight app behind its lock (src/apps/lazy_screens.rs), fetched soon
// after the start. On a phone without a service worker (older WeChat cores, private
// windows): once it has come, every screen opens with no network; while it cannot come, a
// screen says so, and opens when asked again online.
import { test, expect, unlocks, VisitApp, enrol, serverPerTest } from "./app.mjs";

const SCREENS_PIECE = /\/tongxing-[0-9a-f]{16}_split_screens\.wasm$/;

const server = serverPerTest();

test("without a service worker, the other screens come after the first and open offline", async ({ browser }) => {
  const context = await browser.newContext({ serviceWorkers: "block" });
  await enrol(context, server, { role: "director" });
  const page = await context.newPage();
  await unlocks(page);
  const pieceCame = page.waitForResponse((r) => SCREENS_PIECE.test(r.url()) && r.ok());
  const app = new VisitApp(page);
  await app.open(server.url);
  await pieceCame;

  await context.setOffline(true);
  await app.addChild({ name: "周小雨" });
  await app.startVisit();
  await app.fillOrdinaryVisit();
  await app.saveVisit();
  await page.getByTestId("nav-visits").click();
  await expect(page.getByTestId("visit-list")).toBeVisible();
  await page.getByTestId("settings-link").click();
  await expect(page.getByTestId("screen-not-fetched")).toHaveCount(0);
  await context.setOffline(false);
  await context.close();
});

test("a screen whose piece cannot be fetched says so, and opens when asked again online", async ({ browser }) => {
  const context = await browser.newContext({ serviceWorkers: "block" });
  await enrol(context, server, { role: "director" });
  const page = await context.newPage();
  await unlocks(page);
  let blocked = true;
  await page.route(SCREENS_PIECE, (route) => (blocked ? route.abort("internetdisconnected") : route.continue()));
  const app = new VisitApp(page);
  await app.open(server.url);

  await page.getByTestId("nav-children").click();
  await expect(page.getByTestId("screen-not-fetched")).toBeVisible();
  await expect(page.getByTestId("screen-not-fetched")).toContainText("需要网络");
  // The due list, from the first piece, still works.
  await page.getByTestId("nav-due").click();
  await expect(page.getByTestId("month-progress")).toBeVisible();

  await page.getByTestId("nav-children").click();
  await expect(page.getByTestId("screen-not-fetched")).toBeVisible();
  blocked = false;
  await page.getByTestId("screen-fetch-again").click();
  await expect(page.getByTestId("add-child").first()).toBeVisible();
  await expect(page.getByTestId("screen-not-fetched")).toHaveCount(0);
  await context.close();
});

test("a supervisor whose screens cannot be fetched after her PIN is told so, and they open when asked again", async ({ browser }) => {
  const context = await browser.newContext({ serviceWorkers: "block" });
  await enrol(context, server, { role: "supervisor", township: "石门镇", village: "" });
  const page = await context.newPage();
  await unlocks(page);
  let blocked = true;
  await page.route(/\/oversight\/oversight-[0-9a-f]{16}_split_app\.wasm$/, (route) => (blocked ? route.abort("internetdisconnected") : route.continue()));
  await page.goto(`${server.url}/oversight/`);
  await expect(page.getByTestId("screen-not-fetched")).toBeVisible();
  blocked = false;
  await page.getByTestId("screen-fetch-again").click();
  await expect(page.getByTestId("township-page")).toBeVisible();
  await context.close();
});
