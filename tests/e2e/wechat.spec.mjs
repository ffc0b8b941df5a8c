// Inside WeChat (issue 17, item 5): links to the app are opened from a WeChat group, in
// WeChat's own browser, which does not save downloads and may clear what the page keeps. A
// phone whose browser says it is WeChat's (its user agent) is told so in one line where it
// matters: on a worker's first screen, and under every download (the unsent-records file,
// a supervisor's exports); a supervisor gets a one-time link to her export to open in the
// phone's own browser. The same app in another browser shows none of it. The invite link
// fits in a chat message.
import { test, expect, enrol, unlocks, serverPerTest } from "./app.mjs";

const server = serverPerTest();
const WECHAT =
  "Mozilla/5.0 (Linux; Android 10; V2001A Build/QP1A.190711.020; wv) AppleWebKit/537.36 (KHTML, like Gecko) " +
  "Version/4.0 Chrome/86.0.4240.99 XWEB/4317 MMWEBSDK/20220903 Mobile Safari/537.36 MMWEBID/6533 " +
  "MicroMessenger/8.0.28.2240(0x28001C57) WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64";

/** A phone of its own, joined as `role`, in WeChat's browser or not. */
async function phone(browser, { role = "director", village = "桃源村", userAgent } = {}) {
  const context = await browser.newContext({ userAgent, locale: "zh-CN", viewport: { width: 360, height: 740 } });
  await enrol(context, server, { role, township: "石门镇", village });
  const page = await context.newPage();
  await unlocks(page);
  await page.goto(server.url);
  await expect(page.getByTestId(role === "supervisor" ? "township-page" : "month-progress")).toBeVisible();
  return { context, page };
}

test("a director inside WeChat is told her unsent records may be cleared, and that the file cannot be saved there", async ({ browser }) => {
  const { context, page } = await phone(browser, { userAgent: WECHAT });
  const hint = page.getByTestId("in-app-hint");
  await expect(hint).toHaveAttribute("data-kind", "storage");
  await expect(hint).toHaveText(/^在微信里，未上传的记录可能被清理：有网络时请及时点「立即同步」。/);
  await page.getByTestId("settings-link").click();
  const download = page.getByTestId("save-unsent-file").getByTestId("in-app-hint");
  await expect(download).toHaveAttribute("data-kind", "save_file");
  await expect(download).toContainText("微信里可能保存不了文件");
  await page.getByTestId("lang-switch").click();
  await expect(download).toContainText("WeChat may not save the file");
  await context.close();
});

test("the same app in the phone's own browser says nothing of WeChat", async ({ browser }) => {
  const { context, page } = await phone(browser);
  await expect(page.getByTestId("month-progress")).toBeVisible();
  await page.getByTestId("settings-link").click();
  await expect(page.getByTestId("save-unsent-file")).toBeVisible();
  await expect(page.getByTestId("in-app-hint")).toHaveCount(0);
  await context.close();
});

test("a supervisor inside WeChat gets a one-time link to her export for the phone's browser, and her invite link fits a chat message", async ({ browser }) => {
  const { context, page } = await phone(browser, { role: "supervisor", village: "", userAgent: WECHAT });
  await page.getByTestId("township-tab-children").click();
  for (const button of ["export-visits", "export-children"]) {
    const hint = page.getByTestId(button).locator("..").getByTestId("in-app-hint");
    await expect(hint).toHaveAttribute("data-kind", "export");
    await expect(hint).toContainText("请点「生成下载链接」");
  }
  // The link fetches the workbook once, with no token, as the phone's browser would.
  await page.getByTestId("export-children-link").click();
  const field = page.getByTestId("download-link");
  await expect(field).toHaveValue(new RegExp(`^${server.url}/api/v1/downloads/[^/]+$`));
  await expect(page.getByTestId("download-expires")).toContainText("只能用一次");
  const url = await field.inputValue();
  const file = await fetch(url);
  expect(file.status).toBe(200);
  expect(file.headers.get("content-disposition")).toContain(".xlsx");
  expect(Buffer.from(await file.arrayBuffer()).subarray(0, 2).toString("latin1")).toBe("PK");
  expect((await fetch(url)).status, "once").toBe(410);
  await page.getByTestId("township-tab-invite").click();
  await page.getByTestId("make-invite-village").fill("桃源村");
  await page.getByTestId("make-invite-submit").click();
  const link = await page.getByTestId("invite-link").inputValue();
  expect(link.length - server.url.length, link).toBeLessThanOrEqual(40);
  await context.close();
});
