// A visit recorded with no network, or while the server is down, reaches the server
// exactly once, through reloads and restarts.
import { test, expect, chromium } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { args, executablePath } from "./chromium.mjs";
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

test("a killed browser loses nothing typed", async () => {
  // A persistent profile, as on a phone; the whole browser is killed with SIGKILL a second
  // after the last keystroke, as Android kills a WebView, then started again on it.
  const profile = mkdtempSync(join(tmpdir(), "tongxing-profile-"));
  const launch = () => chromium.launchPersistentContext(profile, { executablePath, args, viewport: { width: 360, height: 740 } });
  try {
    const first = await launch();
    const page = first.pages()[0] ?? (await first.newPage());
    const app = new VisitApp(page);
    await app.open(server.url);
    await app.startVisit();
    const url = page.url();
    await page.getByTestId("child-name").fill("周小军");
    await page.getByTestId("notes").fill("父母在外打工，每周通话一次");
    await page.waitForTimeout(1000);
    execFileSync("pkill", ["-KILL", "-f", `user-data-dir=${profile}`]);
    await first.close().catch(() => {});

    const second = await launch();
    const again = second.pages()[0] ?? (await second.newPage());
    await new VisitApp(again).open(server.url);
    await expect(again.getByTestId("draft-item").filter({ hasText: "周小军" })).toBeVisible();
    await again.goto(url);
    await expect(again.getByTestId("child-name")).toHaveValue("周小军");
    await expect(again.getByTestId("notes")).toHaveValue("父母在外打工，每周通话一次");
    expect(server.visits()).toHaveLength(0);
    await second.close();
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
});

test("two open tabs coming online together send a visit once", async ({ context, page }) => {
  const puts = [];
  context.on("request", (r) => {
    if (r.method() === "PUT" && r.url().includes("/api/v1/visits/")) puts.push(r.url());
  });
  const a = new VisitApp(page);
  await a.open(server.url);
  const other = await context.newPage();
  const b = new VisitApp(other);
  await b.open(server.url);

  await context.setOffline(true);
  await a.startVisit();
  await a.fillVisit({ name: "吴小丽", risk: 3 });
  await a.save();
  await a.expectState("吴小丽", "queued");
  // The other tab learns of the new visit through the broadcast channel.
  await b.expectState("吴小丽", "queued");

  // Both tabs get `online` at the same moment and both try to run the outbox.
  await context.setOffline(false);
  await a.expectState("吴小丽", "sent", 30_000);
  await b.expectState("吴小丽", "sent", 30_000);
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
