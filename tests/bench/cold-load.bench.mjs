// Benchmark of a new phone's first visit, as a worker who has just joined meets it: a fresh
// browser profile (nothing cached, no service worker yet), the app served compressed by the
// real server, over a throttled link with a throttled CPU. In the page's own clock it
// measures
//   lock      from navigation start until the first screen, the lock (set a PIN), is painted
//   app       from the PIN's submission until the app's home screen is painted (the field
//             app's due list, the oversight app's township page): the key derived, the
//             rest of the app (its second piece) in, the first screen drawn
//   form      (field app) then from the tap on 记录 until its list is painted and from the
//             tap on 新增走访 until the visit form is, their screens' piece fetched if it has
//             not come yet (and the three summed: every wait until she can type into a
//             visit, her own taps and typing left out)
// and the bytes of the app's own files on the wire by then. Profiles: Lighthouse's mobile
// throttling (CPU 4x slower, 150 ms round trip, 1.6 Mbps down, 750 kbps up) and a 2G link
// (about 250 kbps down, 800 ms round trip, CPU 4x slower). It prints median and p95 in ms;
// nothing passes or fails. Then the field app's warm start: a phone that has opened it
// before (its service worker installed) opens it again with no network and the CPU 4x
// slower, to the lock and from the PIN to the due list. Run it with scripts/bench-cold-load.sh.
import { onServerAndBrowser, tapUntilPainted } from "./harness.mjs";
import { enrol, PIN, typePin, VisitApp } from "../e2e/app.mjs";
import { stats } from "./stats.mjs";
import { keep, sampled } from "./results.mjs";
import { PROFILES, throttled } from "./profiles.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const APPS = [
  { name: "field app, a director", short: "field", role: { role: "director" }, path: "/", home: "[data-testid=month-progress]", form: "[data-testid=save-visit]" },
  { name: "oversight app, a supervisor", short: "oversight", role: { role: "supervisor", township: "石门镇", village: "" }, path: "/oversight/", home: "[data-testid=township-page]" },
];

/** In the page: when the lock and then `home` are first painted, and when the PIN was sent. */
function watch(home) {
  const painted = (key) => requestAnimationFrame(() => setTimeout(() => (window[key] ??= performance.now())));
  window.__lock = window.__home = window.__submitted = null;
  document.addEventListener("submit", () => (window.__submitted ??= performance.now()), true);
  new MutationObserver(() => {
    if (window.__lock === null && document.querySelector("[data-testid=set-pin], [data-testid=unlock]")) painted("__lock");
    if (window.__home === null && document.querySelector(home)) painted("__home");
  }).observe(document, { childList: true, subtree: true });
}

async function once(browser, server, app, profile) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "zh-CN", serviceWorkers: "block" });
  await enrol(context, server, app.role);
  const page = await context.newPage();
  const bytes = await throttled(context, page, profile);
  await page.addInitScript(watch, app.home);
  await page.goto(`${server.url}${app.path}`, { timeout: 120_000 });
  await page.waitForFunction(() => window.__lock !== null, null, { timeout: 120_000 });
  await page.getByTestId("pin").fill(PIN);
  await page.getByTestId("pin-again").fill(PIN);
  await page.getByTestId("pin-submit").click();
  await page.waitForFunction(() => window.__home !== null, null, { timeout: 180_000 });
  const times = await page.evaluate(() => ({ lock: window.__lock, app: window.__home - window.__submitted }));
  const atHome = bytes();
  if (app.form) {
    // Then a visit: from the tap on 记录 until its list is painted, then from the tap on
    // 新增走访 until the form is: both screens come in the app's other piece, fetched over
    // the same link if it has not come yet.
    const toList = await tapUntilPainted(page, "[data-testid=nav-visits]", "[data-testid=new-visit]");
    times.form = toList + (await tapUntilPainted(page, "[data-testid=new-visit]", app.form));
    times.bytesAtForm = bytes();
  }
  await context.close();
  return { ...times, bytes: atHome };
}

/** The field app opened again offline from its service worker, the CPU 4x slower. */
async function warm(browser, server) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "zh-CN" });
  await enrol(context, server, APPS[0].role);
  const page = await context.newPage();
  await page.goto(`${server.url}/`);
  await typePin(page, PIN);
  await page.locator(APPS[0].home).waitFor({ timeout: 60_000 });
  await new VisitApp(page).waitForOfflineReady();
  await context.setOffline(true);
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  await page.addInitScript(watch, APPS[0].home);
  await page.reload();
  await page.waitForFunction(() => window.__lock !== null, null, { timeout: 60_000 });
  await typePin(page, PIN);
  await page.waitForFunction(() => window.__home !== null, null, { timeout: 60_000 });
  const times = await page.evaluate(() => ({ lock: window.__lock, app: window.__home - window.__submitted }));
  await context.close();
  return times;
}

const ms = (x) => `${x.toFixed(0).padStart(6)} ms`;
await onServerAndBrowser(async (browser, server) => {
  console.log(`runs: ${RUNS} of each; a fresh profile each run; times in the page's own clock until painted`);
  for (const profile of PROFILES) {
    console.log(`\n${profile.name}`);
    for (const app of APPS) {
      const runs = [];
      for (let run = 0; run < RUNS; run++) runs.push(await once(browser, server, app, profile));
      const [lock, rest] = [stats(runs.map((r) => r.lock)), stats(runs.map((r) => r.app))];
      const kib = stats(runs.map((r) => r.bytes / 1024));
      console.log(`  ${app.name}`);
      console.log(`    lock painted        median ${ms(lock.median)}   p95 ${ms(lock.p95)}`);
      console.log(`    PIN to home screen  median ${ms(rest.median)}   p95 ${ms(rest.p95)}`);
      console.log(`    on the wire by then median ${kib.median.toFixed(1).padStart(6)} KiB (the API's answers included)`);
      const form = app.form ? stats(runs.map((r) => r.form)) : null;
      if (form) {
        const all = stats(runs.map((r) => r.lock + r.app + r.form));
        console.log(`    记录, 新增走访 → form median ${ms(form.median)}   p95 ${ms(form.p95)}`);
        console.log(`    every wait to form  median ${ms(all.median)}   p95 ${ms(all.p95)}`);
      }
      const group = `cold load, ${profile.short}`;
      keep("cold-load", [
        sampled(group, `${app.short}: lock painted`, "ms", runs.map((r) => r.lock)),
        sampled(group, `${app.short}: PIN to home screen`, "ms", runs.map((r) => r.app)),
        sampled(group, `${app.short}: on the wire by then`, "KiB", runs.map((r) => r.bytes / 1024)),
        ...(app.form
          ? [
              sampled(group, `${app.short}: then 记录 and 新增走访 to the visit form`, "ms", runs.map((r) => r.form)),
              // What she waits for in all, her own typing and taps left out: the peer's
              // benchmark (peer.bench.mjs) sets Enketo's form beside it.
              sampled(group, `${app.short}: to the visit form, every wait`, "ms", runs.map((r) => r.lock + r.app + r.form)),
              sampled(group, `${app.short}: on the wire by the visit form`, "KiB", runs.map((r) => r.bytesAtForm / 1024)),
            ]
          : []),
      ]);
    }
  }
  const runs = [];
  for (let run = 0; run < RUNS; run++) runs.push(await warm(browser, server));
  const [lock, rest] = [stats(runs.map((r) => r.lock)), stats(runs.map((r) => r.app))];
  console.log(`\nWarm start offline from the service worker (CPU 4x)\n  field app, a director`);
  console.log(`    lock painted        median ${ms(lock.median)}   p95 ${ms(lock.p95)}`);
  console.log(`    PIN to home screen  median ${ms(rest.median)}   p95 ${ms(rest.p95)}`);
  const group = "warm start offline (service worker, CPU 4x)";
  keep("cold-load", [
    sampled(group, "field: lock painted", "ms", runs.map((r) => r.lock)),
    sampled(group, "field: PIN to home screen", "ms", runs.map((r) => r.app)),
  ]);
});
