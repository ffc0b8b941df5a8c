// The peer beside Tongxing: Enketo (enketo-core, the offline web-form engine of ODK and
// KoboToolbox) showing the same questions as the standard home visit (tests/bench/enketo/,
// built by scripts/bench-peer.sh), measured as Tongxing is, in the same browser:
//   size       each file of its page, raw, gzip and brotli
//   cold load  a fresh profile, the page served compressed from loopback under the cold-load
//              benchmark's profiles (Lighthouse mobile, 2G), from navigation until the form
//              is ready for input and painted, and its bytes on the wire by then
//   keystroke  the same sentence typed into the same question (需求, needs_found) at the
//              same pace as the keystroke benchmark, without and with the CPU 4x slower
// Each figure names the Tongxing figure it stands beside (`vs`); tests/bench/report.mjs prints
// the ratio Tongxing ÷ Enketo of those measured in the same run. Prints; fails on nothing.
// Knobs: BENCH_RUNS (5), BENCH_KEYS (60), BENCH_THROTTLE (4), BENCH_PEER_DIR
// (target/bench/enketo).
import { readdirSync, readFileSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { chromium } from "@playwright/test";
import { args, executablePath } from "../e2e/chromium.mjs";
import { PROFILES, throttled } from "./profiles.mjs";
import { timeTyping, TYPING } from "./harness.mjs";
import { keep, sampled, single } from "./results.mjs";
import { stats } from "./stats.mjs";
import { FILE_KINDS, sumSizes, transferSize } from "./transfer-size.mjs";
import { serveStatic } from "./enketo/serve.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const THROTTLE = Number(process.env.BENCH_THROTTLE ?? 4);
const DIR = resolve(process.env.BENCH_PEER_DIR ?? "target/bench/enketo");
const VERSION = JSON.parse(readFileSync(new URL("enketo/node_modules/enketo-core/package.json", import.meta.url), "utf8")).version;
const PEER = `Enketo (enketo-core ${VERSION})`;
/** The question typed into, as enketo-transformer names its control. */
const NEEDS_FOUND = 'textarea[name="/data/needs_and_actions/needs_found"], input[name="/data/needs_and_actions/needs_found"]';
const ms = (x) => `${x.toFixed(0).padStart(6)} ms`;

function sizes() {
  const rows = readdirSync(DIR)
    .filter((name) => FILE_KINDS[extname(name)])
    .map((name) => ({ name, kind: FILE_KINDS[extname(name)], ...transferSize(join(DIR, name)) }));
  const group = `peer: ${PEER}, transfer size`;
  const figures = [];
  for (const kind of ["js", "css", "html"]) {
    const t = sumSizes(rows.filter((r) => r.kind === kind));
    figures.push(single(group, `${kind}, raw`, "KiB", t.raw / 1024), single(group, `${kind}, gzip`, "KiB", t.gz / 1024), single(group, `${kind}, brotli`, "KiB", t.br / 1024));
  }
  const total = sumSizes(rows);
  figures.push({ ...single(group, "the page, brotli", "KiB", total.br / 1024), vs: "transfer size, field app / first visit, brotli" });
  console.log(`${PEER}: ${rows.length} files, ${(total.raw / 1024).toFixed(1)} KiB raw, ${(total.gz / 1024).toFixed(1)} KiB gzip, ${(total.br / 1024).toFixed(1)} KiB brotli`);
  keep("peer", figures);
}

/** In the page: when the form is ready for input (page.js sets `__formReady`) and painted. */
function watchReady() {
  const wait = () => {
    if (window.__formReady === undefined) return requestAnimationFrame(wait);
    requestAnimationFrame(() => setTimeout(() => (window.__formPainted = performance.now())));
  };
  wait();
}

async function coldOnce(browser, url, profile) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "zh-CN" });
  const page = await context.newPage();
  const bytes = await throttled(context, page, profile);
  await page.addInitScript(watchReady);
  await page.goto(url, { timeout: 180_000 });
  await page.waitForFunction(() => window.__formPainted !== undefined, null, { timeout: 180_000 });
  const form = await page.evaluate(() => window.__formPainted);
  const atForm = bytes();
  await context.close();
  return { form, bytes: atForm };
}

async function coldLoad(browser, url) {
  for (const profile of PROFILES) {
    const runs = [];
    for (let run = 0; run < RUNS; run++) runs.push(await coldOnce(browser, url, profile));
    const form = stats(runs.map((r) => r.form));
    const kib = stats(runs.map((r) => r.bytes / 1024));
    console.log(`\n${profile.name}\n  ${PEER}`);
    console.log(`    navigation to the form ready  median ${ms(form.median)}   p95 ${ms(form.p95)}`);
    console.log(`    on the wire by then           median ${kib.median.toFixed(1).padStart(6)} KiB`);
    const group = `peer: ${PEER}, cold load, ${profile.short}`;
    const tongxing = `cold load, ${profile.short} / field`;
    keep("peer", [
      { ...sampled(group, "navigation to the visit form ready", "ms", runs.map((r) => r.form)), vs: `${tongxing}: to the visit form, every wait` },
      { ...sampled(group, "on the wire by then", "KiB", runs.map((r) => r.bytes / 1024)), vs: `${tongxing}: on the wire by the visit form` },
    ]);
  }
}

async function keystrokes(browser, url) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.__formReady !== undefined);
  const field = page.locator(NEEDS_FOUND).first();
  await field.scrollIntoViewIfNeeded();
  const cdp = await context.newCDPSession(page);
  const group = `peer: ${PEER}, typing in the full visit form`;
  for (const rate of [1, THROTTLE]) {
    await cdp.send("Emulation.setCPUThrottlingRate", { rate });
    const label = rate === 1 ? "no throttling" : `CPU ${rate}x slower`;
    const samples = await timeTyping(page, field, TYPING);
    const s = stats(samples);
    console.log(`\n${PEER}, typing, ${label}\n  input → painted  median ${s.median.toFixed(1)} ms   p95 ${s.p95.toFixed(1)} ms   (n=${samples.length})`);
    keep("peer", [{ ...sampled(group, `input → painted, ${label}`, "ms", samples), vs: `typing in the full visit form / input → painted, ${label}` }]);
  }
  await context.close();
}

sizes();
const site = await serveStatic(DIR);
const browser = await chromium.launch({ executablePath, args });
try {
  await coldLoad(browser, `${site.url}/`);
  await keystrokes(browser, `${site.url}/`);
} finally {
  await browser.close();
  await site.close();
}
