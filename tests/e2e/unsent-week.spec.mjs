// Records that wait a week (issue 17, item 7): a phone offline for days may be lost, broken
// or cleared before it is online again, so once the oldest unsent record has waited seven
// days the sync bar asks the worker to go where there is a connection, or to save the
// records to a file. The phone's clock is Playwright's, moved eight days on.
import { test, expect, VisitApp, enrol, serverPerTest } from "./app.mjs";

const server = serverPerTest();

test("a record unsent for eight days asks the worker to act, and the warning goes once it is sent", async ({ context, page }) => {
  await enrol(context, server);
  await page.clock.install();
  const app = new VisitApp(page);
  await app.open(server.url);
  await context.setOffline(true);
  await app.addChild({ name: "陈小兵", sex: "male", birth: "2015-03-14" });
  await expect(app.pendingCount()).toHaveAttribute("data-count", "1");
  await page.getByTestId("sync-now").click();
  await expect(page.getByTestId("sync-waiting-long")).toHaveCount(0);

  await page.clock.fastForward(8 * 24 * 3600 * 1000);
  await page.getByTestId("sync-now").click();
  const warning = page.getByTestId("sync-waiting-long");
  await expect(warning).toHaveText(/^有记录已等待 8 天未上传：请到有网络的地方点「立即同步」。/);
  await page.getByTestId("lang-switch").click();
  await expect(warning).toContainText("Records have waited 8 days unsent");
  await page.getByTestId("lang-switch").click();

  await context.setOffline(false);
  await page.getByTestId("sync-now").click();
  await expect(app.pendingCount()).toHaveAttribute("data-count", "0", { timeout: 30_000 });
  await expect(warning).toHaveCount(0);
  expect(server.children().map((c) => c.name)).toEqual(["陈小兵"]);
});
