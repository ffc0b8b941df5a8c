// Issue 16, item 5, "the county console": a server started on an empty database prints one
// one-time link for the county's first administrator; she opens it, joins, and lands on the
// county console in the oversight app. She invites the supervisor of 石门镇, who joins from
// that link on her own phone. A director of 石门镇 records a red child's visit; the console's
// 全县 then shows the township's line, 统计 its counts as tables with bars, 下载 Excel saves
// the workbook with its sheets, 手机 every township's phones, and 日志 the audit log,
// filtered. At 360 px.
import { readFileSync } from "node:fs";
import { test, expect, unlocks, enrol, VisitApp, serverPerTest } from "./app.mjs";
import { zipEntries } from "./zip.mjs";

const server = serverPerTest();

async function join(page, { name, phone }) {
  await page.getByTestId("join-name").fill(name);
  await page.getByTestId("join-phone").fill(phone);
  await page.getByTestId("join-submit").click();
}

test("the first run's link leads to the county console: invite a supervisor, counts, the workbook, the log", async ({ browser, page }) => {
  test.setTimeout(240_000);

  // The start printed one link on standard output: the county's first administrator joins.
  const link = server.firstRunLink();
  expect(link).toMatch(new RegExp(`^${server.url}/join\\?code=[^&]+$`));
  await page.goto(link);
  await expect(page.getByTestId("invite-role")).toHaveText("身份：县级管理员");
  await expect(page.getByTestId("invite-place")).toHaveText("全县");
  await join(page, { name: "赵主任", phone: "13700137000" });
  await expect(page.getByTestId("county-page")).toBeVisible();
  expect(new URL(page.url()).pathname).toBe("/oversight/");
  await expect(page.getByTestId("county-who")).toHaveText("县级管理员 · 赵主任");
  await expect(page.getByTestId("county-none")).toBeVisible();

  // She invites the supervisor of 石门镇: the township is asked, the village is not.
  await page.getByTestId("county-tab-invite").click();
  await expect(page.getByTestId("make-invite-role")).toHaveValue("supervisor");
  await expect(page.getByTestId("make-invite-village")).toHaveCount(0);
  await page.getByTestId("make-invite-submit").click();
  await expect(page.getByTestId("error-invite_township")).toHaveText("此项必填");
  await page.getByTestId("make-invite-township").fill("石门镇");
  await page.getByTestId("make-invite-submit").click();
  const linkField = page.getByTestId("invite-link");
  await expect(linkField).toHaveValue(new RegExp(`^${server.url}/join\\?code=[^&]+$`));
  const supervisorLink = await linkField.inputValue();

  // The supervisor opens it on her own phone and joins her township.
  const supervisorContext = await browser.newContext({ locale: "zh-CN", viewport: { width: 360, height: 740 } });
  const supervisor = await supervisorContext.newPage();
  await unlocks(supervisor);
  await supervisor.goto(supervisorLink);
  await expect(supervisor.getByTestId("invite-by")).toHaveText("赵主任 邀请您加入");
  await expect(supervisor.getByTestId("invite-role")).toHaveText("身份：儿童督导员");
  await join(supervisor, { name: "王督导", phone: "13900139000" });
  await expect(supervisor.getByTestId("township-name")).toHaveText("石门镇");
  await supervisorContext.close();

  // A director of 石门镇 records a red child's visit, and it reaches the server.
  const directorContext = await browser.newContext({ locale: "zh-CN", viewport: { width: 360, height: 740 } });
  await enrol(directorContext, server, { role: "director", township: "石门镇", village: "桃源村", name: "李芳" });
  const director = await directorContext.newPage();
  await unlocks(director);
  const app = new VisitApp(director);
  await director.goto(server.url);
  await expect(director.getByTestId("month-progress")).toBeVisible();
  await app.addChild({ name: "王小红", sex: "female", birth: "2017-06-01", village: "桃源村" });
  await app.startVisit();
  await app.fillOrdinaryVisit({ colour: "red" });
  await app.saveVisit();
  await app.expectHistoryState("sent", 30_000);
  // Her settings say she is not certified yet.
  await director.getByTestId("settings-link").click();
  await expect(director.getByTestId("my-certification")).toHaveAttribute("data-certified", "false");
  await expect(director.getByTestId("my-certification")).toContainText("尚未通过培训考核");

  // 全县: 石门镇's line, visited 1 of 1, one red.
  await page.getByTestId("county-tab-townships").click();
  await page.getByTestId("county-refresh").click();
  const line = page.getByTestId("county-township");
  await expect(line).toHaveCount(1);
  await expect(line).toHaveAttribute("data-township", "石门镇");
  await expect(line).toHaveAttribute("data-visited", "1");
  await expect(line).toHaveAttribute("data-due", "1");
  await expect(line).toHaveAttribute("data-red", "1");
  await expect(line.locator(".bar span")).toHaveAttribute("style", /width: 100%/);

  // 统计: the counts as tables, each line a bar.
  await page.getByTestId("county-tab-statistics").click();
  await expect(page.getByTestId("statistic-children")).toHaveAttribute("data-count", "1");
  await expect(page.getByTestId("statistic-coverage")).toHaveAttribute("data-visited", "1");
  const red = page.getByTestId("statistic-colour").locator('tr[data-key="red"]');
  await expect(red).toHaveAttribute("data-count", "1");
  await expect(red.locator(".bar span")).toHaveAttribute("style", /width: 100%/);
  await expect(page.getByTestId("statistic-colour").locator('tr[data-key="green"] .bar span')).toHaveAttribute("style", /width: 0%/);
  await expect(page.getByTestId("statistic-township").locator('tr[data-key="石门镇"]')).toHaveAttribute("data-count", "1");
  await expect(page.getByTestId("statistic-benefits").locator('tr[data-key="study_grant"]')).toHaveAttribute("data-count", "1");
  await expect(page.getByTestId("statistic-certified")).toHaveAttribute("data-certified", "0");
  await expect(page.getByTestId("statistic-certified")).toHaveAttribute("data-workers", "1");
  // Nothing wider than the phone.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  // 下载 Excel: the workbook, with its sheets.
  const [saved] = await Promise.all([page.waitForEvent("download"), page.getByTestId("county-workbook").click()]);
  expect(saved.suggestedFilename()).toMatch(/^全县统计_导出\d{4}-\d{2}-\d{2}\.xlsx$/);
  const bytes = readFileSync(await saved.path());
  const workbook = zipEntries(bytes).find((entry) => entry.name === "xl/workbook.xml").text();
  for (const sheet of ["概况", "按儿童类别", "按风险等级", "按乡镇", "按年龄", "按月走访", "政策链接"]) {
    expect(workbook).toContain(`name="${sheet}"`);
  }
  await expect(page.getByTestId("county-workbook-status")).toHaveAttribute("data-state", "saved");

  // 手机: every township's phones, hers marked; recovery codes stay the supervisors'.
  await page.getByTestId("county-tab-phones").click();
  const phones = page.getByTestId("township-phone");
  await expect(phones).toHaveCount(3);
  await expect(phones.filter({ hasText: "王督导" })).toContainText("石门镇");
  await expect(phones.filter({ hasText: "李芳" })).toContainText("石门镇 桃源村");
  await expect(phones.filter({ hasText: "赵主任" })).toContainText("本机");
  await expect(page.getByTestId("issue-recovery")).toHaveCount(0);

  // 培训考核: the director is not certified; the county records her passed assessment.
  const trainee = phones.filter({ hasText: "李芳" });
  await expect(trainee.getByTestId("phone-certification")).toHaveText("未通过培训考核");
  await expect(phones.filter({ hasText: "王督导" }).getByTestId("phone-certification")).toHaveCount(0);
  await trainee.getByTestId("record-training").click();
  await trainee.getByTestId("training-save").click();
  await expect(trainee.getByTestId("training-form")).toContainText("此项必填");
  await trainee.getByTestId("training-course").fill("儿童主任业务培训");
  await trainee.getByTestId("training-date").fill("2026-11-20");
  await trainee.getByTestId("training-save").click();
  await expect(trainee.getByTestId("phone-certification")).toHaveText("已通过培训考核（2026-11-20）");
  // Her own phone shows it, and the county's figures count her.
  await director.reload();
  await expect(director.getByTestId("my-certification")).toHaveAttribute("data-certified", "true");
  await expect(director.getByTestId("my-certification")).toContainText("已通过培训考核（2026-11-20）");
  await directorContext.close();
  await page.getByTestId("county-tab-statistics").click();
  await page.getByTestId("county-refresh").click();
  await expect(page.getByTestId("statistic-certified")).toHaveAttribute("data-certified", "1");
  const township = page.getByTestId("statistic-township-certified").locator('tr[data-key="石门镇"]');
  await expect(township).toHaveAttribute("data-count", "1");
  await expect(township).toHaveAttribute("data-workers", "1");

  // 日志: the audit log, the newest first; filtered to invites made: the first run's, hers
  // and the director's (from the command line).
  await page.getByTestId("county-tab-audit").click();
  await expect(page.getByTestId("audit-line").first()).toHaveAttribute("data-action", "read_audit");
  await page.getByTestId("audit-action").selectOption("make_invite");
  await page.getByTestId("audit-search").click();
  await expect(page.getByTestId("audit-line")).toHaveCount(3);
  await expect(page.getByTestId("audit-line").filter({ hasText: "赵主任" })).toHaveCount(1);
  await expect(page.getByTestId("audit-line").last()).toContainText("first run");
  await expect(page.getByTestId("audit-count")).toHaveAttribute("data-total", "3");

  // A restart prints no link: the county has joined.
  await server.stop();
  await server.start();
  expect(server.firstRunLink()).toBeNull();
});
