// Visits and children's files recorded with no network, or while the server is down, reach
// the server exactly once, through reloads, restarts, killed browsers and open tabs.
import { chromium } from "@playwright/test";
import { test, expect, unlocks, VisitApp, enrol, serverPerTest } from "./app.mjs";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { args, executablePath } from "./chromium.mjs";

const server = serverPerTest();
test.beforeEach(async ({ context }) => {
  // The phone has joined: the server takes records only from enrolled devices.
  await enrol(context, server);
});

test("negative control: without the service worker an offline reload fails", async ({ browser }) => {
  const context = await browser.newContext({ serviceWorkers: "block" });
  const page = await context.newPage();
  await unlocks(page);
  const app = new VisitApp(page);
  await app.open(server.url);
  await context.setOffline(true);
  await expect(page.reload()).rejects.toThrow();
  await context.close();
});

test("server down: a saved visit is retried by itself and arrives once when it is back", async ({ page }) => {
  // The phone's clock is Playwright's: the sync driver's 20-second tick and the back-off
  // come when the test moves it on, not in real seconds.
  await page.clock.install();
  const app = new VisitApp(page);
  await app.open(server.url);
  await server.stop();

  await app.addChild({ name: "刘小梅" });
  await app.startVisit();
  await app.fillOrdinaryVisit();
  await app.saveVisit();
  await app.expectHistoryState("queued");
  // Let at least one attempt fail against the stopped server.
  await expect(page.getByTestId("sync-notice")).toBeVisible({ timeout: 15_000 });
  expect(server.visits()).toHaveLength(0);

  await server.start();
  // The clock moves on until both records are sent: the longest back-off (core's RetryPolicy)
  // passes, however often each failed while the server was down.
  await app.clockOnUntilSent();
  await app.expectHistoryState("sent");
  const [child] = server.children();
  expect(child).toMatchObject({ name: "刘小梅", revision: 1 });
  const visits = server.visits();
  expect(visits).toHaveLength(1);
  expect(visits[0]).toMatchObject({ child_id: child.id, form_id: "home_visit", form_version: 1, revision: 1 });
  expect(visits[0].answers).toMatchObject({ risk_colour: "yellow", carer_capacity: "weak", main_carer: "李秀英" });
  expect(server.history()).toHaveLength(1);
});

test.describe("with no service worker", () => {
  // The browser keeps it from installing, as when the connection went before its script came.
  test.use({ serviceWorkers: "block" });
  test("a phone whose service worker never installed still sends: a run does not wait for it", async ({ page }) => {
    // The run that keeps the file for Background Sync must not wait for a worker that will
    // never be ready, or the outbox would stop until the app is opened again.
    await page.clock.install();
    const app = new VisitApp(page);
    await app.open(server.url);
    expect(await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r ?? null))).toBeNull();
    // The child's file while the server is up: with no service worker the screens' piece of
    // the app comes only from the server.
    await app.addChild({ name: "孙小雨" });
    await server.stop();
    await app.startVisit();
    await app.fillOrdinaryVisit();
    await app.saveVisit();
    await expect(page.getByTestId("sync-notice")).toBeVisible({ timeout: 15_000 });
    await server.start();
    await app.clockOnUntilSent();
    await app.expectHistoryState("sent");
    expect(server.visits()).toHaveLength(1);
  });
});

test("a killed browser loses nothing typed", async () => {
  // A persistent profile, as on a phone; the whole browser is killed with SIGKILL as soon as
  // what was typed is on the phone's disk, which must be within a second of the last
  // keystroke, as Android kills a WebView; then it is started again on it.
  const profile = mkdtempSync(join(tmpdir(), "tongxing-profile-"));
  const launch = () => chromium.launchPersistentContext(profile, { executablePath, args, viewport: { width: 360, height: 740 } });
  try {
    const first = await launch();
    const page = first.pages()[0] ?? (await first.newPage());
    await unlocks(page);
    const app = new VisitApp(page);
    await app.open(server.url);
    await app.addChild({ name: "周小军" });
    await app.startVisit();
    const url = page.url();
    await app.choose("carer_relation", "grandparent");
    await app.fill("main_carer", "周奶奶");
    const before = await app.settledDraftBytes();
    await app.fill("needs_found", "父母在外打工，每周通话一次");
    await app.expectDraftGrew(before, "父母在外打工，每周通话一次", { timeout: 1_000 });
    execFileSync("pkill", ["-KILL", "-f", `user-data-dir=${profile}`]);
    await first.close().catch(() => {});

    const second = await launch();
    const again = second.pages()[0] ?? (await second.newPage());
    await unlocks(again);
    await new VisitApp(again).open(server.url);
    await again.goto(url);
    await expect(again.getByTestId("field-main_carer")).toHaveValue("周奶奶");
    await expect(again.getByTestId("field-needs_found")).toHaveValue("父母在外打工，每周通话一次");
    await expect(again.getByTestId("visit-child-name")).toContainText("周小军");
    expect(server.visits()).toHaveLength(0);
    await second.close();
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
});

test("two open tabs coming online together send each record once", async ({ context, page }) => {
  const puts = [];
  context.on("request", (r) => {
    if (r.method() === "PUT" && r.url().includes("/api/v1/")) puts.push(new URL(r.url()).pathname);
  });
  const a = new VisitApp(page);
  await a.open(server.url);
  const other = await context.newPage();
  await unlocks(other);
  const b = new VisitApp(other);
  await b.open(server.url);
  // The worker uses the first tab; the other stays open behind it (a hidden page gets no
  // animation frames, which Playwright waits for before each click).
  await page.bringToFront();

  await context.setOffline(true);
  await a.addChild({ name: "吴小丽" });
  await a.startVisit();
  await a.fillOrdinaryVisit();
  await a.saveVisit();
  await a.expectHistoryState("queued");
  // The other tab learns of the new records through the broadcast channel.
  await expect(b.pendingCount()).toHaveAttribute("data-count", "2");

  // Both tabs get `online` at the same moment and both try to run the outbox.
  await context.setOffline(false);
  await a.expectHistoryState("sent", 30_000);
  await expect(b.pendingCount()).toHaveAttribute("data-count", "0", { timeout: 30_000 });
  expect(puts.filter((p) => p.includes("/visits/"))).toHaveLength(1);
  expect(puts.filter((p) => p.includes("/children/"))).toHaveLength(1);
  expect(server.visits()).toHaveLength(1);
  expect(server.children()).toHaveLength(1);
});

test("editing a sent visit sends revision 2 and the server keeps both", async ({ page }) => {
  const app = new VisitApp(page);
  await app.open(server.url);
  await app.addChild({ name: "孙小宝" });
  await app.startVisit();
  await app.fillOrdinaryVisit();
  await app.saveVisit();
  await app.expectHistoryState("sent", 30_000);

  await app.historyItem().click();
  await expect(page.getByTestId("field-main_carer")).toHaveValue("李秀英");
  await app.fill("actions_taken", "发现新情况，已联系学校");
  await app.saveVisit();
  await app.expectHistoryState("sent", 30_000);

  const visits = server.visits();
  expect(visits).toHaveLength(1);
  expect(visits[0]).toMatchObject({ revision: 2 });
  expect(visits[0].answers.actions_taken).toBe("发现新情况，已联系学校");
  expect(server.history().map((v) => v.revision).sort()).toEqual([1, 2]);
});

test("the form says what is missing, in Chinese and in English", async ({ page }) => {
  const app = new VisitApp(page);
  await app.open(server.url);
  await app.addChild({ name: "郑小草" });
  await app.startVisit();
  await page.getByTestId("save-visit").click();
  await expect(page.getByTestId("form-errors")).toBeVisible();
  await expect(page.getByTestId("error-risk_colour")).toHaveText("此项必填");
  await page.getByTestId("lang-switch").click();
  await expect(page.getByTestId("error-risk_colour")).toHaveText("This is required");
  // A colour below the rules' suggestion needs a reason.
  await app.choose("carer_relation", "grandparent");
  await app.choose("carer_capacity", "weak");
  await app.choose("risk_colour", "green");
  await expect(page.getByTestId("risk-suggestion")).toHaveAttribute("data-colour", "yellow");
  await page.getByTestId("save-visit").click();
  await expect(page.getByTestId("error-risk_colour_reason")).toBeVisible();
  expect(server.visits()).toHaveLength(0);
});

test("a draft can be discarded, and only after confirming", async ({ page }) => {
  const app = new VisitApp(page);
  await app.open(server.url);
  await app.addChild({ name: "郑小花" });
  await app.startVisit();
  const before = await app.settledDraftBytes();
  await app.fill("needs_found", "需要助学金");
  await app.expectDraftGrew(before, "需要助学金");
  await page.reload();
  await expect(page.getByTestId("field-needs_found")).toHaveValue("需要助学金");

  page.once("dialog", (d) => d.dismiss());
  await page.getByTestId("discard-draft").click();
  await expect(page.getByTestId("field-needs_found")).toHaveValue("需要助学金");

  page.once("dialog", (d) => d.accept());
  await page.getByTestId("discard-draft").click();
  await expect(page.getByTestId("save-visit")).toHaveCount(0);
  expect(server.visits()).toHaveLength(0);
});

test("a new child can be added from the visit screen, and the visit is theirs", async ({ page }) => {
  const app = new VisitApp(page);
  await app.open(server.url);
  await page.getByTestId("nav-visits").click();
  await page.getByTestId("new-visit").click();
  await expect(page.getByTestId("child-picker")).toBeVisible();
  await page.getByTestId("child-picker").getByTestId("add-child").click();
  await app.fillChild({ name: "钱小多", sex: "male", birth: "2013-06-01", village: "石桥村", category: "migrant" });
  await page.getByTestId("save-child").click();
  await expect(page.getByTestId("visit-child-name")).toContainText("钱小多");
  await app.fillOrdinaryVisit();
  await app.saveVisit();
  await expect(page.getByTestId("history-visit")).toHaveCount(1);
  await expect(app.pendingCount()).toHaveAttribute("data-count", "0", { timeout: 30_000 });
  const [child] = server.children();
  expect(child).toMatchObject({ name: "钱小多", categories: ["migrant"] });
  expect(server.visits().map((v) => v.child_id)).toEqual([child.id]);
});
