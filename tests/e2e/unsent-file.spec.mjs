// The escape hatch: a phone that will never be online again saves its unsent records and
// their photos into one file sealed to the county's key (nothing readable in it, nothing of
// a child in its name); the county imports it with `tongxing-ingest import`, once however
// often; and if the phone comes online after all, what it then sends is not stored twice.
import { readFileSync } from "node:fs";
import { test, expect, VisitApp, joinByLink, serverPerTest } from "./app.mjs";
import { twelveMegapixelJpeg } from "./photo-fixtures.mjs";

const server = serverPerTest();

test("unsent work saved to a file offline is imported once, and a later send stores nothing twice", async ({ context, page }) => {
  test.setTimeout(180_000);
  const app = new VisitApp(page);
  // The phone asks its county's policy (its key) after its first run that reaches the server.
  const keyFetched = page.waitForResponse((r) => r.url().endsWith("/api/v1/county") && r.status() === 200);
  await joinByLink(page, server.invite({ role: "director", township: "石门镇", village: "石桥村", by: "王督导" }), { name: "李芳" });
  await keyFetched;
  const photo = await twelveMegapixelJpeg(page, { seed: 7 });

  await context.setOffline(true);
  await app.addChild({ name: "杨小花" });
  await app.startVisit();
  await app.fillOrdinaryVisit();
  await app.choose("photo_consent", "yes");
  await app.addPhotos([photo], 1);
  await app.saveVisit();

  await page.getByTestId("settings-link").click();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("save-unsent-file-start").click()]);
  await expect(page.getByTestId("unsent-file-saved")).toContainText("2 条记录，1 张照片");
  expect(download.suggestedFilename()).toMatch(/^tongxing-unsent-\d{8}-\d{6}\.tongxing$/);
  const file = await download.path();
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 16).toString()).toBe("TONGXING-UNSENT1");
  for (const clear of ["杨小花", "石桥村", "\xff\xd8\xff", "李芳"]) {
    expect(bytes.includes(Buffer.from(clear, clear.startsWith("\xff") ? "latin1" : "utf8")), `${JSON.stringify(clear)} in the file`).toBe(false);
  }
  expect(server.visits(), "nothing reached the server").toEqual([]);

  const first = server.importUnsent(file);
  expect(first.ok, first.output).toBe(true);
  expect(first.output).toContain("records: 2 new");
  expect(server.children().map((c) => c.name)).toEqual(["杨小花"]);
  const [visit] = server.visits();
  expect(visit.answers.photos).toHaveLength(1);
  expect(server.photoFiles()).toEqual([visit.answers.photos[0].sha256]);

  const again = server.importUnsent(file);
  expect(again.ok, again.output).toBe(true);
  expect(again.output).toContain("records: 0 new, 0 updated, 2 unchanged");

  // The phone comes online after all: it sends what it kept, and the server keeps it once.
  await context.setOffline(false);
  await page.getByTestId("sync-now").click();
  await expect(app.pendingCount()).toHaveAttribute("data-count", "0", { timeout: 30_000 });
  expect(server.history()).toHaveLength(1);
  expect(server.children()).toHaveLength(1);

  // With nothing unsent, there is nothing to save.
  await page.getByTestId("settings-link").click();
  await page.getByTestId("save-unsent-file-start").click();
  await expect(page.getByTestId("unsent-file-problem")).toContainText("没有未上传的记录");
});
