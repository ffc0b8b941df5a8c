// What the browser benchmarks run on: the real server (the release binary TONGXING_BIN) on
// a free loopback port with a fresh data directory, and a headless Chromium, both closed
// when the benchmark ends, however it ends.
import { chromium } from "@playwright/test";
import { args, executablePath } from "../e2e/chromium.mjs";
import { TestServer } from "../e2e/server.mjs";

/** Runs `bench(browser, server)` and closes both after. */
export async function onServerAndBrowser(bench) {
  const server = new TestServer();
  await server.start();
  const browser = await chromium.launch({ executablePath, args });
  try {
    return await bench(browser, server);
  } finally {
    await browser.close();
    await server.dispose();
  }
}
