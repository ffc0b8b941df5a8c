// Nothing readable on a lost phone: a director opens her invite link on a new phone, sets a
// PIN before anything is kept, joins and saves a child's file offline; a reload finds the app
// locked, by her name; a wrong PIN is refused, hers opens it, and the file reaches the server
// once. The lock button, and five minutes out of sight, lock it again; the phone's storage
// never shows the child's name, her phone number or the token.
import { test as base } from "@playwright/test";
import { expect, PIN, typePin, VisitApp, serverPerTest } from "./app.mjs";

// The pages of this spec meet the lock themselves: no automatic unlocking.
const test = base;

const server = serverPerTest();

/** Everything the phone keeps (localStorage and every IndexedDB store) as text. */
async function everythingKept(page) {
  return page.evaluate(async () => {
    let text = JSON.stringify(localStorage);
    const db = await new Promise((done, fail) => {
      const open = indexedDB.open("tongxing");
      open.onsuccess = () => done(open.result);
      open.onerror = () => fail(open.error);
    });
    for (const name of db.objectStoreNames) {
      const values = await new Promise((done, fail) => {
        const request = db.transaction(name).objectStore(name).getAll();
        request.onsuccess = () => done(request.result);
        request.onerror = () => fail(request.error);
      });
      for (const value of values) text += new TextDecoder().decode(value);
    }
    db.close();
    return text;
  });
}

test("set a PIN on joining, save offline, reload: locked; a wrong PIN waits, hers opens, the file arrives once", async ({ context, page }) => {
  await page.clock.install();
  const app = new VisitApp(page);
  await page.goto(server.invite({ role: "director", township: "石门镇", village: "桃源村", by: "王督导" }));

  // A new phone sets its PIN first, told plainly what it protects and what forgetting means.
  await expect(page.getByTestId("set-pin")).toContainText("手机丢了，别人也看不到");
  await expect(page.getByTestId("set-pin")).toContainText("忘记密码");
  await typePin(page, "123456");
  await expect(page.getByTestId("pin-problem")).toHaveText("这个密码太容易被猜到，请换一个（不要用重复或连续的数字）。");
  await typePin(page, PIN, "284931");
  await expect(page.getByTestId("pin-problem")).toHaveText("两次输入的密码不一致，请重新输入。");
  await typePin(page, PIN);
  await expect(page.getByTestId("invite-place")).toHaveText("石门镇 桃源村");
  await page.getByTestId("join-name").fill("李芳");
  await page.getByTestId("join-phone").fill("13800138000");
  await page.getByTestId("join-submit").click();
  await expect(page.getByTestId("month-progress")).toBeVisible();
  const token = await app.currentToken();

  // Offline, she keeps a child's file.
  await app.waitForOfflineReady();
  await context.setOffline(true);
  await app.addChild({ name: "孙小北" });
  // (Her own name stays readable: the lock screen shows it.)
  const kept = await everythingKept(page);
  for (const secret of ["孙小北", "13800138000", token]) expect(kept.includes(secret), `${secret} is kept readable`).toBe(false);

  // A reload (still offline) is locked, by her name; nothing shows before her PIN.
  await page.reload();
  await expect(page.getByTestId("unlock")).toBeVisible();
  await expect(page.getByTestId("lock-holder")).toHaveText("李芳");
  await expect(page.locator("body")).not.toContainText("孙小北");
  await typePin(page, "000000");
  await expect(page.getByTestId("pin-problem")).toHaveText("密码不对，请再试一次。");
  await typePin(page, "111111");
  await expect(page.getByTestId("pin-problem")).toContainText("密码错误次数较多，请 5 秒后再试。");
  await page.clock.runFor(6_000);
  await typePin(page, PIN);
  await expect(page.getByRole("heading", { name: "孙小北" })).toBeVisible();
  await page.getByTestId("nav-due").click();
  await expect(app.dueEntry("孙小北")).toBeVisible();

  // Online again: the file reaches the server, once.
  await context.setOffline(false);
  await expect(app.pendingCount()).toHaveAttribute("data-count", "0", { timeout: 30_000 });
  expect(server.children().filter((c) => c.name === "孙小北")).toHaveLength(1);

  // The lock button locks at once.
  await page.getByTestId("lock").click();
  await expect(page.getByTestId("unlock")).toBeVisible();
  await typePin(page, PIN);
  await expect(app.dueEntry("孙小北")).toBeVisible();

  // Five minutes out of sight lock it; a shorter absence does not.
  const away = (hidden) =>
    page.evaluate((hidden) => {
      Object.defineProperty(document, "hidden", { value: hidden, configurable: true });
      document.dispatchEvent(new Event("visibilitychange", { bubbles: true }));
    }, hidden);
  await away(true);
  await page.clock.runFor(60_000);
  await away(false);
  await expect(app.dueEntry("孙小北")).toBeVisible();
  await away(true);
  await page.clock.runFor(5 * 60_000);
  await away(false);
  await expect(page.getByTestId("unlock")).toBeVisible();
});
