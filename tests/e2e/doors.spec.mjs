// "Close the doors": a link posted in a group chat cannot point a phone at a stranger's
// server, the invite code leaves the address bar once read, and a shared phone joined by a
// second worker never files the first worker's unsent records under the second's place.
import { test, expect, unlocks, VisitApp, joinByLink, serverPerTest } from "./app.mjs";

const server = serverPerTest();

test("a link naming a stranger's server is refused, and not one request reaches it", async ({ context, page }) => {
  const reached = [];
  await context.route(/evil\.example/, (route) => {
    reached.push(route.request().url());
    return route.fulfill({ status: 200, contentType: "application/json", body: "{}" });
  });
  const app = new VisitApp(page);
  await joinByLink(page, server.invite({ village: "桃源村" }), { name: "李芳" });
  await app.addChild({ name: "赵小雨", village: "桃源村" });

  for (const evil of ["https%3A%2F%2Fevil.example", "https://evil.example", "https%3A%2F%2Fevil.example%3A443%2F"]) {
    await page.goto(`${server.url}/join?code=abc&server=${evil}`);
    const problem = page.getByTestId("join-problem");
    await expect(problem).toHaveAttribute("data-problem", "untrusted_server");
    await expect(problem).toContainText("evil.example");
    await expect(problem).toContainText("请不要加入");
    await expect(page.getByTestId("join-submit")).toHaveCount(0);
  }
  // A pasted link, the same.
  await page.getByTestId("join-link-input").fill("https://tx.example.cn/join?code=k&server=https://evil.example");
  await page.getByTestId("join-link-open").click();
  await expect(page.getByTestId("error-invite_link")).toContainText("evil.example");

  // The phone is still joined to its own server, and its records went there.
  await app.open(server.url);
  await expect(page.getByTestId("join-banner")).toHaveCount(0);
  await expect.poll(() => server.children().map((c) => c.name), { timeout: 30_000 }).toEqual(["赵小雨"]);
  expect(reached).toEqual([]);
});

test("the invite code leaves the address bar once the join screen has read it, under the app's Content-Security-Policy", async ({ page }) => {
  const violations = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  const link = server.invite({ village: "桃源村" });
  const response = await page.goto(link);
  const policy = response.headers()["content-security-policy"];
  expect(policy).toContain("default-src 'self'");
  expect(policy).toMatch(/script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
  expect(policy).toContain("frame-ancestors 'none'");
  await expect(page.getByTestId("invite-place")).toHaveText("石门镇 桃源村");
  expect(new URL(page.url()).pathname).toBe("/join");
  expect(new URL(page.url()).search).toBe("");
  expect(await page.evaluate(() => location.href)).not.toContain("code=");
  // Joining still works with the code the screen read.
  await page.getByTestId("join-name").fill("李芳");
  await page.getByTestId("join-phone").fill("13800138000");
  await page.getByTestId("join-submit").click();
  await expect(page.getByTestId("month-progress")).toBeVisible();
  expect(server.devices()).toHaveLength(1);
  expect(violations).toEqual([]);
});

test("a shared phone joined by a second worker keeps the first worker's unsent records for her", async ({ context, page }) => {
  const app = new VisitApp(page);
  await joinByLink(page, server.invite({ village: "桃源村" }), { name: "李芳" });
  // 李芳's records cannot reach the server for now (a dead link for records only).
  const blocked = (route) => route.abort("connectionfailed");
  await context.route(/\/api\/v1\/(children|visits)\//, blocked);
  await app.addChild({ name: "赵小雨", village: "桃源村" });
  await app.startVisit();
  await app.fillOrdinaryVisit();
  await app.saveVisit();
  await app.open(server.url);
  await expect(app.pendingCount()).toHaveAttribute("data-count", "2", { timeout: 15_000 });

  // 王兰 of another village joins this phone: she is asked first, and told whose records wait.
  await page.goto(server.invite({ village: "石桥村" }));
  await page.getByTestId("join-name").fill("王兰");
  await page.getByTestId("join-phone").fill("13900139000");
  await page.getByTestId("join-submit").click();
  await expect(page.getByTestId("join-unsent-warning")).toContainText("李芳（桃源村） 的 2 条记录没有上传");
  await expect(page.getByTestId("join-submit")).toHaveText("仍然加入");
  await page.getByTestId("join-submit").click();
  await expect(page.getByTestId("month-progress")).toBeVisible();
  await context.unroute(/\/api\/v1\/(children|visits)\//, blocked);

  // Her own visit goes; nothing of 李芳's goes with her token.
  await expect(app.pendingCount()).toHaveAttribute("data-count", "0", { timeout: 15_000 });
  await app.addChild({ name: "孙小兵", village: "石桥村" });
  await expect.poll(() => server.children().map((c) => c.name), { timeout: 30_000 }).toEqual(["孙小兵"]);
  // "Sync now" tries every entry at once, backoff or not: still nothing of 李芳's. (The button
  // is enabled only while no run is under way, so the run it starts is the one waited for.)
  await page.getByTestId("sync-now").click();
  await app.outboxIdle();
  expect(server.children().map((c) => c.name)).toEqual(["孙小兵"]);
  expect(server.visits()).toHaveLength(0);

  // 李芳 joins again: her two records arrive, once, from her village's phone.
  await joinByLink(page, server.invite({ village: "桃源村" }), { name: "李芳", confirm: false });
  await expect.poll(() => server.children().map((c) => c.name).sort(), { timeout: 30_000 }).toEqual(["孙小兵", "赵小雨"].sort());
  await expect.poll(() => server.visits().length, { timeout: 30_000 }).toBe(1);
  expect(server.history()).toHaveLength(1);
});

test("a supervisor lists her township's phones and invites and revokes them in the app", async ({ browser, page }) => {
  // The supervisor of 石门镇 joins from the county's link; a director of 桃源村 joins too,
  // and a second invite for 桃源村 waits unused.
  const supervisorLink = server.invite({ role: "supervisor", township: "石门镇", village: "", by: "县民政局" });
  await joinByLink(page, supervisorLink, { name: "王督导", phone: "13900139000", home: "township-page" });
  const directorContext = await browser.newContext({ locale: "zh-CN", viewport: { width: 360, height: 740 } });
  const director = await directorContext.newPage();
  await unlocks(director);
  await joinByLink(director, server.invite({ village: "桃源村", by: "王督导" }), { name: "李芳" });
  const unused = server.invite({ village: "桃源村", by: "王督导" });
  server.invite({ township: "白沙镇", village: "河口村", by: "别的督导" });

  await page.getByTestId("township-tab-phones").click();
  const phones = page.getByTestId("township-phone");
  await expect(phones).toHaveCount(2);
  await expect(phones.filter({ hasText: "王督导" })).toContainText("本机");
  await expect(phones.filter({ hasText: "王督导" }).getByTestId("revoke-phone")).toHaveCount(0);
  const liPhone = phones.filter({ hasText: "李芳" });
  await expect(liPhone).toContainText("儿童主任 · 桃源村");
  const invites = page.getByTestId("township-invite");
  await expect(invites.filter({ hasText: "白沙镇" })).toHaveCount(0);
  await expect(invites.filter({ hasText: "河口村" })).toHaveCount(0);
  expect(await page.getByTestId("township-phones").textContent()).not.toContain("13800138000");

  // Two taps revoke the director's phone: her next sync asks her to join again.
  await liPhone.getByTestId("revoke-phone").click();
  await expect(liPhone.getByTestId("revoke-phone-left")).toHaveText("确认撤销：已离职或交还手机");
  await liPhone.getByTestId("revoke-phone-left").click();
  await expect(liPhone).toHaveAttribute("data-revoked", "true");
  await expect(liPhone).toContainText("已撤销");
  expect(server.devices().find((d) => d.name === "李芳").revoked_at).not.toBe("-");
  // Her next record cannot be sent: she is asked to join again, and it stays on her phone.
  await new VisitApp(director).addChild({ name: "赵小雨", village: "桃源村" });
  await expect(director.getByTestId("rejoin")).toBeVisible({ timeout: 30_000 });
  expect(server.children()).toHaveLength(0);

  // An invite revoked in the app no longer enrols anyone.
  const active = invites.filter({ has: page.getByTestId("revoke-invite") });
  const before = await active.count();
  expect(before).toBeGreaterThan(0);
  for (let i = 0; i < before; i++) {
    const first = invites.filter({ has: page.getByTestId("revoke-invite") }).first();
    await first.getByTestId("revoke-invite").click();
    await first.getByTestId("revoke-invite").click();
    await expect(invites.filter({ has: page.getByTestId("revoke-invite") })).toHaveCount(before - i - 1);
  }
  await director.goto(unused);
  await expect(director.getByTestId("join-problem")).toHaveAttribute("data-problem", "revoked");
  await expect(director.getByTestId("join-problem")).toContainText("这个邀请已被撤销");
  await directorContext.close();
});

test("a worker's phone not seen for two weeks is marked in her supervisor's list of phones", async ({ page }) => {
  await joinByLink(page, server.invite({ role: "supervisor", township: "石门镇", village: "", by: "县民政局" }), {
    name: "王督导",
    phone: "13900139000",
    home: "township-page",
  });
  await server.enroll({ role: "director", township: "石门镇", village: "桃源村", name: "李芳" });
  // The supervisor's phone fifteen days on; the director's has not called since joining.
  await page.clock.install();
  await page.clock.fastForward(15 * 24 * 3600 * 1000);
  await page.getByTestId("township-tab-phones").click();
  const phones = page.getByTestId("township-phone");
  await expect(phones).toHaveCount(2);
  await expect(phones.filter({ hasText: "李芳" }).getByTestId("phone-silent")).toHaveText(/^已 15 天未联网：请联系她/);
  await expect(phones.filter({ hasText: "王督导" }).getByTestId("phone-silent")).toHaveCount(0);
});
