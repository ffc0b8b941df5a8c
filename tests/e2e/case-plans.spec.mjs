// Case plans (issue 16, items 2 and 3): a visit rates a child red; offline, the director
// drafts her plan (needs, an action due today) on the phone; it syncs; the township
// supervisor sees it waiting on her today and approves it from the child's file; the
// approval reaches the director's phone; the action shows on her due list; she marks it done
// and closes the case with a reason. A visit that finds harm starts the report's follow-up
// with its four first steps due in hours; the supervisor sees it open on her today until the
// director closes it with an outcome.
import { test, expect, villagePhone, supervisorPhone, serverPerTest } from "./app.mjs";

const PLACE = { township: "石门镇", village: "桃源村" };
const server = serverPerTest();

/** Today on the phone (the browser keeps the machine's time zone, UTC here). */
const today = () => new Date().toISOString().slice(0, 10);

test("a red child's plan is drafted offline, approved, followed on the due list and closed with a reason", async ({ browser }) => {
  test.setTimeout(240_000);
  const { context, page, app } = await villagePhone(browser, server, PLACE);
  await app.waitForOfflineReady();

  // Offline: a child, a red visit, then her plan.
  await context.setOffline(true);
  await app.addChild({ name: "陈小兵", village: PLACE.village });
  await app.startVisit();
  await app.fillOrdinaryVisit({ colour: "red" });
  await app.saveVisit();
  await page.getByTestId("start-case-plan").click();
  await expect(page.getByTestId("case-plan-editor")).toBeVisible();
  await page.getByTestId("plan-save").click();
  await expect(page.getByTestId("plan-errors")).toContainText("发现的需求：此项必填");
  await page.getByTestId("need-living").click();
  await page.getByTestId("need-study").click();
  await page.getByTestId("plan-needs-note").fill("祖母年迈，家中无固定收入");
  await page.getByTestId("add-action-kind").selectOption("dibao");
  await page.getByTestId("add-action").click();
  const action = page.locator('[data-testid="plan-action"][data-kind="dibao"]');
  await expect(action).toHaveCount(1);
  await action.getByTestId("action-by").fill("民政办周干事");
  await action.getByTestId("action-due").fill(today());
  await page.getByTestId("plan-save").click();
  await expect(page.getByTestId("start-visit")).toBeVisible();
  const row = page.getByTestId("case-plan-row");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("待督导员审核");
  await expect(page.getByTestId("start-case-plan")).toHaveCount(0);

  // Online: it reaches the server, waiting for the supervisor.
  await context.setOffline(false);
  await page.getByTestId("sync-now").click();
  await expect(app.pendingCount()).toHaveAttribute("data-count", "0", { timeout: 45_000 });
  const [sent] = server.casePlans();
  expect(sent).toMatchObject({ needs: ["living", "study"], needs_note: "祖母年迈，家中无固定收入", approved_at: null });
  expect(sent.actions).toMatchObject([{ kind: "dibao", by_whom: "民政办周干事", status: "planned" }]);

  // The supervisor: waiting on her today; she approves it from the child's file.
  const supervisor = await supervisorPhone(browser, server);
  const waiting = supervisor.page.getByTestId("today-plan-waiting");
  await expect(waiting).toHaveCount(1);
  await expect(waiting).toContainText("陈小兵");
  await waiting.locator("a").click();
  await expect(supervisor.page.getByTestId("township-child-page")).toBeVisible();
  await supervisor.page.getByTestId("case-plan-row").locator("button").click();
  await supervisor.page.getByTestId("plan-approve").click();
  await expect(supervisor.page.getByTestId("case-plan-row")).toContainText("已审核");
  expect(server.casePlans()[0].approved_at).not.toBeNull();

  // The director's phone receives the approval; the action is on her due list.
  await page.getByTestId("sync-now").click();
  await app.open(server.url);
  const due = page.getByTestId("due-action");
  await expect(due).toHaveCount(1, { timeout: 30_000 });
  await expect(due).toContainText("陈小兵");
  await expect(due).toContainText("申请低保");
  await due.locator("a").click();
  await expect(page.getByTestId("plan-state")).toHaveText("已审核");

  // Done, then the case closed with a reason.
  await page.getByTestId("action-status").selectOption("done");
  await page.getByTestId("plan-save").click();
  await expect(page.getByTestId("case-plan-row")).toContainText("已审核");
  await page.getByTestId("case-plan-row").locator("a").click();
  await page.getByTestId("plan-close-open").click();
  await page.getByTestId("plan-close-confirm").click();
  await expect(page.getByTestId("plan-errors")).toContainText("结案原因");
  await page.getByTestId("close-reason").selectOption("risk_resolved");
  await page.getByTestId("plan-close-confirm").click();
  await expect(page.getByTestId("case-plan-row")).toContainText("已结案");
  await app.open(server.url);
  await expect(page.getByTestId("due-action")).toHaveCount(0);
  await expect(app.pendingCount()).toHaveAttribute("data-count", "0", { timeout: 45_000 });
  const [closed] = server.casePlans();
  expect(closed.closed).toMatchObject({ reason: "risk_resolved" });
  expect(closed.actions[0].status).toBe("done");
  expect(closed.approved_at).not.toBeNull();
  expect(closed.revision).toBe(4);
});

test("a mandatory report's follow-up starts with its first steps and stays open for the supervisor until closed with an outcome", async ({ browser }) => {
  test.setTimeout(240_000);
  const { page, app } = await villagePhone(browser, server, PLACE);
  await app.addChild({ name: "刘小梅", village: PLACE.village });
  await app.startVisit();
  await app.fillOrdinaryVisit({ colour: "red" });
  await app.choose("harm_signs", "yes");
  await page.getByTestId("mandatory-report-ack").click();
  await app.fill("harm_details", "手臂有多处淤青");
  await app.choose("mandatory_report_made", "yes");
  await app.fill("mandatory_report_date", today());
  await app.fill("mandatory_report_to", "石门镇派出所");
  await app.saveVisit();

  // The follow-up was started with the visit: four first steps, due within hours.
  await expect(page.getByTestId("case-plan-row")).toHaveCount(1);
  await expect(page.getByTestId("start-report-follow-up")).toHaveCount(0);
  await app.open(server.url);
  await expect(page.getByTestId("due-action")).toHaveCount(4);
  await expect(app.pendingCount()).toHaveAttribute("data-count", "0", { timeout: 45_000 });

  // The supervisor sees it open, none of four steps done.
  const supervisor = await supervisorPhone(browser, server);
  const report = supervisor.page.getByTestId("today-report");
  await expect(report).toHaveAttribute("data-open", "true");
  await expect(report).toContainText("已完成 0/4");

  // The director records the steps, then closes it with the outcome.
  await page.getByTestId("due-action").first().locator("a").click();
  await expect(page.getByTestId("action-status")).toHaveCount(4);
  for (const status of await page.getByTestId("action-status").all()) await status.selectOption("done");
  await page.getByTestId("action-note").first().fill("已在奶奶家，安全");
  await page.getByTestId("plan-close-open").click();
  await page.getByTestId("close-reason").selectOption("police_case");
  await page.getByTestId("close-note").fill("派出所已立案");
  await page.getByTestId("plan-close-confirm").click();
  await expect(page.getByTestId("case-plan-row")).toContainText("已结案");
  await expect(app.pendingCount()).toHaveAttribute("data-count", "0", { timeout: 45_000 });
  const [followUp] = server.casePlans();
  expect(followUp.closed).toMatchObject({ reason: "police_case", note: "派出所已立案" });
  expect(followUp.actions.map((a) => a.status)).toEqual(["done", "done", "done", "done"]);

  await supervisor.page.getByTestId("township-refresh").click();
  await expect(supervisor.page.getByTestId("today-report")).toContainText("已结案：公安已立案处理");
  await expect(supervisor.page.getByTestId("today-report")).toHaveAttribute("data-open", "false");
});
