// Inside WeChat (issue 17, item 5): links to the app are opened from a WeChat group, in
// WeChat's own browser, which does not save downloads and may clear what the page keeps. A
// phone whose browser says it is WeChat's (its user agent) is told so in one line where it
// matters: on a worker's first screen, and under every download (the unsent-records file,
// a supervisor's exports). The same app in another browser shows none of it. The invite
// link fits in a chat message.
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
  await expect(hint).toHaveText(/^在微信里，未发送的记录可能被清理：.*点右上角 ··· 选择「在浏览器打开」。$/);
  await page.getByTestId("settings-link").click();
  const download = page.getByTestId("save-unsent-file").getByTestId("in-app-hint");
  await expect(download).toHaveAttribute("data-kind", "download");
  await expect(download).toContainText("微信里不能保存文件");
  await page.getByTestId("lang-switch").click();
  await expect(download).toContainText("WeChat does not save files");
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

test("a supervisor inside WeChat is told under each export how to save it, and her invite link fits a chat message", async ({ browser }) => {
  const { context, page } = await phone(browser, { role: "supervisor", village: "", userAgent: WECHAT });
  await page.getByTestId("township-tab-children").click();
  for (const button of ["export-visits", "export-children"]) {
    const hint = page.getByTestId(button).locator("..").getByTestId("in-app-hint");
    await expect(hint).toHaveAttribute("data-kind", "download");
    await expect(hint).toContainText("点右上角 ··· 选择「在浏览器打开」");
  }
  await page.getByTestId("township-tab-invite").click();
  await page.getByTestId("make-invite-village").fill("桃源村");
  await page.getByTestId("make-invite-submit").click();
  const link = await page.getByTestId("invite-link").inputValue();
  expect(link.length - server.url.length, link).toBeLessThanOrEqual(40);
  await context.close();
});
