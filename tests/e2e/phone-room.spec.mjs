// A phone nearly out of room (issue 17, item 7): the browser says the site may use little
// more (`navigator.storage.estimate()`, set by an init script: 950 of 1000 MB used); the
// sync bar says so in the worker's words, in both languages, while records still save; a
// phone with room says nothing.
import { test, expect, unlocks, VisitApp, enrol, serverPerTest } from "./app.mjs";

const server = serverPerTest();

test("a phone nearly out of room says so on the sync bar, and a phone with room does not", async ({ browser }) => {
  const short = await browser.newContext();
  await short.addInitScript(() => {
    const MB = 1024 * 1024;
    Object.defineProperty(navigator.storage, "estimate", { value: async () => ({ usage: 950 * MB, quota: 1000 * MB }) });
  });
  await enrol(short, server);
  const page = await short.newPage();
  await unlocks(page);
  const app = new VisitApp(page);
  await app.open(server.url);
  const warning = page.getByTestId("sync-room-low");
  await expect(warning).toHaveText("手机存储空间快满了，请尽快上传并清理空间");
  await page.getByTestId("lang-switch").click();
  await expect(warning).toHaveText("The phone is nearly out of space: send your records and free some space soon");
  await page.getByTestId("lang-switch").click();
  await app.addChild({ name: "陈小兵", sex: "male", birth: "2015-03-14" });
  await expect(app.pendingCount()).toHaveAttribute("data-count", "0", { timeout: 30_000 });
  await expect(warning).toBeVisible();
  expect(server.children().map((c) => c.name)).toEqual(["陈小兵"]);

  const roomy = await browser.newContext();
  await enrol(roomy, server, { name: "王兰" });
  const other = await roomy.newPage();
  await unlocks(other);
  await new VisitApp(other).open(server.url);
  await expect(other.getByTestId("sync-bar")).toBeVisible();
  await expect(other.getByTestId("month-progress")).toBeVisible();
  await expect(other.getByTestId("sync-room-low")).toHaveCount(0);
});
