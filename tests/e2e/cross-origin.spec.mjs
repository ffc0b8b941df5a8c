// The app hosted on one origin sends to a server on another, set under Settings: CORS and
// the configurable server address work together.
import { test, expect } from "@playwright/test";
import { TestServer } from "./server.mjs";
import { VisitApp, enrol } from "./app.mjs";

test("an app hosted elsewhere sends to the server set in Settings", async ({ page }) => {
  const host = new TestServer();
  await host.start();
  // The API server admits the app's host by name: by default it admits no other origin.
  const api = new TestServer({ corsOrigins: host.url });
  await api.start();
  try {
    // The phone joined the API server (the records' server), not the app's host.
    await enrol(page, api);
    const app = new VisitApp(page);
    await app.open(host.url);
    await page.getByTestId("settings-link").click();
    await page.getByTestId("api-base").fill("ftp://nope");
    await expect(page.getByTestId("error-api_base")).toBeVisible();
    await expect(page.getByTestId("settings-save")).toBeDisabled();
    // localhost and 127.0.0.1 are different origins for the browser.
    const apiOrigin = api.url.replace("127.0.0.1", "localhost");
    await page.getByTestId("api-base").fill(apiOrigin);
    await page.getByTestId("settings-save").click();

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
  } finally {
    await host.dispose();
    await api.dispose();
  }
});
