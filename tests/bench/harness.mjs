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

/** In the page: each character's time from its `beforeinput` event (the key's or the IME's
 * time stamp) to the frame painted after it, in `window.__keys`. */
function watchKeys() {
  window.__keys = [];
  if (window.__watchingKeys) return;
  window.__watchingKeys = true;
  document.addEventListener(
    "beforeinput",
    (event) => {
      const start = event.timeStamp;
      requestAnimationFrame(() => setTimeout(() => window.__keys.push(performance.now() - start), 0));
    },
    true,
  );
}

/** How the keystroke benchmarks type: BENCH_KEYS characters (60), 120 ms apart, as a quick
 * thumb types. */
export const TYPING = { keys: Number(process.env.BENCH_KEYS ?? 60), pace: 120 };

/** The sentence typed by the keystroke benchmarks, `keys` characters of it. */
export const typedText = (keys) => "家中缺少冬衣需要联系民政救助 and a school grant ".repeat(4).slice(0, keys);

/** Types `keys` characters into `field` (a locator of a text input), a key every `pace` ms as
 * a quick thumb types (Chinese characters arriving as an IME's text, the rest as key
 * presses), and resolves with each character's ms from input to the next painted frame.
 * Throws if the field does not hold what was typed. */
export async function timeTyping(page, field, { keys, pace }) {
  await field.fill("");
  await field.focus();
  await page.evaluate(watchKeys);
  const text = typedText(keys);
  for (const key of text) {
    if (/^[\x20-\x7e]$/.test(key)) await page.keyboard.press(key === " " ? "Space" : key);
    else await page.keyboard.insertText(key);
    await page.waitForTimeout(pace);
  }
  await page.waitForFunction((n) => window.__keys.length >= n, text.length);
  const samples = await page.evaluate(() => window.__keys);
  const typed = await field.inputValue();
  if (typed !== text) throw new Error(`the field holds "${typed}", not what was typed`);
  return samples;
}
