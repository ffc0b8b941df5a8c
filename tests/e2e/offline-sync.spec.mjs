// A visit recorded with no network, or while the server is down, reaches the server
// exactly once, through reloads and restarts.
import { test, expect } from "@playwright/test";
import { TestServer } from "./server.mjs";
import { VisitApp } from "./app.mjs";

let server;
test.beforeEach(async () => {
  server = new TestServer();
  await server.start();
});
test.afterEach(async () => {
  await server.dispose();
});

test("offline: record, save, reload offline, go online, arrives once", async ({ context, page }) => {
  const app = new VisitApp(page);
  await app.open(server.url);
  await app.waitForOfflineReady();

  await context.setOffline(true);
  await expect(page.getByTestId("sync-online")).toHaveAttribute("data-online", "false");
  await app.startVisit();
  await app.fillVisit({ name: "陈小兵", risk: 1, type: 0, notes: "奶奶照顾，身体尚可" });
  await app.save();
  await app.expectState("陈小兵", "queued");
  await expect(app.pendingCount()).toHaveAttribute("data-count", "1");

  // A reload with no network: the service worker opens the app and the visit still waits.
  await page.reload();
  await expect(page.getByTestId("new-visit")).toBeVisible();
  await app.expectState("陈小兵", "queued");
  expect(server.visits()).toHaveLength(0);

  // Back online: the `online` event sends it, without any tap.
  await context.setOffline(false);
  await app.expectState("陈小兵", "sent", 30_000);
  await expect(app.pendingCount()).toHaveAttribute("data-count", "0");

  const visits = server.visits();
  expect(visits).toHaveLength(1);
  expect(visits[0]).toMatchObject({ child_name: "陈小兵", visit_type: "home", risk_colour: "yellow", notes: "奶奶照顾，身体尚可", revision: 1 });
  expect(server.history()).toHaveLength(1);
});

test("negative control: without the service worker an offline reload fails", async ({ browser }) => {
  const context = await browser.newContext({ serviceWorkers: "block" });
  const page = await context.newPage();
  const app = new VisitApp(page);
  await app.open(server.url);
  await context.setOffline(true);
  await expect(page.reload()).rejects.toThrow();
  await context.close();
});

test("server down: saved visit is retried by itself and arrives once when it is back", async ({ page }) => {
  const app = new VisitApp(page);
  await app.open(server.url);
  await server.stop();

  await app.startVisit();
  await app.fillVisit({ name: "刘小梅", risk: 0 });
  await app.save();
  await app.expectState("刘小梅", "queued");
  // Let at least one attempt fail against the stopped server.
  await expect(page.getByTestId("sync-notice")).toBeVisible({ timeout: 15_000 });
  expect(server.visits()).toHaveLength(0);

  await server.start();
  await app.expectState("刘小梅", "sent", 45_000);
  const visits = server.visits();
  expect(visits).toHaveLength(1);
  expect(visits[0]).toMatchObject({ child_name: "刘小梅", risk_colour: "red" });
  expect(server.history()).toHaveLength(1);
});

test("a killed tab loses nothing typed", async ({ context, page }) => {
  const app = new VisitApp(page);
  await app.open(server.url);
  await app.startVisit();
  const url = page.url();
  await page.getByTestId("child-name").fill("周小军");
  await page.getByTestId("notes").fill("父母在外打工，每周通话一次");
  // Within a second of the last keystroke, the tab's renderer is killed.
  await page.waitForTimeout(1000);
  const cdp = await context.newCDPSession(page);
  await cdp.send("Page.crash").catch(() => {});

  const again = await context.newPage();
  const app2 = new VisitApp(again);
  await app2.open(server.url);
  await expect(again.getByTestId("draft-item").filter({ hasText: "周小军" })).toBeVisible();
  await again.goto(url);
  await expect(again.getByTestId("child-name")).toHaveValue("周小军");
  await expect(again.getByTestId("notes")).toHaveValue("父母在外打工，每周通话一次");
  expect(server.visits()).toHaveLength(0);
});

test("two open tabs send a visit once, and both show it sent", async ({ context, page }) => {
  const puts = [];
  context.on("request", (r) => {
    if (r.method() === "PUT" && r.url().includes("/api/v1/visits/")) puts.push(r.url());
  });
  const a = new VisitApp(page);
  await a.open(server.url);
  const other = await context.newPage();
  const b = new VisitApp(other);
  await b.open(server.url);

  await a.startVisit();
  await a.fillVisit({ name: "吴小丽", risk: 3 });
  await a.save();
  await a.expectState("吴小丽", "sent", 30_000);
  // The other tab learns of it through the broadcast channel, and sends nothing itself.
  await b.expectState("吴小丽", "sent", 30_000);
  await b.page.getByTestId("sync-now").click();
  await a.page.getByTestId("sync-now").click();
  await expect(b.page.getByTestId("sync-now")).toBeEnabled();
  expect(puts).toHaveLength(1);
  expect(server.visits()).toHaveLength(1);
});

test("editing a sent visit sends revision 2 and the server keeps both", async ({ page }) => {
  const app = new VisitApp(page);
  await app.open(server.url);
  await app.startVisit();
  await app.fillVisit({ name: "孙小宝", risk: 2 });
  await app.save();
  await app.expectState("孙小宝", "sent", 30_000);

  await app.visitItem("孙小宝").click();
  await page.getByTestId("choices-risk_colour").getByRole("radio").nth(0).click();
  await page.getByTestId("notes").fill("发现新情况，调整为红色");
  await app.save();
  await app.expectState("孙小宝", "sent", 30_000);

  const visits = server.visits();
  expect(visits).toHaveLength(1);
  expect(visits[0]).toMatchObject({ revision: 2, risk_colour: "red", notes: "发现新情况，调整为红色" });
  expect(server.history().map((v) => v.revision).sort()).toEqual([1, 2]);
});

test("the form says what is missing, in Chinese and in English", async ({ page }) => {
  const app = new VisitApp(page);
  await app.open(server.url);
  await app.startVisit();
  await page.getByTestId("save-visit").click();
  await expect(page.getByTestId("error-child_name")).toHaveText("此项必填");
  await expect(page.getByTestId("error-risk_colour")).toHaveText("此项必填");
  await page.getByTestId("lang-switch").click();
  await expect(page.getByTestId("error-child_name")).toHaveText("This is required");
  await expect(page.getByTestId("save-visit")).toHaveText("Save and send");
  expect(server.visits()).toHaveLength(0);
});

test("a draft can be discarded, and only after confirming", async ({ page }) => {
  const app = new VisitApp(page);
  await app.open(server.url);
  await app.startVisit();
  await page.getByTestId("child-name").fill("郑小草");
  await page.goto(server.url);
  const draft = page.getByTestId("draft-item").filter({ hasText: "郑小草" });
  await expect(draft).toBeVisible();

  await draft.click();
  page.once("dialog", (d) => d.dismiss());
  await page.getByTestId("discard-draft").click();
  await expect(page.getByTestId("child-name")).toHaveValue("郑小草");

  page.once("dialog", (d) => d.accept());
  await page.getByTestId("discard-draft").click();
  await expect(page.getByTestId("new-visit")).toBeVisible();
  await expect(page.getByTestId("draft-item")).toHaveCount(0);
  expect(server.visits()).toHaveLength(0);
});
