// End-to-end tests: Debian's Chromium (never a downloaded browser) against the release
// build of the app served by the real server (TONGXING_BIN, else its release build), which
// each test starts itself.
import { defineConfig } from "@playwright/test";
import { args, executablePath } from "./chromium.mjs";

export default defineConfig({
  testDir: ".",
  testMatch: "*.spec.mjs",
  // Every test starts its own server (its own loopback port and data directory) and has its
  // own browser context, so tests run side by side, in every spec; one worker per core.
  fullyParallel: true,
  workers: Number(process.env.TONGXING_E2E_WORKERS ?? 2),
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  outputDir: "../../test-results",
  use: {
    browserName: "chromium",
    viewport: { width: 360, height: 740 },
    locale: "zh-CN",
    launchOptions: { executablePath, args },
    trace: "off",
  },
  projects: [
    { name: "chromium", testIgnore: "missing-apis.spec.mjs" },
    // The core flows (joining, recording offline, sending, photos) once more with every
    // browser API the app can do without taken away in each page before the app loads
    // (app.mjs's removeOptionalApis): no service worker, Web Locks, BroadcastChannel,
    // storage.persist/estimate, OffscreenCanvas, createImageBitmap or Clipboard.
    {
      name: "missing-apis",
      use: { withoutOptionalApis: true, serviceWorkers: "block" },
      testMatch: "missing-apis.spec.mjs",
    },
  ],
});
