// Benchmark of a new phone's first sync down of a village, in a real browser: the real server
// holds a village of BENCH_CHILDREN children (200) with BENCH_VISITS visits each (12, a month
// apart over the last year), sent over the API as its director's first phone sent them; then
// a new phone (a fresh browser profile) opens an invite link of the village's director, sets
// its PIN and joins, as a worker does, and pulls the village (GET /api/v1/changes, page after
// page) over a throttled link. It measures
//   join → village   from the tap on "加入" (the join form's submission) until every child
//                    is counted in the due list's groups, the pull has ended (the "立即同步"
//                    button is enabled again) and that frame is painted
//   PIN → village    the same from the PIN's submission (the join form typed meanwhile, by
//                    the bench: a few ms)
//   link → village   the same from the navigation to the invite link (the app's own download)
// with the join tap's time split into: until the first page is asked for; from it until the
// last page is in (waiting for pages, and the phone's own time between them: reading,
// checking and storing each page before it asks for the next); and from the last page until
// the due list is painted. From the DevTools protocol's network events: the requests to
// /api/v1/changes (pages), their bytes received on the wire (compressed, headers included:
// `encodedDataLength`; the requests' own bytes up are not counted) and decoded, the other
// API requests, and the app's own files. Then the cost of a sync when nothing changed:
// "立即同步" tapped, and the app opened again (a reload and the PIN), each with its requests
// and bytes.
//
// Variants (BENCH_VARIANTS, comma-separated, default "unthrottled,3g,3g-cpu"):
//   unthrottled  loopback as it is
//   3g           Lighthouse's mobile link (150 ms round trip, 1.6 Mbps down, 750 kbps up)
//                through Network.emulateNetworkConditions
//   3g-cpu       the same, and the CPU 4x slower (BENCH_CPU) through
//                Emulation.setCPUThrottlingRate
//   3g-devtools  (opt-in) the link as Lighthouse itself applies it through DevTools, whose
//                throttling is per request rather than per packet: 562.5 ms latency (150 ms
//                x 3.75), 90% of the throughput; the CPU 4x slower
// Service workers are blocked, as in cold-load.bench.mjs: the DevTools throttling of a page
// does not reach its service worker, whose precaching would go out unthrottled.
//
// It prints numbers only; nothing passes or fails, except that it exits non-zero when a
// phone does not hold the whole village within BENCH_TIMEOUT_S (180) seconds. Run it with
// scripts/bench-first-sync.sh. Other knobs: BENCH_RUNS (1; with more, medians),
// BENCH_SEND_AT_ONCE (8: requests in flight while the village is sent).
import { chromium } from "@playwright/test";
import { args, executablePath } from "../e2e/chromium.mjs";
import { TestServer } from "../e2e/server.mjs";
import { PIN } from "../e2e/app.mjs";
import { stats } from "./stats.mjs";
import { keep, sampled } from "./results.mjs";

const CHILDREN = Number(process.env.BENCH_CHILDREN ?? 200);
const VISITS = Number(process.env.BENCH_VISITS ?? 12);
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const CPU = Number(process.env.BENCH_CPU ?? 4);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 180) * 1000;
const SEND_AT_ONCE = Number(process.env.BENCH_SEND_AT_ONCE ?? 8);
const PLACE = { township: "石门镇", village: "石桥村" };
const CHANGES = "/api/v1/changes";

// Bytes a second, from kilobits a second as the DevTools protocol takes them.
const kbps = (n) => (n * 1000) / 8;
const LIGHTHOUSE_3G = { latency: 150, downloadThroughput: kbps(1638.4), uploadThroughput: kbps(750) };
const VARIANTS = {
  unthrottled: { name: "unthrottled" },
  "3g": { name: "3G", network: LIGHTHOUSE_3G },
  "3g-cpu": { name: `3G + CPU ${CPU}x`, network: LIGHTHOUSE_3G, cpu: CPU },
  "3g-devtools": {
    name: `LH DevTools 3G + CPU ${CPU}x`,
    network: { latency: 150 * 3.75, downloadThroughput: kbps(1638.4 * 0.9), uploadThroughput: kbps(750 * 0.9) },
    cpu: CPU,
  },
};

// ---------------------------------------------------------------------------------------
// The village on the server

/** The village's records, the same every run (but for dates, counted back from today):
 * [{ child, visits }], each child's visits a month apart, the latest 3 to 33 days ago. Shaped as the app sends them (core's `Child`
 * and `Visit` with the standard home-visit form's answers, as in core's fixtures). */
function village({ children, visits }) {
  // A small deterministic generator (mulberry32: exact in 32-bit integer arithmetic).
  let state = 20261123;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (list) => list[Math.floor(random() * list.length)];
  const hex = (n) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join("");
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗".split("");
  const given = "小明红华丽军伟芳娜敏静强磊洋艳勇杰娟涛超秀英兰婷雪梅浩宇欣怡子轩梓涵".split("");
  const categories = ["left_behind", "left_behind", "orphan_dispersed", "disabled", "low_income_family"];
  // Days to the next visit by colour; a colour other than the rules' suggestion (yellow for
  // these answers: a grandmother of weak health) carries its reason.
  const cadence = { red: 7, yellow: 14, blue: 30, green: 30 };
  const colour = () => {
    const r = random();
    return r < 0.05 ? "red" : r < 0.4 ? "yellow" : r < 0.7 ? "blue" : "green";
  };

  const out = [];
  for (let c = 0; c < children; c++) {
    const carer = pick(surnames) + pick(given) + pick(given);
    const child = {
      id: uuid(),
      name: pick(surnames) + pick(given) + (random() < 0.7 ? pick(given) : ""),
      sex: random() < 0.5 ? "male" : "female",
      birth_date: day(-Math.floor(365 * (2 + random() * 13))),
      id_number: null,
      village: PLACE.village,
      categories: [pick(categories)],
      guardians: [{ name: carer, relation: "grandparent", phone: "13800138000" }],
      school: "石桥镇中心小学",
      notes: random() < 0.3 ? "父母在广东打工" : "",
      revision: 1,
      updated_at: `${day(-400)}T16:30:00+08:00`,
    };
    const childVisits = [];
    let daysAgo = 3 + Math.floor(random() * 31);
    for (let v = 0; v < visits; v++) {
      const date = day(-daysAgo);
      const risk = colour();
      const answers = {
        visit_date: date, visit_type: "home", present: ["child", "grandparent"],
        food_clothing_adequate: true, housing_safety: "safe", income_source: "parents_working_away",
        benefits_received: ["dibao"],
        carer_relation: "grandparent", main_carer: carer, carer_capacity: "weak",
        guardianship_letter_signed: true, guardianship_letter_signed_by: `${carer}（祖母）`,
        father_whereabouts: "away_out_of_province", mother_whereabouts: "away_in_province",
        parent_contact_frequency: "weekly",
        health_status: "good", seriously_ill: false, disabled: false, medical_insurance: true,
        in_school: true, school_name: child.school, school_grade: "三年级", attendance: "regular",
        dropout_risk: false,
        mood: "stable", online_habits: "moderate", seasonal_dangers: ["drowning"], safety_education_given: true,
        harm_signs: false, serious_neglect: false, abandonment: false,
        needs_found: "孩子学习用品不足，已联系学校。", policies_linked: ["study_grant"], referrals_made: [],
        risk_colour: risk,
        ...(risk === "yellow" ? {} : { risk_colour_reason: risk === "red" ? "孩子近来情绪低落" : "父亲已返乡照顾" }),
        photo_consent: false,
        next_visit_date: day(-daysAgo + cadence[risk]),
      };
      childVisits.push({
        id: uuid(), child_id: child.id, form_id: "home_visit", form_version: 1, answers,
        revision: 1, updated_at: `${date}T16:30:00+08:00`,
      });
      daysAgo += 28 + Math.floor(random() * 5);
    }
    out.push({ child, visits: childVisits });
  }
  return out;
}

/** Sends the village over the API as its director's first phone would (a child's file,
 * then its visits), SEND_AT_ONCE children at a time. Returns the seconds it took. */
async function sendVillage(server, records) {
  const { token } = await server.enroll({ name: "李芳", role: "director", ...PLACE });
  const put = async (path, record) => {
    const res = await fetch(`${server.url}/api/v1/${path}/${record.id}`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(record),
    });
    if (!res.ok) throw new Error(`PUT ${path}/${record.id} answered ${res.status}: ${await res.text()}`);
  };
  const started = performance.now();
  let next = 0;
  const sender = async () => {
    while (next < records.length) {
      const { child, visits } = records[next++];
      await put("children", child);
      for (const visit of visits) await put("visits", visit);
    }
  };
  await Promise.all(Array.from({ length: SEND_AT_ONCE }, sender));
  return (performance.now() - started) / 1000;
}

// ---------------------------------------------------------------------------------------
// The phone

/** Every request of a page, from the DevTools protocol's network events, tagged with the
 * phase it was made in: its path, when it was sent and finished (epoch ms, as the page's
 * marks), its bytes on the wire (compressed, headers included) and decoded, its
 * Content-Encoding and whether the browser's cache answered it. */
class WireLog {
  constructor(cdp) {
    this.phase = null;
    this.requests = new Map();
    // The protocol's events carry a monotonic clock in seconds; the first request's wall
    // time ties it to the epoch.
    let offset = null;
    const epochMs = (timestamp) => (timestamp + offset) * 1000;
    const of = (id) => this.requests.get(id);
    cdp.on("Network.requestWillBeSent", (e) => {
      if (this.requests.has(e.requestId)) return; // a redirect of the same request
      const url = new URL(e.request.url);
      if (!url.protocol.startsWith("http")) return;
      offset ??= e.wallTime - e.timestamp;
      this.requests.set(e.requestId, {
        phase: this.phase, path: url.pathname, sent: epochMs(e.timestamp), done: null,
        wire: 0, decoded: 0, encoding: null, status: null, cached: false, failed: null,
      });
    });
    cdp.on("Network.responseReceived", (e) => {
      const r = of(e.requestId);
      if (!r) return;
      const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
      r.status = e.response.status;
      r.encoding = headers["content-encoding"] ?? "identity";
      r.cached = Boolean(e.response.fromDiskCache || e.response.fromServiceWorker);
    });
    cdp.on("Network.requestServedFromCache", (e) => of(e.requestId) && (of(e.requestId).cached = true));
    cdp.on("Network.dataReceived", (e) => of(e.requestId) && (of(e.requestId).decoded += e.dataLength));
    cdp.on("Network.loadingFinished", (e) => {
      const r = of(e.requestId);
      if (!r) return;
      r.wire = e.encodedDataLength;
      r.done = epochMs(e.timestamp);
    });
    cdp.on("Network.loadingFailed", (e) => {
      const r = of(e.requestId);
      if (!r) return;
      r.failed = e.errorText;
      r.done = epochMs(e.timestamp);
    });
  }

  /** The requests made in `phase`, in the order they were sent. */
  of(phase) {
    return [...this.requests.values()].filter((r) => r.phase === phase).sort((a, b) => a.sent - b.sent);
  }

  /** Waits (at most 10 s) until every request of `phase` has finished. */
  async settled(phase) {
    const deadline = Date.now() + 10_000;
    while (this.of(phase).some((r) => r.done === null) && Date.now() < deadline) await sleep(50);
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** In the page, before the app (again after any reload): notes in sessionStorage, as epoch
 * milliseconds, when the invite link was opened, when the PIN and the join form were
 * submitted, when `expected` children were first counted in the due list's groups, and when
 * that was so with no sync running ("立即同步" enabled), each once its frame is painted. */
function watchFirstSync(expected) {
  const KEY = "bench.first-sync";
  let marks;
  try {
    marks = JSON.parse(sessionStorage.getItem(KEY) ?? "{}");
  } catch {
    return; // about:blank and other pages without storage
  }
  const mark = (name, at = performance.timeOrigin + performance.now()) => {
    if (marks[name] != null) return;
    marks[name] = at;
    sessionStorage.setItem(KEY, JSON.stringify(marks));
  };
  const painted = (name) => requestAnimationFrame(() => setTimeout(() => mark(name)));
  mark("opened", performance.timeOrigin);
  if (marks.village != null) return;
  document.addEventListener("submit", (ev) => {
    if (ev.target.querySelector("[data-testid=join-submit]")) mark("join");
    else if (ev.target.querySelector("[data-testid=pin-submit]")) mark("pin");
  }, true);
  let seen = false;
  let done = false;
  const check = () => {
    let shown = 0;
    for (const group of document.querySelectorAll("[data-testid^=due-group-]")) shown += Number(group.dataset.count);
    window.__benchShown = shown;
    if (shown < expected || done) return;
    if (!seen) {
      seen = true;
      painted("shown");
    }
    const syncNow = document.querySelector("[data-testid=sync-now]");
    if (syncNow && !syncNow.disabled) {
      done = true;
      painted("village");
    }
  };
  new MutationObserver(check).observe(document, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["data-count", "disabled"],
  });
}

/** Waits until "立即同步" is enabled: no sync is running. */
const syncIdle = (page) =>
  page.waitForFunction(() => document.querySelector("[data-testid=sync-now]")?.disabled === false, null, { timeout: TIMEOUT_MS });

/** What the requests of one phase cost: the pages of changes and their bytes, when the
 * first was asked for and the last came in (epoch ms), the time spent waiting for them, and
 * the other requests. */
function cost(requests) {
  const changes = requests.filter((r) => r.path === CHANGES);
  const api = requests.filter((r) => r.path.startsWith("/api/") && r.path !== CHANGES);
  const app = requests.filter((r) => !r.path.startsWith("/api/"));
  const sum = (list, value) => list.reduce((n, r) => n + value(r), 0);
  const firstPageSent = changes.length ? changes[0].sent : null;
  const lastPageIn = changes.length ? Math.max(...changes.map((r) => r.done ?? r.sent)) : null;
  // Between the first page asked for and the last one in: waiting for pages, and the rest
  // (the phone reading, checking and storing each page before it asks for the next).
  const waiting = sum(changes, (r) => (r.done ?? r.sent) - r.sent);
  return {
    pages: changes.length,
    changesWire: sum(changes, (r) => r.wire),
    changesDecoded: sum(changes, (r) => r.decoded),
    encodings: [...new Set(changes.map((r) => r.encoding))].join(", "),
    firstPageSent,
    lastPageIn,
    pagesWaiting: waiting,
    betweenPages: changes.length ? lastPageIn - firstPageSent - waiting : 0,
    failed: requests.filter((r) => r.failed || (r.status ?? 0) >= 400).map((r) => `${r.path} ${r.failed ?? r.status}`),
    api: api.length,
    apiWire: sum(api, (r) => r.wire),
    apiPaths: api.map((r) => r.path.replace(/^\/api\/v1\//, "").replace(/^invites\/.*/, "invites/{code}")).join(" "),
    app: app.filter((r) => !r.cached).length,
    appWire: sum(app, (r) => r.wire),
  };
}

/** Types `pin` on the lock, once (unlocking) or twice (setting it). */
async function typePin(page) {
  await page.getByTestId("pin").fill(PIN);
  if (await page.getByTestId("pin-again").count()) await page.getByTestId("pin-again").fill(PIN);
  await page.getByTestId("pin-submit").click();
}

/** A sync when nothing changed, started by `start`: waits for its page of changes and until
 * no sync runs; what its requests cost, and how long it took (ms, as seen from here). */
async function idleSync(page, log, phase, start) {
  log.phase = phase;
  const started = performance.now();
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname === CHANGES, { timeout: TIMEOUT_MS });
  await start();
  await answered;
  await syncIdle(page);
  const took = performance.now() - started;
  await sleep(500); // anything the run sends after its pull
  await log.settled(phase);
  return { ...cost(log.of(phase)), took };
}

/** One new phone of the village's director, under `variant`: joins by the invite link and
 * pulls the village; then a sync when nothing changed, and the app opened again. Returns
 * the figures, or throws when the village does not arrive in time. */
async function newPhone(browser, server, variant) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "zh-CN", serviceWorkers: "block" });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const log = new WireLog(cdp);
    await cdp.send("Network.enable");
    if (variant.network) await cdp.send("Network.emulateNetworkConditions", { offline: false, ...variant.network });
    if (variant.cpu) await cdp.send("Emulation.setCPUThrottlingRate", { rate: variant.cpu });
    await page.addInitScript(watchFirstSync, CHILDREN);

    // As the director does: opens the link, sets a PIN, types her name and number, joins.
    log.phase = "first";
    const link = server.invite({ role: "director", ...PLACE });
    await page.goto(link, { timeout: TIMEOUT_MS });
    await page.getByTestId("set-pin").waitFor({ timeout: TIMEOUT_MS });
    await typePin(page);
    await page.getByTestId("join-name").fill("李芳");
    await page.getByTestId("join-phone").fill("13800138000");
    await page.getByTestId("join-submit").click();
    try {
      await page.waitForFunction(() => {
        const marks = JSON.parse(sessionStorage.getItem("bench.first-sync") ?? "{}");
        return marks.village != null;
      }, null, { timeout: TIMEOUT_MS, polling: 100 });
    } catch (timedOut) {
      const shown = await page.evaluate(() => window.__benchShown ?? 0).catch(() => "?");
      throw new Error(`the village did not arrive within ${TIMEOUT_MS / 1000} s: ${shown} of ${CHILDREN} children shown (${timedOut.message.split("\n")[0]})`);
    }
    const marks = await page.evaluate(() => JSON.parse(sessionStorage.getItem("bench.first-sync")));
    await log.settled("first");
    const first = cost(log.of("first"));

    // Nothing changed since: "立即同步", then the app opened again (the first run after
    // opening pulls).
    const syncNow = await idleSync(page, log, "sync now", () => page.getByTestId("sync-now").click());
    const reopened = await idleSync(page, log, "reopened", async () => {
      await page.reload({ timeout: TIMEOUT_MS });
      await page.getByTestId("unlock").waitFor({ timeout: TIMEOUT_MS });
      await typePin(page);
    });
    return {
      joinToVillage: marks.village - marks.join,
      pinToVillage: marks.village - marks.pin,
      linkToVillage: marks.village - marks.opened,
      joinToShown: marks.shown - marks.join,
      // The join tap's time split: until the first page is asked for (joining, the first
      // sync run), the pages, and after the last page (storing it, the due list redrawn).
      joinToFirstPage: first.firstPageSent - marks.join,
      pages: first.lastPageIn - first.firstPageSent,
      lastPageToVillage: marks.village - first.lastPageIn,
      first,
      syncNow,
      reopened,
    };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------
// The table

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

/** The rows of the table: a label and how to show a variant's runs. */
const ROWS = [
  ["first sync", null],
  ["  join tap → whole village", (runs) => seconds(median(runs, (r) => r.joinToVillage))],
  ["  PIN set → whole village", (runs) => seconds(median(runs, (r) => r.pinToVillage))],
  ["  link opened → whole village", (runs) => seconds(median(runs, (r) => r.linkToVillage))],
  ["    join tap → first page asked", (runs) => seconds(median(runs, (r) => r.joinToFirstPage))],
  ["    first page asked → last in", (runs) => seconds(median(runs, (r) => r.pages))],
  ["      waiting for pages", (runs) => seconds(median(runs, (r) => r.first.pagesWaiting))],
  ["      on the phone between", (runs) => seconds(median(runs, (r) => r.first.betweenPages))],
  ["    last page in → on screen", (runs) => seconds(median(runs, (r) => r.lastPageToVillage))],
  ["  pages of changes", (runs) => `${median(runs, (r) => r.first.pages)}`],
  ["  changes on the wire", (runs) => kib(median(runs, (r) => r.first.changesWire))],
  ["  changes decoded", (runs) => kib(median(runs, (r) => r.first.changesDecoded))],
  ["  encoding", (runs) => runs[0].first.encodings],
  ["  other API requests", (runs) => `${runs[0].first.api}, ${kib(median(runs, (r) => r.first.apiWire))}`],
  ["  app files (not cached)", (runs) => `${runs[0].first.app}, ${kib(median(runs, (r) => r.first.appWire))}`],
  ["nothing changed: 立即同步", null],
  ["  requests to changes", (runs) => `${runs[0].syncNow.pages}, ${median(runs, (r) => r.syncNow.changesWire)} B`],
  ["  other API requests", (runs) => `${runs[0].syncNow.api}, ${median(runs, (r) => r.syncNow.apiWire)} B`],
  ["  tap → sync ended", (runs) => seconds(median(runs, (r) => r.syncNow.took))],
  ["nothing changed: app reopened", null],
  ["  requests to changes", (runs) => `${runs[0].reopened.pages}, ${median(runs, (r) => r.reopened.changesWire)} B`],
  ["  other API requests", (runs) => `${runs[0].reopened.api}, ${median(runs, (r) => r.reopened.apiWire)} B`],
  ["  app files (not cached)", (runs) => `${runs[0].reopened.app}, ${kib(median(runs, (r) => r.reopened.appWire))}`],
];

function median(runs, value) {
  return stats(runs.map(value)).median;
}

function printTable(results) {
  const names = Object.keys(results);
  const width = Math.max(...ROWS.map(([label]) => label.length)) + 2;
  const column = (text) => String(text).padStart(Math.max(18, ...names.map((n) => n.length + 2)));
  console.log(`\n${"".padEnd(width)}${names.map(column).join("")}`);
  for (const [label, show] of ROWS) {
    const cells = show ? names.map((name) => (results[name].length ? show(results[name]) : "—")) : [];
    console.log(`${label.padEnd(width)}${cells.map(column).join("")}`);
  }
}

// ---------------------------------------------------------------------------------------

const chosen = (process.env.BENCH_VARIANTS ?? "unthrottled,3g,3g-cpu").split(",").map((v) => v.trim()).filter(Boolean);
for (const key of chosen) if (!VARIANTS[key]) throw new Error(`unknown variant ${key}; known: ${Object.keys(VARIANTS).join(", ")}`);

const server = new TestServer();
// Sent at full speed: the director's first phone would spread it over a year.
server.extraArgs = ["--rate-per-second", "100000", "--rate-burst", "100000"];
await server.start();
let browser = null;
let failed = false;
try {
  const records = village({ children: CHILDREN, visits: VISITS });
  const took = await sendVillage(server, records);
  console.log(`sent ${CHILDREN} children and ${CHILDREN * VISITS} visits of ${PLACE.village} in ${took.toFixed(1)} s (${SEND_AT_ONCE} at once)`);
  // The new phones meet the server as phones do, with its default limits.
  await server.stop();
  server.extraArgs = [];
  await server.start();

  browser = await chromium.launch({ executablePath, args });
  const results = {};
  for (const key of chosen) {
    const variant = VARIANTS[key];
    results[variant.name] = [];
    for (let run = 0; run < RUNS; run++) {
      try {
        const result = await newPhone(browser, server, variant);
        results[variant.name].push(result);
        const problems = [...result.first.failed, ...result.syncNow.failed, ...result.reopened.failed];
        console.log(`${variant.name}, run ${run + 1}: join tap → whole village ${seconds(result.joinToVillage)}` +
          ` (all counted after ${seconds(result.joinToShown)}); other API requests: ${result.first.apiPaths}` +
          `${problems.length ? `; refused or failed: ${problems.join(", ")}` : ""}`);
      } catch (error) {
        failed = true;
        console.log(`${variant.name}, run ${run + 1}: ${error.message}`);
      }
    }
  }
  console.log(`\n${CHILDREN} children × ${VISITS} visits; a fresh profile each run (service workers blocked); ` +
    `${RUNS > 1 ? `medians of ${RUNS} runs; ` : ""}bytes on the wire include headers`);
  printTable(results);
  for (const [name, runs] of Object.entries(results)) {
    if (runs.length === 0) continue;
    const group = `first sync down, ${CHILDREN} children × ${VISITS} visits, ${name}`;
    keep("first-sync", [
      sampled(group, "join tap → whole village", "ms", runs.map((r) => r.joinToVillage)),
      sampled(group, "changes on the wire", "KiB", runs.map((r) => r.first.changesWire / 1024)),
    ]);
  }
} finally {
  await browser?.close();
  await server.dispose();
}
if (failed) process.exitCode = 1;
