// A phone shared by two workers: each joins with her own invite and her own PIN, and gets a
// space of her own. The lock screen lists them by name; each sees only her own records; what
// one saved waits for her (never sent with the other's token) however often the other uses
// the phone, and reaches the server under her own place.
import { test as base } from "@playwright/test";
import { expect, joinByLink, typePin, VisitApp, serverPerTest } from "./app.mjs";

// The pages of this spec meet the lock themselves: which worker unlocks is the point.
const test = base;

const LI_PIN = "284913";
const WANG_PIN = "135792";

const server = serverPerTest();

/** The names of the children's files a township holds on the server. */
function childrenOf(township) {
  return server.export(["--what", "children", "--township", township]).map((c) => c.name).sort();
}

test("two workers share a phone: each her own PIN and records, each's sent only as her", async ({ context, page }) => {
  const app = new VisitApp(page);
  // 李芳 of 石门镇 桃源村 joins first, and keeps a file her link cannot send yet.
  await joinByLink(page, server.invite({ township: "石门镇", village: "桃源村" }), { name: "李芳", pin: LI_PIN });
  const blocked = (route) => route.abort("connectionfailed");
  await context.route(/\/api\/v1\/children\//, blocked);
  await app.addChild({ name: "赵小雨", village: "桃源村" });
  await page.getByTestId("nav-due").click();
  await expect(app.pendingCount()).toHaveAttribute("data-count", "1", { timeout: 15_000 });

  // 王兰 of 城关镇 石桥村 opens her own link on the same phone: it is locked, by 李芳's name;
  // she sets a PIN of her own, told that her records are kept apart.
  await page.goto(server.invite({ township: "城关镇", village: "石桥村" }));
  await expect(page.getByTestId("lock-holder")).toHaveText(["李芳"]);
  await page.getByTestId("new-worker").click();
  await expect(page.getByTestId("set-pin")).toContainText("您的记录与她们的分开保存");
  await typePin(page, WANG_PIN);
  await expect(page.getByTestId("join-replaces")).toHaveCount(0);
  await page.getByTestId("join-name").fill("王兰");
  await page.getByTestId("join-phone").fill("13900139000");
  await page.getByTestId("join-submit").click();
  await expect(page.getByTestId("month-progress")).toBeVisible();

  // Her space holds nothing of 李芳's; what she records goes, as her, to her township.
  await page.getByTestId("nav-children").click();
  await expect(page.getByTestId("children-empty")).toBeVisible();
  await context.unroute(/\/api\/v1\/children\//, blocked);
  await app.addChild({ name: "孙小兵", village: "石桥村" });
  await expect.poll(() => childrenOf("城关镇"), { timeout: 30_000 }).toEqual(["孙小兵"]);
  await page.getByTestId("nav-due").click();
  await page.getByTestId("sync-now").click();
  await app.outboxIdle();
  expect(childrenOf("石门镇"), "nothing of 李芳's went with 王兰's token").toEqual([]);

  // The lock lists both; the one who used it last is chosen. Each PIN opens its own space only.
  await page.reload();
  await expect(page.getByTestId("lock-holder")).toHaveText(["李芳", "王兰"]);
  await expect(page.getByTestId("lock-holder").filter({ hasText: "王兰" })).toHaveAttribute("aria-pressed", "true");
  await page.getByTestId("lock-holder").filter({ hasText: "李芳" }).click();
  await typePin(page, WANG_PIN);
  await expect(page.getByTestId("pin-problem")).toHaveText("密码不对，请再试一次。");
  await typePin(page, LI_PIN);

  // 李芳 finds her file, still waiting, and it goes now, as hers, once.
  await expect(page.getByTestId("month-progress")).toBeVisible();
  await expect(app.dueEntry("赵小雨")).toBeVisible();
  await expect(app.dueEntry("孙小兵")).toHaveCount(0);
  await expect.poll(() => childrenOf("石门镇"), { timeout: 30_000 }).toEqual(["赵小雨"]);
  await expect(app.pendingCount()).toHaveAttribute("data-count", "0", { timeout: 15_000 });
  expect(childrenOf("城关镇")).toEqual(["孙小兵"]);
  expect(server.children()).toHaveLength(2);
  expect(server.devices().map((d) => d.name).sort()).toEqual(["李芳", "王兰"].sort());

  // She leaves the phone: only her space goes; 王兰's stays, with her PIN.
  await page.getByTestId("settings-link").click();
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByTestId("leave-phone-start").click();
  await expect(page.getByTestId("lock-holder")).toHaveText(["王兰"]);
  await typePin(page, WANG_PIN);
  await expect(page.getByTestId("month-progress")).toBeVisible();
  await page.getByTestId("nav-children").click();
  await expect(page.getByText("孙小兵")).toBeVisible();
});
