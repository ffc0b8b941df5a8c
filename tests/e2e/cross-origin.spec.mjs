// The app hosted on one origin joins and sends to a server on another, named by the invite
// link: the server is one the app trusts (on this machine, as the app is), CORS lets the
// app's origin call it, and the token goes to that server only.
import { test, expect, VisitApp } from "./app.mjs";
import { TestServer } from "./server.mjs";

test("an app hosted elsewhere joins the server its invite link names and sends there only", async ({ context, page }) => {
  // localhost and 127.0.0.1 are different origins for the browser.
  const api = new TestServer();
  const apiOrigin = `http://localhost:${await api.reservePort()}`;
  // The app's host lets the app call the API (its Content-Security-Policy), and the API
  // lets pages of the app's host call it (CORS).
  const host = new TestServer({ allowedServers: apiOrigin });
  await host.start();
  api.corsOrigins = host.url;
  await api.start();
  const tokens = [];
  context.on("request", (r) => {
    const auth = r.headers()["authorization"];
    if (auth) tokens.push(new URL(r.url()).origin);
  });
  try {
    const link = api.invite({ appUrl: host.url, serverUrl: apiOrigin, village: "石桥村" });
    await page.goto(link);
    await expect(page.getByTestId("invite-server")).toHaveText(`记录将上传到：localhost:${api.port}`);
    await page.getByTestId("join-name").fill("李芳");
    await page.getByTestId("join-phone").fill("13800138000");
    await page.getByTestId("join-submit").click();
    const app = new VisitApp(page);
    await expect(page.getByTestId("month-progress")).toBeVisible();
    await page.getByTestId("settings-link").click();
    await expect(page.getByTestId("enrolled-server")).toContainText(`localhost:${api.port}`);

    await app.open(host.url);
    await app.addChild({ name: "何小川" });
    await app.startVisit();
    await app.fillOrdinaryVisit();
    await app.saveVisit();
    await app.expectHistoryState("sent", 30_000);
    expect(api.children().map((c) => c.name)).toEqual(["何小川"]);
    expect(api.visits()).toHaveLength(1);
    expect(host.visits()).toHaveLength(0);
    expect(host.children()).toHaveLength(0);
    expect(tokens.length).toBeGreaterThan(0);
    expect(new Set(tokens)).toEqual(new Set([apiOrigin]));
  } finally {
    await host.dispose();
    await api.dispose();
  }
});
