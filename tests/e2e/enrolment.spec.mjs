// Joining a phone by link: a director opens the invite link her township supervisor shared
// in the group, sees who invites her for which village and role, joins with her name and
// phone number, and records a visit that reaches the server. Her phone is then revoked (it
// was lost, or handed on): the next sync says she must join again and keeps the visit it
// could not send; she opens a new link, joins again, and the visit arrives exactly once.
import { test, expect, VisitApp, serverPerTest } from "./app.mjs";

const server = serverPerTest();

/** Fills the join form and joins; ends on the home screen. */
async function join(page, { name, phone }) {
  if (name !== undefined) await page.getByTestId("join-name").fill(name);
  await page.getByTestId("join-phone").fill(phone);
  await page.getByTestId("join-submit").click();
  await expect(page.getByTestId("month-progress")).toBeVisible();
}

test("join by link, send a visit, be revoked, join again: nothing is lost and the visit arrives once", async ({ context, page }) => {
  const visitPuts = [];
  context.on("request", (r) => {
    if (r.method() === "PUT" && r.url().includes("/api/v1/visits/")) visitPuts.push({ path: new URL(r.url()).pathname, at: Date.now() });
  });
  // The phone's clock is Playwright's, so that minutes of the sync driver's ticks can pass.
  await page.clock.install();
  const app = new VisitApp(page);

  // Before joining, the home screen says how to join.
  await app.open(server.url);
  await expect(page.getByTestId("join-banner")).toContainText("本设备尚未加入");
  await expect(page.getByTestId("join-banner")).toContainText("请打开督导员发来的邀请链接");

  const link = server.invite({ role: "director", township: "石门镇", village: "桃源村", by: "王督导" });
  expect(link.startsWith(`${server.url}/join?code=`)).toBe(true);
  await page.goto(link);
  await expect(page.getByTestId("invite-by")).toHaveText("王督导 邀请您加入");
  await expect(page.getByTestId("invite-place")).toHaveText("石门镇 桃源村");
  await expect(page.getByTestId("invite-role")).toHaveText("身份：儿童主任");
  await page.getByTestId("lang-switch").click();
  await expect(page.getByTestId("invite-role")).toHaveText("Role: child director");
  await page.getByTestId("join-submit").click();
  await expect(page.getByTestId("error-name")).toHaveText("This is required");
  await page.getByTestId("lang-switch").click();
  await expect(page.getByTestId("error-name")).toHaveText("此项必填");
  await page.getByTestId("join-phone").fill("12345");
  await expect(page.getByTestId("error-phone")).toHaveText("电话号码不正确");
  await join(page, { name: "李芳", phone: "13800138000" });
  await expect(page.getByTestId("join-banner")).toHaveCount(0);

  const [device] = server.devices();
  expect(device).toMatchObject({ name: "李芳", phone: "13800138000", role: "director", township: "石门镇", village: "桃源村", revoked_at: "-" });
  await page.getByTestId("settings-link").click();
  await expect(page.getByTestId("enrolled-name")).toHaveText("李芳");
  await expect(page.getByTestId("enrolled-role")).toHaveText("儿童主任");
  await expect(page.getByTestId("enrolled-place")).toHaveText("桃源村 石门镇");
  const token = await app.currentToken();
  expect(token.length).toBeGreaterThan(10);
  expect(await page.content()).not.toContain(token);
  const kept = await page.evaluate(() => JSON.stringify(localStorage));
  expect(kept, "the phone keeps its token and her name sealed").not.toContain(token);
  expect(kept).not.toContain("13800138000");

  // A new child's file is of her village; a visit reaches the server.
  await page.getByTestId("nav-due").click();
  await page.getByTestId("add-child").first().click();
  await expect(page.getByTestId("child-village")).toHaveValue("桃源村");
  await app.fillChild({ name: "陈小兵", sex: "male", birth: "2015-03-14", village: "桃源村", category: "left_behind" });
  await page.getByTestId("save-child").click();
  await app.startVisit();
  await app.fillOrdinaryVisit();
  await app.saveVisit();
  await app.expectHistoryState("sent", 30_000);
  expect(server.visits()).toHaveLength(1);
  expect(server.children().map((c) => c.village)).toEqual(["桃源村"]);

  // The phone is revoked. The next visit cannot be sent: the sync bar asks her to join
  // again, and the visit stays on the phone, through a reload.
  server.revoke(device.id);
  expect(server.devices()[0].revoked_at).not.toBe("-");
  await app.startVisit();
  await app.fill("actions_taken", "第二次走访");
  await app.fillOrdinaryVisit();
  await app.saveVisit();
  await expect(page.getByTestId("sync-notice")).toContainText("本设备需要重新加入", { timeout: 30_000 });
  await expect(page.getByTestId("sync-notice")).toContainText("未上传的记录仍保存在手机上");
  await expect(page.getByTestId("rejoin")).toBeVisible();
  await expect(app.pendingCount()).toHaveAttribute("data-count", "1");
  const refusedAt = visitPuts.length;
  // A refused phone does not keep knocking: no run by itself until it has a new token, through
  // two minutes of 20-second ticks and any back-off wake-up; a run that started would hold
  // the outbox lock until its sends were answered.
  await page.clock.runFor(2 * 60_000);
  await app.outboxIdle();
  expect(visitPuts.length).toBe(refusedAt);
  await page.reload();
  await app.expectHistoryState("queued", 15_000);
  await app.expectHistoryState("sent", 1_000, 1);
  expect(server.visits()).toHaveLength(1);

  // "Join again" explains what to do; she opens the new link from the group.
  await page.getByTestId("rejoin").click();
  await expect(page.getByTestId("join-link-input")).toBeVisible();
  await expect(page.getByTestId("join-replaces")).toContainText("李芳（儿童主任）");
  await page.goto(server.invite({ role: "director", township: "石门镇", village: "桃源村", by: "王督导" }));
  await expect(page.getByTestId("invite-place")).toHaveText("石门镇 桃源村");
  await expect(page.getByTestId("join-name")).toHaveValue("李芳");
  await join(page, { phone: "13800138000" });
  await expect(app.pendingCount()).toHaveAttribute("data-count", "0", { timeout: 30_000 });
  await expect(page.getByTestId("sync-notice")).toHaveCount(0);
  await expect(page.getByTestId("rejoin")).toHaveCount(0);

  const visits = server.visits();
  expect(visits).toHaveLength(2);
  expect(visits.filter((v) => v.answers.actions_taken === "第二次走访")).toHaveLength(1);
  expect(server.history(), "each visit stored once, in one revision").toHaveLength(2);
  const devices = server.devices();
  expect(devices).toHaveLength(2);
  expect(devices.filter((d) => d.revoked_at === "-")).toHaveLength(1);
  expect(await app.currentToken()).not.toBe(token);
});

test("a link that cannot be used says why, in Chinese and in English", async ({ context, page }) => {
  const app = new VisitApp(page);
  await app.open(server.url);
  await app.waitForOfflineReady();

  // Someone else already joined with a link for one phone.
  const usedUp = server.invite({ uses: 1 });
  const res = await fetch(`${server.url}/api/v1/enroll`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code: new URL(usedUp).searchParams.get("code"), name: "张敏", phone: "13900139000" }),
  });
  expect(res.status).toBe(201);
  await page.goto(usedUp);
  await expect(page.getByTestId("join-problem")).toHaveAttribute("data-problem", "used_up");
  await expect(page.getByTestId("join-problem")).toContainText("这个邀请已被用完");
  await page.getByTestId("lang-switch").click();
  await expect(page.getByTestId("join-problem")).toContainText("Ask your township supervisor for a new invite link");
  await page.getByTestId("lang-switch").click();
  await expect(page.getByTestId("join-submit")).toHaveCount(0);

  await page.goto(`${server.url}/join?code=no-such-code`);
  await expect(page.getByTestId("join-problem")).toHaveAttribute("data-problem", "not_found");
  await expect(page.getByTestId("join-problem")).toContainText("找不到这个邀请");

  await page.goto(`${server.url}/join?code=abc&server=ftp://elsewhere`);
  await expect(page.getByTestId("join-problem")).toHaveAttribute("data-problem", "bad_server");

  const expiring = server.invite({ expires: "1s" });
  // The server's own clock: it says so once the second has passed.
  const expiringCode = new URL(expiring).searchParams.get("code");
  await expect.poll(async () => (await fetch(`${server.url}/api/v1/invites/${expiringCode}`)).status, { intervals: [100] }).toBe(410);
  await page.goto(expiring);
  await expect(page.getByTestId("join-problem")).toHaveAttribute("data-problem", "expired");
  await expect(page.getByTestId("join-problem")).toContainText("这个邀请已过期");

  // With no network the app still opens (from the service worker) and says the link needs
  // the network once; online again, "try again" shows the invite.
  const fresh = server.invite({ village: "桃源村" });
  await context.setOffline(true);
  await page.goto(fresh);
  await expect(page.getByTestId("join-problem")).toHaveAttribute("data-problem", "offline");
  await expect(page.getByTestId("join-problem")).toContainText("加入需要联网一次");
  await context.setOffline(false);
  await page.getByTestId("join-retry").click();
  await expect(page.getByTestId("invite-place")).toHaveText("石门镇 桃源村");
  expect(server.devices()).toHaveLength(1);
});
