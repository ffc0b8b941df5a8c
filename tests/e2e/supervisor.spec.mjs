// Issue 6, "the supervisor sees and exports them": a township supervisor joins from the
// county's invite link and opens her township's screen; she makes an invite for 桃源村 in the
// app and shares its link; the village's director opens it on her own phone, joins, records
// two children and their visits, and they reach the server. The supervisor refreshes and sees
// them, filters by colour, exports the visits of that colour as an Excel workbook, opens a
// child's file and downloads it whole. Then the director's phone is revoked: its next sync
// asks her to join again, and what it could not send stays on it.
import { readFileSync } from "node:fs";
import { test, expect, unlocks, VisitApp, serverPerTest } from "./app.mjs";
import { zipEntries } from "./zip.mjs";

const server = serverPerTest();

/** Fills the join form of the page open at an invite link and joins. */
async function join(page, { name, phone }) {
  await page.getByTestId("join-name").fill(name);
  await page.getByTestId("join-phone").fill(phone);
  await page.getByTestId("join-submit").click();
}

/** Clicks `button` and returns the file it made the browser save: { name, bytes }. */
async function download(page, button) {
  const [saved] = await Promise.all([page.waitForEvent("download"), button.click()]);
  const path = await saved.path();
  return { name: saved.suggestedFilename(), bytes: readFileSync(path) };
}

test("a supervisor invites a director, sees her children and visits, filters, exports; the director's phone is revoked", async ({ browser, context, page }) => {
  test.setTimeout(240_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);

  // The county invites the supervisor of 石门镇; she opens the link on her phone and joins.
  const supervisorLink = server.invite({ role: "supervisor", township: "石门镇", village: "", by: "县民政局" });
  await page.goto(supervisorLink);
  await expect(page.getByTestId("invite-role")).toHaveText("身份：儿童督导员");
  await join(page, { name: "王督导", phone: "13900139000" });
  const township = page.getByTestId("township-page");
  await expect(township).toBeVisible();
  await expect(page.getByTestId("township-name")).toHaveText("石门镇");
  await expect(page.getByTestId("township-who")).toHaveText("儿童督导员 · 王督导");
  // She records nothing herself: no due list, no "new child" or "new visit", no sync bar.
  await expect(page.getByTestId("month-progress")).toHaveCount(0);
  await expect(page.getByTestId("add-child")).toHaveCount(0);
  await expect(page.getByTestId("nav-children")).toHaveCount(0);
  await expect(page.getByTestId("nav-visits")).toHaveCount(0);
  await expect(page.getByTestId("sync-bar")).toHaveCount(0);
  // Her screen opens on today: nothing yet in her township.
  await expect(page.getByTestId("township-today")).toBeVisible();
  await expect(page.getByTestId("today-none")).toBeVisible();
  await page.getByTestId("township-tab-children").click();
  await expect(page.getByTestId("children-total")).toHaveText("共 0 条，已显示 0 条");

  // She invites the director of 桃源村: the app makes the link from its own address.
  await page.getByTestId("township-tab-invite").click();
  await page.getByTestId("make-invite-submit").click();
  await expect(page.getByTestId("error-invite_village")).toHaveText("此项必填");
  await page.getByTestId("make-invite-village").fill("桃源村");
  await page.getByTestId("make-invite-days").fill("120");
  await page.getByTestId("make-invite-submit").click();
  await expect(page.getByTestId("error-invite_days")).toHaveText("数值超出范围");
  await page.getByTestId("make-invite-days").fill("7");
  await page.getByTestId("make-invite-submit").click();
  const linkField = page.getByTestId("invite-link");
  await expect(linkField).toHaveValue(new RegExp(`^${server.url}/join\\?code=[^&]+$`));
  const link = await linkField.inputValue();
  await expect(page.getByTestId("invite-expires")).toContainText("有效期至");
  await page.getByTestId("invite-copy").click();
  await expect(page.getByTestId("invite-copied")).toHaveAttribute("data-copied", "true");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

  // The director opens the link on her own phone, joins, and records two children.
  const directorContext = await browser.newContext({ locale: "zh-CN", viewport: { width: 360, height: 740 } });
  const director = await directorContext.newPage();
  await unlocks(director);
  const app = new VisitApp(director);
  await director.goto(link);
  await expect(director.getByTestId("invite-by")).toHaveText("王督导 邀请您加入");
  await expect(director.getByTestId("invite-place")).toHaveText("石门镇 桃源村");
  await expect(director.getByTestId("invite-role")).toHaveText("身份：儿童主任");
  await join(director, { name: "李芳", phone: "13800138000" });
  await expect(director.getByTestId("month-progress")).toBeVisible();
  await app.addChild({ name: "陈小兵", sex: "male", birth: "2015-03-14", village: "桃源村" });
  await app.startVisit();
  await app.fillOrdinaryVisit();
  await app.saveVisit();
  await app.expectHistoryState("sent", 30_000);
  await director.getByTestId("nav-due").click();
  await app.addChild({ name: "王小红", sex: "female", birth: "2017-06-01", village: "桃源村" });
  await app.startVisit();
  await app.fillOrdinaryVisit({ colour: "red" });
  await app.saveVisit();
  await app.expectHistoryState("sent", 30_000);
  expect(server.children().map((c) => c.name).sort()).toEqual(["王小红", "陈小兵"]);
  expect(server.visits()).toHaveLength(2);

  // Today: 桃源村 visited 2 of 2 this month, 王小红 red (her line opens the file), none overdue.
  await page.getByTestId("township-tab-today").click();
  await page.getByTestId("township-refresh").click();
  const village = page.getByTestId("today-village");
  await expect(village).toHaveCount(1);
  await expect(village).toHaveAttribute("data-village", "桃源村");
  await expect(village).toHaveAttribute("data-visited", "2");
  await expect(village).toHaveAttribute("data-total", "2");
  await expect(village.locator(".bar span")).toHaveAttribute("style", /width: 100%/);
  await expect(page.getByTestId("today-red").getByTestId("today-child")).toHaveText(/王小红/);
  await expect(page.getByTestId("today-overdue").getByTestId("today-child")).toHaveCount(0);
  await page.getByTestId("today-red").getByTestId("today-child").click();
  await expect(page.getByTestId("child-title")).toHaveText("王小红");
  await page.getByTestId("township-back").click();
  await expect(page.getByTestId("township-today")).toBeVisible();

  // The supervisor refreshes: both children, with their colours, and both visits.
  await page.getByTestId("township-tab-children").click();
  await page.getByTestId("township-refresh").click();
  const children = page.getByTestId("township-child");
  await expect(children).toHaveCount(2);
  await expect(page.getByTestId("children-total")).toHaveText("共 2 条，已显示 2 条");
  await expect(children.filter({ hasText: "王小红" }).locator("[data-risk]")).toHaveAttribute("data-risk", "red");
  await expect(children.filter({ hasText: "陈小兵" }).locator("[data-risk]")).toHaveAttribute("data-risk", "yellow");
  await expect(children.filter({ hasText: "陈小兵" })).toContainText("桃源村");
  await page.getByTestId("township-tab-visits").click();
  const visits = page.getByTestId("township-visit");
  await expect(visits).toHaveCount(2);
  await expect(visits.filter({ hasText: "王小红" })).toContainText("入户走访");
  await expect(visits.filter({ hasText: "陈小兵" })).toContainText("桃源村");

  // Red only: one visit; the children's list follows the same filter.
  await page.getByTestId("filter-colour-red").click();
  await expect(page.getByTestId("filter-colour-red")).toHaveAttribute("aria-pressed", "true");
  await expect(visits).toHaveCount(1);
  await expect(visits.first()).toContainText("王小红");
  await page.getByTestId("township-tab-children").click();
  await expect(children).toHaveCount(1);
  await expect(children.first()).toContainText("王小红");
  // A village with no records, then the whole township again.
  await page.getByTestId("filter-village").fill("杏花村");
  await page.getByTestId("filter-village").press("Enter");
  await expect(page.getByTestId("children-total")).toHaveText("共 0 条，已显示 0 条");
  await page.getByTestId("filter-village").fill("");
  await page.getByTestId("filter-village").press("Enter");
  await expect(children).toHaveCount(1);
  // This month (the visits were made today), then a month long past.
  const now = new Date();
  const thisMonth = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}`;
  await page.getByTestId("filter-period").click();
  await page.getByTestId("filter-month").fill(thisMonth);
  await expect(page.getByTestId("filter-period")).toHaveText(`月份或日期：${thisMonth}`);
  await expect(children).toHaveCount(1);
  await page.getByTestId("filter-month").fill("2020-01");
  await expect(page.getByTestId("children-total")).toHaveText("共 0 条，已显示 0 条");
  await page.getByTestId("filter-month").fill("");
  await expect(page.getByTestId("filter-period")).toHaveText("月份或日期：全部");
  await expect(children).toHaveCount(1);

  // The red visits as an Excel workbook, named for the filter; 王小红's row and not 陈小兵's.
  const workbook = await download(page, page.getByTestId("export-visits"));
  expect(workbook.name).toMatch(/^走访记录_红色_导出\d{4}-\d{2}-\d{2}\.xlsx$/);
  expect(workbook.bytes.length).toBeGreaterThan(0);
  expect(workbook.bytes.subarray(0, 2).toString("latin1")).toBe("PK");
  const sheets = zipEntries(workbook.bytes);
  const cells = sheets.filter((e) => e.name.startsWith("xl/") && e.name.endsWith(".xml")).map((e) => e.text()).join("\n");
  expect(cells).toContain("王小红");
  expect(cells).toContain("走访日期");
  expect(cells).not.toContain("陈小兵");
  await expect(page.getByTestId("export-visits-status")).toHaveAttribute("data-state", "saved");
  await expect(page.getByTestId("export-visits-status")).toContainText(workbook.name);

  // 王小红's file, read-only, and downloaded whole.
  await children.first().click();
  await expect(page.getByTestId("township-child-page")).toBeVisible();
  await expect(page.getByTestId("child-title")).toHaveText("王小红");
  await expect(page.getByTestId("child-colour").locator("[data-risk]")).toHaveAttribute("data-risk", "red");
  await expect(page.getByTestId("file-place")).toHaveText("石门镇 桃源村");
  await expect(page.getByTestId("file-visit")).toHaveCount(1);
  await expect(page.getByTestId("start-visit")).toHaveCount(0);
  await expect(page.getByTestId("edit-child")).toHaveCount(0);

  // She pairs a love mother of 桃源村 with 王小红 (结对) from the file; the love mother's phone
  // then receives the child, as if the director had paired them.
  const mother = await server.enroll({ role: "love_mother", name: "赵妈妈", township: "石门镇", village: "桃源村" });
  await expect(page.getByTestId("pairings-empty")).toBeVisible();
  await page.getByTestId("pair-worker").click();
  await page.getByTestId("pairing-choice").filter({ hasText: "赵妈妈（爱心妈妈）" }).click();
  await expect(page.getByTestId("pairing")).toContainText("赵妈妈（爱心妈妈）");
  const feed = async () => {
    const answer = await fetch(`${server.url}/api/v1/changes`, { headers: { authorization: `Bearer ${mother.token}` } });
    return answer.json();
  };
  const paired = await feed();
  expect(paired.children.map((c) => c.name)).toEqual(["王小红"]);
  expect(paired.paired_workers.map((w) => w.name)).toEqual(["赵妈妈"]);
  // Opened again, her file shows the pairing as the server keeps it.
  await page.getByTestId("township-back").click();
  await children.first().click();
  await expect(page.getByTestId("pairing")).toContainText("赵妈妈（爱心妈妈）");
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByTestId("end-pairing").click();
  await expect(page.getByTestId("pairings-empty")).toBeVisible();
  expect((await feed()).pairings.map((p) => p.active)).toEqual([false]);
  const archive = await download(page, page.getByTestId("export-archive"));
  // Named for the township, what it is and the day, never the child's name.
  expect(archive.name).toMatch(/^石门镇_儿童档案_[0-9a-f]{8}_导出\d{4}-\d{2}-\d{2}\.zip$/);
  expect(archive.bytes.subarray(0, 2).toString("latin1")).toBe("PK");
  const files = zipEntries(archive.bytes).map((e) => e.name);
  const folder = files.find((name) => name.endsWith("/child.json")).replace(/\/child\.json$/, "");
  expect(folder).toMatch(/^王小红_[0-9a-f]{8}$/);
  expect(files).toEqual(expect.arrayContaining([`${folder}/child.json`, `${folder}/visits.json`, `${folder}/档案.xlsx`]));
  const child = JSON.parse(zipEntries(archive.bytes).find((e) => e.name === `${folder}/child.json`).text());
  expect(child.name).toBe("王小红");
  // Back to the list: the filter and the list are as she left them.
  await page.getByTestId("township-back").click();
  await expect(page.getByTestId("filter-colour-red")).toHaveAttribute("aria-pressed", "true");
  await expect(children).toHaveCount(1);

  // In English too.
  await page.getByTestId("lang-switch").click();
  await expect(page.getByTestId("township-who")).toHaveText("township supervisor · 王督导");
  await expect(page.getByTestId("children-total")).toHaveText("1 of 1 shown");
  await page.getByTestId("lang-switch").click();

  // Offline, the township's records cannot be read: she is told so.
  await context.setOffline(true);
  await page.getByTestId("township-refresh").click();
  await expect(page.getByTestId("township-problem")).toHaveAttribute("data-problem", "offline");
  await expect(page.getByTestId("township-problem")).toContainText("需要网络");
  await context.setOffline(false);
  await page.getByTestId("township-refresh").click();
  await expect(children).toHaveCount(1);
  await expect(page.getByTestId("township-problem")).toHaveCount(0);

  // The director's phone is revoked: her next visit cannot be sent, she is asked to join
  // again, and the visit stays on the phone, also after a reload.
  const [directorDevice] = server.devices().filter((d) => d.role === "director");
  expect(directorDevice).toMatchObject({ name: "李芳", township: "石门镇", village: "桃源村", revoked_at: "-" });
  server.revoke(directorDevice.id);
  await app.startVisit();
  await app.fill("actions_taken", "撤销后的走访");
  await app.fillOrdinaryVisit({ colour: "red" });
  await app.saveVisit();
  await expect(director.getByTestId("sync-notice")).toContainText("本设备需要重新加入", { timeout: 30_000 });
  await expect(director.getByTestId("rejoin")).toBeVisible();
  await expect(app.pendingCount()).toHaveAttribute("data-count", "1");
  await director.reload();
  await app.expectHistoryState("queued", 15_000);
  expect(server.visits()).toHaveLength(2);
  expect(server.visits().some((v) => v.answers.actions_taken === "撤销后的走访")).toBe(false);
  // The supervisor's phone is not touched by it.
  await page.getByTestId("township-refresh").click();
  await expect(children).toHaveCount(1);
  await directorContext.close();
});

test("a revoked supervisor is asked to join again", async ({ page }) => {
  const supervisorLink = server.invite({ role: "supervisor", township: "石门镇", village: "", by: "县民政局" });
  await page.goto(supervisorLink);
  await join(page, { name: "王督导", phone: "13900139000" });
  await expect(page.getByTestId("township-page")).toBeVisible();
  await expect(page.getByTestId("today-none")).toBeVisible();

  const [device] = server.devices();
  server.revoke(device.id);
  await page.getByTestId("township-refresh").click();
  await expect(page.getByTestId("township-problem")).toHaveAttribute("data-problem", "must_rejoin");
  await expect(page.getByTestId("township-problem")).toContainText("本设备需要重新加入");
  await page.getByTestId("township-rejoin").click();
  await expect(page.getByTestId("join-page")).toBeVisible();
});

test("a supervisor's phone revoked as lost wipes what it keeps at its next call", async ({ page }) => {
  const supervisorLink = server.invite({ role: "supervisor", township: "石门镇", village: "", by: "县民政局" });
  await page.goto(supervisorLink);
  await join(page, { name: "王督导", phone: "13900139000" });
  await expect(page.getByTestId("township-page")).toBeVisible();
  const vaultBefore = await page.evaluate(() => localStorage.getItem("tongxing.vault"));

  const [device] = server.devices();
  server.revoke(device.id, "lost");
  // Her next call learns it: the refresh, unless one of the page's own calls (still loading
  // her township) got there first and the app is already wiping what it keeps.
  const refresh = page.getByTestId("township-refresh");
  await refresh.click({ timeout: 5_000 }).catch(() => {});
  // Nothing of her is left: the app starts as on a new phone (the test's handler sets a new
  // PIN), which has joined as nobody and opens the field app.
  await expect(page.getByTestId("join-banner")).toBeVisible({ timeout: 30_000 });
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("tongxing.device")))).toEqual([]);
  expect(await page.evaluate(() => localStorage.getItem("tongxing.vault"))).not.toBe(vaultBefore);
});
