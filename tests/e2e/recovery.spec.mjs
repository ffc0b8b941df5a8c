// A forgotten PIN never loses unsent work: a director's phone deposits its data key with the
// server once she has joined; she saves a visit offline and then cannot remember her PIN. Her
// supervisor issues a recovery code for that phone in her own app and tells it to her; with
// it (and the network) the phone gets its key back, she sets a new PIN, and the visit she
// saved reaches the server, once. The code works once; the old PIN no longer does.
import { test as base } from "@playwright/test";
import { expect, joinByLink, PIN, typePin, unlocks, VisitApp, serverPerTest } from "./app.mjs";

// The director's page meets the lock itself; the supervisor's gets past it.
const test = base;

const NEW_PIN = "135792";

const server = serverPerTest();

test("forgot PIN: her supervisor issues a recovery, the phone gets its key back, and the unsent visit goes once", async ({ browser, context, page }) => {
  const app = new VisitApp(page);
  // The director joins, and her phone deposits its key with its first sync.
  await joinByLink(page, server.invite({ township: "石门镇", village: "桃源村", by: "王督导" }), { name: "李芳", pin: PIN });

  // Her supervisor, on her own phone, sees that this phone can be recovered.
  const supervisorContext = await browser.newContext({ locale: "zh-CN", viewport: { width: 360, height: 740 } });
  const supervisor = await supervisorContext.newPage();
  await unlocks(supervisor);
  const supervisorLink = server.invite({ role: "supervisor", township: "石门镇", village: "", by: "县民政局" });
  await joinByLink(supervisor, supervisorLink, { name: "王督导", phone: "13900139000", home: "township-page" });
  const liPhone = supervisor.getByTestId("township-phone").filter({ hasText: "李芳" });
  await expect(async () => {
    await supervisor.getByTestId("township-tab-children").click();
    await supervisor.getByTestId("township-tab-phones").click();
    await expect(liPhone.getByTestId("issue-recovery")).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });

  // Offline, she records a visit; then the phone locks, and her PIN is gone from her mind.
  await app.waitForOfflineReady();
  await context.setOffline(true);
  await app.addChild({ name: "赵小雨", village: "桃源村" });
  await app.startVisit();
  await app.fillOrdinaryVisit();
  await app.saveVisit();
  await page.reload();
  await typePin(page, "000000");
  await expect(page.getByTestId("pin-problem")).toHaveText("密码不对，请再试一次。");
  await page.getByTestId("forgot-pin").click();
  await expect(page.getByTestId("unlock")).toContainText("为这部手机发放恢复码");

  // The supervisor issues a code and reads it to her.
  await liPhone.getByTestId("issue-recovery").click();
  await expect(liPhone.getByTestId("recovery-issued")).toContainText("只能用一次");
  const code = (await liPhone.getByTestId("recovery-issued").textContent()).match(/(\d{4} \d{4})/)[1];
  expect(await supervisor.getByTestId("township-phones").textContent()).not.toContain("13800138000");

  // Offline, the phone says it needs the network; a mistyped code is caught on the phone.
  await page.getByTestId("recovery-code").fill("1234");
  await typePin(page, NEW_PIN);
  await expect(page.getByTestId("pin-problem")).toHaveText("恢复码是 8 位数字，请向督导核对后重新输入。");
  await page.getByTestId("recovery-code").fill(code);
  await typePin(page, NEW_PIN);
  await expect(page.getByTestId("pin-problem")).toContainText("恢复需要联网");

  // Online, the code gives her phone its key back: everything is there, and the visit goes.
  await context.setOffline(false);
  await page.getByTestId("recovery-code").fill(code);
  await typePin(page, NEW_PIN);
  await page.getByTestId("nav-due").click();
  await expect(app.dueEntry("赵小雨")).toBeVisible();
  await expect(app.pendingCount()).toHaveAttribute("data-count", "0", { timeout: 30_000 });
  expect(server.visits()).toHaveLength(1);
  expect(server.children().map((c) => c.name)).toEqual(["赵小雨"]);

  // Her new PIN opens the phone; the old one does not; the code does not work twice.
  await page.reload();
  await typePin(page, PIN);
  await expect(page.getByTestId("pin-problem")).toHaveText("密码不对，请再试一次。");
  await page.getByTestId("forgot-pin").click();
  await page.getByTestId("recovery-code").fill(code);
  await typePin(page, "246813");
  await expect(page.getByTestId("pin-problem")).toContainText("恢复码不对、已过期或已用过");
  await page.getByTestId("recovery-back").click();
  await typePin(page, NEW_PIN);
  await page.getByTestId("nav-due").click();
  await expect(app.dueEntry("赵小雨")).toBeVisible();
  expect(server.history()).toHaveLength(1);
  await supervisorContext.close();
});
