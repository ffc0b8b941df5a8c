// Leaving a phone (handing it on, or leaving the job): refused while a record on it has not
// reached the server; once all have, and she confirms, nothing of Tongxing is left on it
// (no record, no token, no PIN) and the app starts as on a new phone, while the server keeps
// what she sent. A phone revoked as lost or stolen wipes itself the same way when it learns,
// and sends nothing.
import { test, expect, VisitApp, joinByLink, serverPerTest } from "./app.mjs";

const server = serverPerTest();

test("a phone is left only once everything is sent, and then nothing of it remains", async ({ context, page }) => {
  const app = new VisitApp(page);
  await joinByLink(page, server.invite({ role: "director", township: "石门镇", village: "桃源村", by: "王督导" }), { name: "李芳" });

  await context.setOffline(true);
  await app.addChild({ name: "周小雨" });
  await page.getByTestId("settings-link").click();
  await page.getByTestId("leave-phone-start").click();
  await expect(page.getByTestId("leave-phone-problem")).toContainText("还有 1 条记录没有上传");

  await context.setOffline(false);
  await page.getByTestId("sync-now").click();
  await expect(app.pendingCount()).toHaveAttribute("data-count", "0", { timeout: 30_000 });
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByTestId("leave-phone-start").click();

  // A new phone: a PIN to set (the test's handler sets it), not joined, no children.
  await expect(page.getByTestId("join-banner")).toBeVisible();
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("tongxing.") && !["tongxing.vault", "tongxing.space"].includes(k)))).toEqual([]);
  await page.getByTestId("nav-children").click();
  await expect(page.getByTestId("children-empty")).toBeVisible();
  expect(server.children().map((c) => c.name)).toEqual(["周小雨"]);
});

test("a phone revoked as lost or stolen wipes what it keeps at its next sync, and sends nothing", async ({ context, page }) => {
  const app = new VisitApp(page);
  await joinByLink(page, server.invite({ role: "director", township: "石门镇", village: "桃源村", by: "王督导" }), { name: "李芳" });
  await context.setOffline(true);
  await app.addChild({ name: "赵小雨", village: "桃源村" });
  const [phone] = server.devices();
  server.revoke(phone.id, "lost");

  // Back online, its first call is refused as lost: it wipes itself and starts as a new phone.
  await context.setOffline(false);
  await page.getByTestId("sync-now").click();
  await expect(page.getByTestId("join-banner")).toBeVisible({ timeout: 30_000 });
  await page.getByTestId("nav-children").click();
  await expect(page.getByTestId("children-empty")).toBeVisible();
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("tongxing.device")))).toEqual([]);
  expect(server.children(), "nothing went out from the lost phone").toEqual([]);
});
