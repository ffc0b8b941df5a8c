// An update never loses offline start (issue 17, item 7): a phone keeps the first release
// and goes offline with a record unsent; the next release is deployed; offline, the phone
// starts (the release it kept) with its record; online again, the record arrives once and
// the phone moves to the next release.
import { rmSync } from "node:fs";
import { test, expect, VisitApp, enrol, serverPerTest } from "./app.mjs";
import { NEXT_RELEASE, nextRelease } from "./next-release.mjs";

const server = serverPerTest();

test("a phone offline through a deploy starts with its records, then moves to the new release online", async ({ context, page }) => {
  test.setTimeout(120_000);
  const first = server.appDir;
  const next = nextRelease(first);
  try {
    await enrol(context, server);
    const app = new VisitApp(page);
    await app.open(server.url);
    await app.waitForOfflineReady();
    await app.addChild({ name: "陈小兵", sex: "male", birth: "2015-03-14" });
    await expect(app.pendingCount()).toHaveAttribute("data-count", "0", { timeout: 30_000 });

    // Offline, a second file waits on the phone.
    await context.setOffline(true);
    await app.open(server.url);
    await app.addChild({ name: "刘小梅", birth: "2017-09-02" });
    await expect(app.pendingCount()).toHaveAttribute("data-count", "1");

    // The next release is deployed while the phone is offline.
    await server.stop();
    server.appDir = next;
    await server.start();

    // Still offline, the phone starts: the release it kept, its record still waiting.
    await app.open(server.url);
    await expect(app.pendingCount()).toHaveAttribute("data-count", "1");
    expect(await page.locator('meta[name="tongxing-release"]').count()).toBe(0);
    await expect(app.dueEntry("刘小梅")).toBeVisible();

    // Online: the record arrives once, and the phone moves to the next release.
    await context.setOffline(false);
    await page.getByTestId("sync-now").click();
    await expect(app.pendingCount()).toHaveAttribute("data-count", "0", { timeout: 30_000 });
    expect(server.children().map((c) => c.name).sort()).toEqual(["刘小梅", "陈小兵"]);
    await expect
      .poll(
        async () => {
          await app.open(server.url);
          return page.locator('meta[name="tongxing-release"]').count();
        },
        { timeout: 30_000 },
      )
      .toBe(1);
    expect(await page.content()).toContain(NEXT_RELEASE.slice(0, 30));
    await expect(app.dueEntry("刘小梅")).toBeVisible();
    await expect(app.dueEntry("陈小兵")).toBeVisible();

    // And the next release starts offline too.
    await context.setOffline(true);
    await app.open(server.url);
    expect(await page.locator('meta[name="tongxing-release"]').count()).toBe(1);
    await expect(app.dueEntry("刘小梅")).toBeVisible();
  } finally {
    rmSync(next, { recursive: true, force: true });
  }
});
