// A director's month offline: she adds children, records full visits (one of which finds
// harm and must be reported to the police), sees them in each child's history and in the
// due list, and everything reaches the server once when she is online again, the visit
// that found harm first.
import { test, expect, VisitApp, enrol, serverPerTest } from "./app.mjs";

const server = serverPerTest();
test.beforeEach(async ({ context }) => {
  // The phone has joined: the server takes records only from enrolled devices.
  await enrol(context, server);
});

test("a month offline: children, visits, a mandatory report, the due list, then one sync", async ({ context, page }) => {
  // Records sent (not the phone's own calls, such as leaving its key for a forgotten PIN).
  const puts = [];
  context.on("request", (r) => {
    if (r.method() === "PUT" && /\/api\/v1\/(children|visits|photos)\//.test(r.url())) puts.push(new URL(r.url()).pathname);
  });
  const app = new VisitApp(page);
  await app.open(server.url);
  await app.waitForOfflineReady();
  await context.setOffline(true);
  await expect(page.getByTestId("sync-online")).toHaveAttribute("data-online", "false");

  // Three children; one is never visited this month.
  await app.addChild({ name: "陈小兵", sex: "male", birth: "2015-03-14" });
  await app.open(server.url);
  await app.addChild({ name: "刘小梅", birth: "2017-09-02", category: "low_income_family" });
  await app.open(server.url);
  await app.addChild({ name: "王小雨", birth: "2014-01-20" });

  // An ordinary visit.
  await app.open(server.url);
  await app.dueEntry("陈小兵").getByTestId("start-visit").click();
  await expect(page.getByTestId("visit-child-name")).toContainText("陈小兵");
  await app.fillOrdinaryVisit();
  await app.saveVisit();
  await expect(page.getByTestId("history-visit")).toHaveCount(1);
  await app.expectHistoryState("queued");

  // A visit that finds signs of abuse: the law says report to the police now.
  await app.open(server.url);
  await app.dueEntry("刘小梅").getByTestId("start-visit").click();
  await app.fillOrdinaryVisit({ colour: "red" });
  await app.choose("harm_signs", "yes");
  const prompt = page.getByTestId("mandatory-report-prompt");
  await expect(prompt).toBeVisible();
  await expect(page.getByTestId("call-110")).toHaveAttribute("href", "tel:110");
  await page.getByTestId("mandatory-report-ack").click();
  await expect(prompt).toBeHidden();
  await app.fill("harm_details", "手臂有多处淤青，孩子说是继父打的");
  // Not final until the report is recorded: saving brings the prompt back.
  await page.getByTestId("save-visit").click();
  await expect(prompt).toBeVisible();
  await page.getByTestId("mandatory-report-ack").click();
  await expect(page.getByTestId("error-mandatory_report_made")).toBeVisible();
  await app.choose("mandatory_report_made", "yes");
  await app.fill("mandatory_report_date", new Date().toISOString().slice(0, 10));
  await app.fill("mandatory_report_to", "石桥镇派出所");
  await app.fill("mandatory_report_receipt", "JJ20261123001");
  await app.saveVisit();
  await app.expectHistoryState("queued");

  // The due list: the reported child on top in red, the unvisited one due now.
  await app.open(server.url);
  await expect(page.getByTestId("due-group-red").getByTestId("due-entry").filter({ hasText: "刘小梅" })).toBeVisible();
  await expect(page.getByTestId("due-group-overdue").getByTestId("due-entry").filter({ hasText: "王小雨" })).toBeVisible();
  await expect(page.getByTestId("due-group-later").getByTestId("due-entry").filter({ hasText: "陈小兵" })).toBeVisible();
  await expect(page.getByTestId("month-progress")).toContainText("2");
  await expect(page.getByTestId("month-progress")).toContainText("3");
  await page.getByTestId("due-search").fill("小梅");
  await expect(page.getByTestId("due-entry")).toHaveCount(1);
  await page.getByTestId("due-search").fill("");
  await expect(page.getByTestId("due-entry")).toHaveCount(3);

  // A reload with no network changes nothing; nothing has left the phone.
  await page.reload();
  await expect(page.getByTestId("month-progress")).toBeVisible();
  // Three files, two visits, and the follow-up the reported visit started.
  await expect(app.pendingCount()).toHaveAttribute("data-count", "6");
  expect(puts).toHaveLength(0);

  // Online again: everything arrives once, the visit that found harm first.
  await context.setOffline(false);
  await expect(app.pendingCount()).toHaveAttribute("data-count", "0", { timeout: 45_000 });
  const children = server.children();
  expect(children.map((c) => c.name).sort()).toEqual(["刘小梅", "王小雨", "陈小兵"]);
  const visits = server.visits();
  expect(visits).toHaveLength(2);
  const byName = Object.fromEntries(children.map((c) => [c.id, c.name]));
  const harm = visits.find((v) => byName[v.child_id] === "刘小梅");
  expect(harm.answers).toMatchObject({
    harm_signs: true,
    risk_colour: "red",
    mandatory_report_made: true,
    mandatory_report_to: "石桥镇派出所",
    mandatory_report_receipt: "JJ20261123001",
  });
  expect(puts[0]).toBe(`/api/v1/visits/${harm.id}`);
  expect(puts).toHaveLength(5);
  expect(server.history()).toHaveLength(2);
});
