// One village, one file (issue 15): what the server holds comes back to the phones that care
// for the child. Two phones of one village on two browser contexts, the real server between
// them: a new phone of the village's director is a restore, and a love mother's visit to
// the child paired with her reaches the director's due list, month count and child's file,
// whose answers come from the server when it is opened. The director pairs the love mother
// with the child, and ends the pairing, on the child's page.
import { test, expect, unlocks, enrol, VisitApp, villagePhone, serverPerTest } from "./app.mjs";

const PLACE = { township: "石门镇", village: "桃源村" };

const server = serverPerTest();

/** On the child's page: records an ordinary visit and waits until the server has it. */
async function visitAndSend(app, colour) {
  await app.startVisit();
  await app.fillOrdinaryVisit({ colour });
  await app.saveVisit();
  await app.expectHistoryState("sent", 30_000);
}

test("a director's new phone gets her village back: every child's file and visit, none twice; a child typed again is flagged", async ({ browser }) => {
  const first = await villagePhone(browser, server, { role: "director", name: "李芳", ...PLACE }, {});
  await first.app.addChild({ name: "陈小兵", village: PLACE.village });
  await visitAndSend(first.app, "yellow");
  await first.page.getByTestId("nav-due").click();
  await first.app.addChild({ name: "王小花", village: PLACE.village });
  await expect(first.app.historyItem()).toHaveCount(0);
  await first.page.getByTestId("nav-due").click();
  await expect(first.page.getByTestId("sync-pending")).toHaveAttribute("data-count", "0", { timeout: 30_000 });
  await first.context.close();

  // Her phone is lost; she joins on another (a cleared browser: nothing on it).
  const second = await villagePhone(browser, server, { role: "director", name: "李芳", ...PLACE }, {});
  await expect(second.app.dueEntry("陈小兵")).toBeVisible({ timeout: 30_000 });
  await expect(second.app.dueEntry("王小花")).toBeVisible();
  await expect(second.page.getByTestId("due-entry")).toHaveCount(2);
  await expect(second.page.getByTestId("month-progress")).toHaveAttribute("data-visited", "1");
  await expect(second.page.getByTestId("month-progress")).toHaveAttribute("data-total", "2");
  await expect(second.app.dueEntry("陈小兵").locator(".risk-badge")).toHaveAttribute("data-risk", "yellow");
  // The child's file and history: the visit once, as sent (nothing waits to be sent).
  await second.app.dueEntry("陈小兵").locator("a.due-main").click();
  await expect(second.app.historyItem()).toHaveCount(1);
  await expect(second.page.getByTestId("sync-pending")).toHaveAttribute("data-count", "0");

  // Registering 王小花 again (the same name, birth date and village) is flagged as she types,
  // before anything is saved, and leads to the file the phone already has.
  await second.page.getByTestId("nav-due").click();
  await second.page.getByTestId("add-child").first().click();
  await second.app.fillChild({ name: "王小花", sex: "female", birth: "2016-05-02", village: PLACE.village, category: "left_behind" });
  await expect(second.page.getByTestId("possible-duplicate")).toHaveCount(0);
  await second.page.getByTestId("child-birth-date").fill("2016-05-01");
  await expect(second.page.getByTestId("possible-duplicate")).toContainText(`这名儿童可能已经由李芳登记过：王小花（2016-05-01，${PLACE.village}）`);
  await second.page.getByTestId("possible-duplicate-open").click();
  await expect(second.page.getByRole("heading", { name: "王小花" })).toBeVisible();
  await second.context.close();
});

test("a new phone shows the first page of its village while the rest is on its way", async ({ browser }) => {
  const first = await villagePhone(browser, server, { role: "director", name: "李芳", ...PLACE }, {});
  await first.app.addChild({ name: "陈小兵", village: PLACE.village });
  await first.page.getByTestId("nav-due").click();
  await first.app.addChild({ name: "王小花", village: PLACE.village });
  await first.page.getByTestId("nav-due").click();
  await expect(first.page.getByTestId("sync-pending")).toHaveAttribute("data-count", "0", { timeout: 30_000 });
  await first.context.close();

  // The new phone's first page says more is coming; the next is held until the test has
  // looked at the due list.
  const context = await browser.newContext();
  await enrol(context, server, { role: "director", name: "李芳", ...PLACE });
  let release;
  const held = new Promise((resolve) => (release = resolve));
  let laterAsked = false;
  await context.route("**/api/v1/changes?*", async (route) => {
    if (new URL(route.request().url()).searchParams.get("after") === "0") {
      const response = await route.fetch();
      const page = await response.json();
      await route.fulfill({ response, json: { ...page, more: true } });
    } else {
      laterAsked = true;
      await held;
      await route.continue();
    }
  });
  const page = await context.newPage();
  await unlocks(page);
  const app = new VisitApp(page);
  await app.open(server.url);
  await expect(app.dueEntry("陈小兵")).toBeVisible({ timeout: 30_000 });
  await expect(app.dueEntry("王小花")).toBeVisible();
  expect(laterAsked, "the next page was asked for while the first was stored").toBe(true);
  await expect(page.getByTestId("sync-now")).toBeDisabled();
  release();
  await expect(page.getByTestId("sync-now")).toBeEnabled({ timeout: 30_000 });
  await expect(page.getByTestId("due-entry")).toHaveCount(2);
  await context.close();
});

test("a love mother's visit to the child the director paired her with reaches the director's due list; an unpaired child never reaches her, nor the child once the pairing ended", async ({ browser }) => {
  const director = await villagePhone(browser, server, { role: "director", name: "李芳", ...PLACE }, {});
  await director.app.addChild({ name: "陈小兵", village: PLACE.village });
  const paired = director.page.url().split("/children/")[1];
  await director.page.getByTestId("nav-due").click();
  await director.app.addChild({ name: "王小花", village: PLACE.village });
  await director.page.getByTestId("nav-due").click();
  await expect(director.page.getByTestId("sync-pending")).toHaveAttribute("data-count", "0", { timeout: 30_000 });

  // The love mother joins; the director pairs her with 陈小兵 (结对) on the child's page.
  const mother = await villagePhone(browser, server, { role: "love_mother", name: "赵妈妈", ...PLACE }, {});
  await director.app.dueEntry("陈小兵").locator("a.due-main").click();
  await expect(director.page.getByTestId("pairings-empty")).toBeVisible();
  // Whom she may pair comes from the server: offline, the picker says it needs the network.
  await director.context.setOffline(true);
  await director.page.getByTestId("pair-worker").click();
  await expect(director.page.getByTestId("pairing-picker-problem")).toHaveAttribute("data-problem", "offline");
  await expect(director.page.getByTestId("pairing-picker-problem")).toContainText("需要网络");
  await director.context.setOffline(false);
  await director.page.getByTestId("pair-worker").click();
  await expect(director.page.getByTestId("pairing-choice")).toHaveCount(1);
  await director.page.getByTestId("pairing-choice").filter({ hasText: "赵妈妈（爱心妈妈）" }).click();
  await expect(director.page.getByTestId("pairing")).toHaveCount(1);
  await expect(director.page.getByTestId("pairing")).toContainText("赵妈妈（爱心妈妈）");
  await expect(director.page.getByTestId("pairing")).toHaveAttribute("data-worker-id", mother.enrolled.worker.id);
  // Saved on her phone, the pairing goes out with the outbox like any record.
  await expect(director.page.getByTestId("sync-pending")).toHaveAttribute("data-count", "0", { timeout: 30_000 });
  await director.page.getByTestId("nav-due").click();

  // Her "sync now" brings the child paired with her, and only that child.
  await mother.page.getByTestId("sync-now").click();
  await expect(mother.app.dueEntry("陈小兵")).toBeVisible({ timeout: 30_000 });
  await expect(mother.page.getByTestId("due-entry")).toHaveCount(1);
  await mother.app.dueEntry("陈小兵").locator("a.due-main").click();
  // Her phone says the child is hers; the controls are the director's.
  await expect(mother.page.getByTestId("paired-with-me")).toContainText("与你结对");
  await expect(mother.page.getByTestId("pair-worker")).toHaveCount(0);
  await visitAndSend(mother.app, "red");

  // The director's "sync now" brings the love mother's visit: 陈小兵 is red and visited.
  await expect(director.page.getByTestId("month-progress")).toHaveAttribute("data-visited", "0");
  await director.page.getByTestId("sync-now").click();
  await expect(director.app.dueEntry("陈小兵").locator(".risk-badge")).toHaveAttribute("data-risk", "red", { timeout: 30_000 });
  await expect(director.page.getByTestId("month-progress")).toHaveAttribute("data-visited", "1");
  await director.app.dueEntry("陈小兵").locator("a.due-main").click();
  await expect(director.app.historyItem()).toHaveCount(1);
  await expect(director.app.historyItem().locator(".risk-badge")).toHaveAttribute("data-risk", "red");

  // Her phone holds the visit's summary only: opened, its answers come from the server;
  // offline it says so, and "try again" once online brings them.
  await director.app.historyItem().locator("a").click();
  await expect(director.page.getByTestId("field-main_carer")).toHaveValue("李秀英");
  await director.page.goBack();
  await director.context.setOffline(true);
  await director.app.historyItem().locator("a").click();
  await expect(director.page.getByTestId("visit-read-problem")).toHaveAttribute("data-problem", "offline");
  await expect(director.page.getByTestId("visit-read-problem")).toContainText("需要网络");
  await expect(director.page.getByTestId("visit-on-server").locator(".risk-badge")).toHaveAttribute("data-risk", "red");
  await director.context.setOffline(false);
  await director.page.getByTestId("visit-read-again").click();
  await expect(director.page.getByTestId("field-main_carer")).toHaveValue("李秀英");

  // The director ends the pairing on the child's page; the love mother's phone drops the child.
  await director.page.getByTestId("nav-due").click();
  await director.app.dueEntry("陈小兵").locator("a.due-main").click();
  director.page.once("dialog", (dialog) => dialog.accept());
  await director.page.getByTestId("end-pairing").click();
  await expect(director.page.getByTestId("pairings-empty")).toBeVisible();
  await expect(director.page.getByTestId("sync-pending")).toHaveAttribute("data-count", "0", { timeout: 30_000 });
  await mother.page.getByTestId("nav-due").click();
  await mother.page.getByTestId("sync-now").click();
  await expect(mother.page.getByTestId("due-entry")).toHaveCount(0, { timeout: 30_000 });
  await director.context.close();
  await mother.context.close();
});
