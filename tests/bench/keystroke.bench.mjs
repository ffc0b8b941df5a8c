// Benchmark of typing in the visit form: the release app, a child's visit with every
// required question of the standard form answered (the whole form shown, as at the end of a
// visit), then a sentence typed into 发现的需求 (needs found) a key at a time, at a brisk
// typist's pace (Chinese characters arriving as an IME's text, the rest as key presses). For
// each character it measures, in the page, from its `beforeinput` event's time stamp (the
// key's or the IME's) to the next painted frame: the app's input handling, its checks and
// the redraw (harness.mjs's timeTyping, which the peer's benchmark types with too). Without
// and with the CPU 4x slower (Chromium's Emulation.setCPUThrottlingRate). Prints median and
// p95; passes or fails nothing. Run it with scripts/bench-keystroke.sh.
// Knobs: BENCH_KEYS (60 keys a run), BENCH_THROTTLE (4).
import { onServerAndBrowser, timeTyping, TYPING } from "./harness.mjs";
import { stats } from "./stats.mjs";
import { keep, sampled } from "./results.mjs";
import { unlocks, VisitApp } from "../e2e/app.mjs";

const THROTTLE = Number(process.env.BENCH_THROTTLE ?? 4);
const FIELD = "needs_found";

async function measure(page, label) {
  const samples = await timeTyping(page, page.getByTestId(`field-${FIELD}`), TYPING);
  const s = stats(samples);
  const ms = (x) => `${x.toFixed(1).padStart(6)} ms`;
  console.log(`\n${label}\n  input → painted  median ${ms(s.median)}   p95 ${ms(s.p95)}   (max ${s.max.toFixed(1)}, n=${samples.length})`);
  keep("keystroke", [sampled("typing in the full visit form", `input → painted, ${label}`, "ms", samples)]);
}

await onServerAndBrowser(async (browser, server) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "zh-CN" });
  const page = await context.newPage();
  await unlocks(page);
  const app = new VisitApp(page);
  await app.open(server.url);
  await app.addChild({ name: "王小红" });
  await app.startVisit();
  await app.fillOrdinaryVisit();
  console.log(`${TYPING.keys} keys a run, ${TYPING.pace} ms apart, into "${FIELD}" of the standard form with every required question answered`);
  await measure(page, "no throttling");
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: THROTTLE });
  await measure(page, `CPU ${THROTTLE}x slower`);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
  await context.close();
});
