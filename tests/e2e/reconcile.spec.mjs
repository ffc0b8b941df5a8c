// Two phones, one child (issue 15): two directors of one village change the same field of a
// child's file differently while offline; the second edit to arrive is kept aside, and the
// township supervisor sees both versions side by side in 核对, keeps the other phone's, and
// that version reaches both phones as the file's next revision. One child registered on two
// phones is flagged in her 重复 with who registered each file; she keeps one, and each phone
// then holds one file of the child, with the visit made to the other.
import { test, expect, villagePhone, supervisorPhone, serverPerTest } from "./app.mjs";

const PLACE = { township: "石门镇", village: "桃源村" };
const server = serverPerTest();

/** On the child's page: changes the school and saves. */
async function changeSchool(page, school) {
  await page.getByTestId("edit-child").click();
  await page.getByTestId("child-school").fill(school);
  await page.getByTestId("save-child").click();
  await expect(page.getByTestId("start-visit")).toBeVisible();
}

test("an edit kept aside is seen side by side by the supervisor, and the version she keeps reaches both phones", async ({ browser }) => {
  test.setTimeout(180_000);
  const first = await villagePhone(browser, server, { role: "director", name: "李芳", ...PLACE }, {});
  await first.app.addChild({ name: "陈小兵", village: PLACE.village });
  await expect(first.page.getByTestId("sync-pending")).toHaveAttribute("data-count", "0", { timeout: 30_000 });
  const second = await villagePhone(browser, server, { role: "director", name: "王梅", ...PLACE }, {});
  await expect(second.app.dueEntry("陈小兵")).toBeVisible({ timeout: 30_000 });

  // Both offline, each changes the school; the first's arrives first.
  await first.context.setOffline(true);
  await second.context.setOffline(true);
  await first.page.getByTestId("nav-children").click();
  await first.page.getByText("陈小兵").first().click();
  await changeSchool(first.page, "桃源村小学");
  await second.app.dueEntry("陈小兵").locator("a.due-main").click();
  await changeSchool(second.page, "石门镇中心小学");
  await first.context.setOffline(false);
  await first.page.getByTestId("sync-now").click();
  await expect(first.page.getByTestId("sync-pending")).toHaveAttribute("data-count", "0", { timeout: 30_000 });
  await second.context.setOffline(false);
  await second.page.getByTestId("sync-now").click();
  await expect(second.page.getByTestId("sync-pending")).toHaveAttribute("data-count", "0", { timeout: 30_000 });
  expect(server.children().map((c) => c.school)).toEqual(["桃源村小学"]);

  // The supervisor's 核对: both versions, who sent each; she keeps the other phone's.
  const { context: supervisor, page } = await supervisorPhone(browser, server, { township: PLACE.township }, {});
  await page.getByTestId("township-tab-reconcile").click();
  const item = page.getByTestId("reconcile-item");
  await expect(item).toHaveCount(1);
  await expect(item).toContainText("陈小兵");
  const row = item.locator('tr[data-field="school"]');
  await expect(row.getByTestId("reconcile-held")).toHaveText("桃源村小学");
  await expect(row.getByTestId("reconcile-kept-aside")).toHaveText("石门镇中心小学");
  await expect(item).toContainText("李芳");
  await expect(item).toContainText("王梅");
  await item.getByTestId("reconcile-take-other").click();
  await expect(page.getByTestId("reconcile-empty")).toBeVisible();
  expect(server.children().map((c) => c.school)).toEqual(["石门镇中心小学"]);

  // Both phones receive it as the file's next revision.
  for (const worker of [first, second]) {
    await worker.page.getByTestId("sync-now").click();
    await expect(worker.page.getByTestId("child-school")).toContainText("石门镇中心小学", { timeout: 30_000 });
  }
  await supervisor.close();
  await first.context.close();
  await second.context.close();
});

test("one child registered on two phones is flagged to the supervisor, who merges the two files, and each phone then holds one", async ({ browser }) => {
  test.setTimeout(240_000);
  const first = await villagePhone(browser, server, { role: "director", name: "李芳", ...PLACE }, {});
  const second = await villagePhone(browser, server, { role: "director", name: "王梅", ...PLACE }, {});
  for (const worker of [first, second]) {
    await worker.context.setOffline(true);
    await worker.app.addChild({ name: "周小雨", birth: "2015-03-02", village: PLACE.village });
  }
  // The second phone visits the child too: the visit must follow whichever file is kept.
  await second.app.startVisit();
  await second.app.fillOrdinaryVisit();
  await second.app.saveVisit();
  for (const worker of [first, second]) {
    await worker.context.setOffline(false);
    await worker.page.getByTestId("sync-now").click();
    await expect(worker.page.getByTestId("sync-pending")).toHaveAttribute("data-count", "0", { timeout: 30_000 });
  }
  expect(server.children()).toHaveLength(2);

  const { context: supervisor, page } = await supervisorPhone(browser, server, { township: PLACE.township }, {});
  await page.getByTestId("township-tab-duplicates").click();
  const pair = page.getByTestId("duplicate-pair");
  await expect(pair).toHaveCount(1);
  await expect(pair).toHaveAttribute("data-reason", "same_name_birth_date_village");
  await expect(pair.getByTestId("duplicate-file")).toHaveCount(2);
  const registeredBy = await pair.getByTestId("duplicate-registered-by").allTextContents();
  expect(registeredBy.map((text) => text.replace("登记人：", "")).sort()).toEqual(["李芳", "王梅"].sort());
  // Each file opens to read.
  await pair.getByTestId("duplicate-file").first().click();
  await expect(page.getByTestId("township-child-page")).toBeVisible();

  // Both phones hold both files.
  for (const worker of [first, second]) {
    await worker.page.getByTestId("nav-due").click();
    await worker.page.getByTestId("sync-now").click();
    await expect(worker.app.dueEntry("周小雨")).toHaveCount(2, { timeout: 30_000 });
  }

  // She keeps one file; the other goes into it, and each phone then holds one.
  await page.goBack();
  await page.getByTestId("township-tab-duplicates").click();
  await page.getByTestId("duplicate-pair").getByTestId("duplicate-keep").first().click();
  await expect(page.getByTestId("duplicate-confirm")).toContainText("周小雨");
  await page.getByTestId("duplicate-merge").click();
  await expect(page.getByTestId("duplicates-merged")).toBeVisible();
  await expect(page.getByTestId("duplicates-empty")).toBeVisible();
  expect(server.children()).toHaveLength(1);
  for (const worker of [first, second]) {
    await worker.page.getByTestId("sync-now").click();
    await expect(worker.app.dueEntry("周小雨")).toHaveCount(1, { timeout: 30_000 });
    await worker.app.dueEntry("周小雨").locator("a.due-main").click();
    await expect(worker.page.getByTestId("history-visit")).toHaveCount(1);
    // Who made the visit, on both phones: the worker who made it, not the phone that holds it.
    await expect(worker.page.getByTestId("visit-visitor")).toHaveText("走访人：王梅");
    await worker.page.getByTestId("nav-due").click();
  }
  await supervisor.close();
  await first.context.close();
  await second.context.close();
});
