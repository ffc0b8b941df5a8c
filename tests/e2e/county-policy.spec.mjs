// What the county decides reaches its phones: a server run with a passphrase rule makes a
// phone whose PIN is six digits ask for a passphrase at once (the data stays, the old PIN
// no longer opens it, the new one does).
import { test, expect, VisitApp, joinByLink, typePin, PIN, serverPerTest } from "./app.mjs";

const server = serverPerTest();

test("a county that asks for a passphrase has its phones set one, and nothing on them is lost", async ({ context, page }) => {
  const app = new VisitApp(page);
  // The phone asks the county's policy once a day: held back here until the county has
  // changed it, as for a phone whose day had passed.
  const policy = "**/api/v1/county";
  await page.route(policy, (route) => route.abort());
  await joinByLink(page, server.invite({ role: "director", township: "石门镇", village: "石桥村", by: "王督导" }), { name: "李芳" });
  await context.setOffline(true);
  await app.addChild({ name: "杨小花" });
  await expect(page.getByTestId("stricter-pin")).toHaveCount(0);

  // The county now asks for passphrases of ten characters or more.
  await server.stop();
  server.extraArgs = ["--passphrase-min-chars", "10"];
  await server.start();
  await context.setOffline(false);
  await page.unroute(policy);
  await page.reload();
  const form = page.getByTestId("stricter-pin");
  await expect(form).toBeVisible({ timeout: 30_000 });
  await expect(form).toContainText("至少 10 个字符");
  await form.getByTestId("pin").fill("short1");
  await form.getByTestId("pin-again").fill("short1");
  await form.getByTestId("pin-submit").click();
  await expect(form.getByTestId("pin-problem")).toBeVisible();
  await form.getByTestId("pin").fill("石桥村的春天来了燕子回");
  await form.getByTestId("pin-again").fill("石桥村的春天来了燕子回");
  await form.getByTestId("pin-submit").click();
  await expect(form).toHaveCount(0);

  // Opened again (a page that meets the lock itself): the six digits no longer open it; the
  // passphrase does, the child is there, and the phone is not asked again.
  const again = await context.newPage();
  await again.goto(server.url);
  await typePin(again, PIN);
  await expect(again.getByTestId("pin-problem")).toBeVisible();
  await typePin(again, "石桥村的春天来了燕子回");
  await expect(again.getByTestId("month-progress")).toBeVisible();
  await again.getByTestId("nav-children").click();
  await expect(again.getByText("杨小花")).toBeVisible();
  await expect(again.getByTestId("stricter-pin")).toHaveCount(0);
});
