// Benchmark of the due list (the home screen) with a realistic full phone: 500 children and
// 6,000 visits (12 each over a year), seeded into the app's own IndexedDB as a phone kept
// them before it had a PIN (src/storage/codec.rs: JSON bytes as a Uint8Array; store names
// and keys from src/storage/database.rs and visits.rs); setting the PIN then seals every
// one of them (src/storage/sealing.rs), which it times once. It measures, in the page's own
// clock:
//   load      a page load of `/`, from the PIN's submission (the key derived, the records
//             opened) until every due group is drawn and painted
//   navigate  in-app navigation (tab "待访") from another screen until drawn and painted
//   search    typing a name into the search box until the list is redrawn and painted
//   clear     clearing the search until the whole list is back
// over several runs each, without and with 4x CPU throttling, and prints median and p95 in
// ms; and the most the tab's JavaScript heap held from the PIN on (sampled). It prints
// numbers only; nothing passes or fails. Run it with scripts/bench-due-list.sh.
import { onServerAndBrowser, watchHeap } from "./harness.mjs";
import { enrol, PIN } from "../e2e/app.mjs";
import { stats } from "./stats.mjs";
import { keep, sampled, single } from "./results.mjs";

const CHILDREN = Number(process.env.BENCH_CHILDREN ?? 500);
const VISITS_PER_CHILD = Number(process.env.BENCH_VISITS_PER_CHILD ?? 12);
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const THROTTLE = Number(process.env.BENCH_THROTTLE ?? 4);

/** Everything to seed, made in the page (dates from the page's own today). */
function seed({ children, visitsPerChild }) {
  // A small deterministic generator, so that every run seeds the same phone.
  // (mulberry32: exact in 32-bit integer arithmetic.)
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
  const day = (offset) => {
    const d = new Date();
    d.setHours(12, 0, 0, 0);
    d.setDate(d.getDate() + offset);
    const pad = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  };
  const savedAt = (date) => `${date}T16:30:00+08:00`;
  const utc = (date) => `${date}T08:30:00Z`;
  const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗".split("");
  const given = "小明红华丽军伟芳娜敏静强磊洋艳勇杰娟涛超秀英兰婷雪梅浩宇欣怡子轩梓涵".split("");
  const villages = ["石桥村", "柳树湾村", "大坪村", "新田村", "河口社区", "高岭村"];
  const categories = ["left_behind", "orphan_dispersed", "unsupported", "disabled", "seriously_ill", "low_income_family", "migrant"];
  const cadence = { red: 7, yellow: 14, blue: 30, green: 30 };
  // The colour a child is at now: 5% red, 15% yellow, 30% blue, 50% green.
  const colourOf = () => {
    const r = random();
    return r < 0.05 ? "red" : r < 0.2 ? "yellow" : r < 0.5 ? "blue" : "green";
  };

  const out = { children: [], visits: [], summaries: [], latest: [], outbox: [] };
  for (let c = 0; c < children; c++) {
    const id = uuid();
    const colour = colourOf();
    const name = pick(surnames) + pick(given) + (random() < 0.7 ? pick(given) : "");
    const birth = day(-Math.floor(365 * (2 + random() * 13)));
    const child = {
      id, name, sex: random() < 0.5 ? "male" : "female", birth_date: birth, id_number: null,
      village: pick(villages), categories: [pick(categories)],
      guardians: [{ name: pick(surnames) + pick(given) + pick(given), relation: "grandparent", phone: "13800138000" }],
      school: "镇中心小学", notes: "", revision: 1, updated_at: savedAt(day(-400)),
    };
    out.children.push(child);
    out.outbox.push([`child:${id}`, outboxEntry("child", id, day(-400))]);
    // The latest visit 0–40 days ago, the others about a month apart before it.
    let daysAgo = Math.floor(random() * 41);
    for (let v = 0; v < visitsPerChild; v++) {
      const visitId = uuid();
      const date = day(-daysAgo);
      const thisColour = v === 0 ? colour : colourOf();
      const next = day(-daysAgo + cadence[thisColour]);
      const harm = random() < 0.01;
      const answers = {
        visit_date: date, visit_type: pick(["home", "home", "home", "phone", "school"]), present: ["child", "grandparent"],
        food_clothing_adequate: true, housing_safety: "safe", income_source: "parents_working_away", benefits_received: ["dibao"],
        carer_relation: "grandparent", main_carer: child.guardians[0].name, carer_capacity: pick(["able", "weak"]),
        guardianship_letter_signed: true, father_whereabouts: "away_out_of_province", mother_whereabouts: "away_in_province",
        parent_contact_frequency: "weekly", health_status: "good", seriously_ill: false, disabled: false, medical_insurance: true,
        in_school: true, school_name: child.school, school_grade: "三年级", attendance: "regular", dropout_risk: false,
        mood: "stable", online_habits: "moderate", seasonal_dangers: ["drowning"], safety_education_given: true,
        harm_signs: harm, serious_neglect: false, abandonment: false,
        needs_found: "孩子学习用品不足，已联系学校。", policies_linked: ["study_grant"], referrals_made: [],
        risk_colour: thisColour, photo_consent: false, next_visit_date: next,
      };
      out.visits.push([visitId, { id: visitId, child_id: id, form_id: "home_visit", form_version: 1, answers, revision: 1, updated_at: savedAt(date) }]);
      const summary = {
        visit_id: visitId, child_id: id, visit_date: date, risk_colour: thisColour, next_visit: next,
        mandatory_report: harm, revision: 1, updated_at: savedAt(date),
      };
      out.summaries.push([`${id}/${visitId}`, summary]);
      // The first is the latest: the others are older.
      if (v === 0) out.latest.push([id, summary]);
      out.outbox.push([`visit:${visitId}`, outboxEntry("visit", visitId, date)]);
      daysAgo += 25 + Math.floor(random() * 10);
    }
  }
  return out;

  function outboxEntry(kind, id, date) {
    return {
      record: { kind, id }, revision: 1, state: "sent", attempts: 1, queued_at: utc(date), urgent: false,
      next_attempt_at: utc(date), last_error: null, park_reason: null, sent_at: utc(date),
    };
  }
}

/** Writes the seed into the app's database (already created by the app) in one transaction. */
async function write(page, options) {
  return page.evaluate(async ({ seedSource, options }) => {
    const data = new Function(`return (${seedSource})`)()(options);
    const encoder = new TextEncoder();
    const encode = (value) => encoder.encode(JSON.stringify(value));
    const db = await new Promise((done, fail) => {
      const open = indexedDB.open("tongxing");
      open.onsuccess = () => done(open.result);
      open.onerror = () => fail(open.error);
    });
    const stores = { children: "children", visits: "visit_records", summaries: "visit_summaries", latest: "latest_visits", outbox: "outbox_delivered" };
    const tx = db.transaction(Object.values(stores), "readwrite");
    for (const child of data.children) tx.objectStore(stores.children).put(encode(child), child.id);
    for (const [key, value] of data.visits) tx.objectStore(stores.visits).put(encode(value), key);
    for (const [key, value] of data.summaries) tx.objectStore(stores.summaries).put(encode(value), key);
    for (const [key, value] of data.latest) tx.objectStore(stores.latest).put(encode(value), key);
    for (const [key, value] of data.outbox) tx.objectStore(stores.outbox).put(encode(value), key);
    await new Promise((done, fail) => {
      tx.oncomplete = done;
      tx.onerror = () => fail(tx.error);
    });
    db.close();
    return { children: data.children.length, visits: data.visits.length, sampleName: data.children[0].name };
  }, { seedSource: seed.toString(), options });
}

// In the page: resolves with the time from `start` until `selector` is in the document and
// the frame holding it has been painted.
const READY = "[data-testid=due-group-later]";
const inPage = {
  /** Records, from navigation start, when the PIN is submitted and when the due list is
   * first drawn and painted after it. */
  watchLoad: (selector) => {
    window.__dueReady = null;
    window.__pinSubmitted = null;
    document.addEventListener("submit", () => (window.__pinSubmitted ??= performance.now()), true);
    const seen = () => {
      requestAnimationFrame(() => setTimeout(() => (window.__dueReady = performance.now())));
    };
    const observer = new MutationObserver(() => {
      if (document.querySelector(selector)) {
        observer.disconnect();
        seen();
      }
    });
    observer.observe(document, { childList: true, subtree: true });
  },
  navigate: async (selector) => {
    const start = performance.now();
    document.querySelector("[data-testid=nav-due]").click();
    return waitFor(() => document.querySelector(selector), start);

    function waitFor(test, start) {
      return new Promise((done) => {
        const check = () => {
          if (!test()) return false;
          requestAnimationFrame(() => setTimeout(() => done(performance.now() - start)));
          return true;
        };
        if (check()) return;
        const observer = new MutationObserver(() => check() && observer.disconnect());
        observer.observe(document.body, { childList: true, subtree: true });
      });
    }
  },
  search: async (text) => {
    const input = document.querySelector("[data-testid=due-search]");
    const list = document.querySelector("[data-testid=due-list]");
    return new Promise((done) => {
      let start;
      const observer = new MutationObserver(() => {
        observer.disconnect();
        requestAnimationFrame(() => setTimeout(() => done(performance.now() - start)));
      });
      observer.observe(list, { childList: true, subtree: true });
      start = performance.now();
      input.value = text;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
  },
};


const ms = (x) => `${x.toFixed(1).padStart(7)} ms`;

/** Types the PIN into the lock on screen (set or unlock); the time from its submission
 * until the due list is painted. */
async function unlock(page) {
  const setting = page.getByTestId("set-pin");
  await setting.or(page.getByTestId("unlock")).first().waitFor({ timeout: 60_000 });
  await page.getByTestId("pin").fill(PIN);
  if (await setting.count()) await page.getByTestId("pin-again").fill(PIN);
  await page.getByTestId("pin-submit").click();
  await page.waitForFunction(() => window.__dueReady !== null, null, { timeout: 300_000 });
  return page.evaluate(() => window.__dueReady - window.__pinSubmitted);
}

async function measure(page, base, label, sampleName) {
  const surname = sampleName.slice(0, 1);
  const samples = { load: [], navigate: [], [`search "${surname}"`]: [], [`search "${sampleName}"`]: [], clear: [] };
  let counts = null;
  for (let run = 0; run < RUNS; run++) {
    await page.goto(`${base}/`);
    samples.load.push(await unlock(page));
    counts ??= await page.evaluate(() => ({
      month: document.querySelector("[data-testid=month-progress]")?.textContent.trim(),
      groups: Object.fromEntries(
        [...document.querySelectorAll("[data-testid^=due-group-]")].map((g) => [g.dataset.testid.replace("due-group-", ""), Number(g.dataset.count)]),
      ),
      rowsDrawn: document.querySelectorAll("[data-testid=due-entry]").length,
    }));
    await page.getByTestId("settings-link").click();
    await page.getByTestId("settings-page").waitFor();
    samples.navigate.push(await page.evaluate(inPage.navigate, READY));
    samples[`search "${surname}"`].push(await page.evaluate(inPage.search, surname));
    samples.clear.push(await page.evaluate(inPage.search, ""));
    samples[`search "${sampleName}"`].push(await page.evaluate(inPage.search, sampleName));
    await page.evaluate(inPage.search, "");
  }
  console.log(`\n${label}`);
  for (const [name, values] of Object.entries(samples)) {
    const s = stats(values);
    console.log(`  ${name.padEnd(22)} median ${ms(s.median)}   p95 ${ms(s.p95)}   (min ${s.min.toFixed(1)}, max ${s.max.toFixed(1)}, n=${values.length})`);
  }
  keep("due-list", Object.entries(samples).map(([name, values]) => sampled(`due list, ${CHILDREN} children × ${VISITS_PER_CHILD} visits, ${label}`, name, "ms", values)));
  return counts;
}

await onServerAndBrowser(async (browser, server) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "zh-CN" });
  const page = await context.newPage();
  // A phone that has joined, as in the field (no "not joined yet" notice on the home screen).
  await enrol(page, server);
  await page.addInitScript(inPage.watchLoad, READY);
  // The app creates its database on first open, before asking for a PIN; the phone is
  // filled, then the PIN set seals all of it.
  await page.goto(`${server.url}/`);
  await page.getByTestId("set-pin").waitFor({ timeout: 60_000 });
  const seeded = await write(page, { children: CHILDREN, visitsPerChild: VISITS_PER_CHILD });
  console.log(`seeded ${seeded.children} children and ${seeded.visits} visits (with their summaries and delivered outbox entries)`);
  await page.reload();
  // The app's own heap from here: the seeding above was the benchmark's.
  const heap = await watchHeap(page);
  console.log(`setting the PIN sealed them all and drew the due list in ${ms(await unlock(page))}`);
  console.log(`runs: ${RUNS} of each; times from the action until the frame showing its result is painted`);

  const counts = await measure(page, server.url, "no throttling", seeded.sampleName);
  console.log(`  on screen: "${counts.month}"; groups ${JSON.stringify(counts.groups)}; ${counts.rowsDrawn} lines drawn`);
  const listed = Object.values(counts.groups).reduce((a, b) => a + b, 0);
  if (listed !== seeded.children) console.log(`  WARNING: ${seeded.children} children seeded but ${listed} listed`);

  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: THROTTLE });
  await measure(page, server.url, `CPU throttled ${THROTTLE}x (Emulation.setCPUThrottlingRate)`, seeded.sampleName);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
  const peak = (await heap.peak()) / 2 ** 20;
  console.log(`\nthe tab's JavaScript heap at most ${peak.toFixed(1)} MiB (sampled every 100 ms; WebAssembly's memory is apart)`);
  keep("due-list", [single(`due list, ${CHILDREN} children × ${VISITS_PER_CHILD} visits`, "the tab's peak JS heap", "MiB", peak)]);
});
