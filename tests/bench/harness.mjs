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

/** Samples the page's JavaScript heap (what it uses, through the DevTools protocol) every
 * `every` ms until `peak()` is called, which gives the most seen, in bytes. The heap of the
 * page's own realm: WebAssembly memory is not in it. */
export async function watchHeap(page, every = 100) {
  const cdp = await page.context().newCDPSession(page);
  let most = 0;
  let sampling = true;
  const sample = async () => {
    while (sampling) {
      const { usedSize } = await cdp.send("Runtime.getHeapUsage").catch(() => ({ usedSize: 0 }));
      most = Math.max(most, usedSize);
      await new Promise((resolve) => setTimeout(resolve, every));
    }
  };
  const running = sample();
  return {
    async peak() {
      sampling = false;
      await running;
      await cdp.detach().catch(() => {});
      return most;
    },
  };
}

/** In the page: clicks the element `tap` (a CSS selector) and resolves with the ms until an
 * element `shown` is in the page and the frame showing it is painted. */
export function tapUntilPainted(page, tap, shown) {
  return page.evaluate(
    ({ tap, shown }) =>
      new Promise((resolve) => {
        const start = performance.now();
        new MutationObserver((_, observer) => {
          if (!document.querySelector(shown)) return;
          observer.disconnect();
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start)));
        }).observe(document, { childList: true, subtree: true });
        document.querySelector(tap).click();
      }),
    { tap, shown },
  );
}
