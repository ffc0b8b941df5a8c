// The fault soak: the real app in headless Chromium, against the real server (its data on a
// small tmpfs where the machine lets it mount one), through the fault-injecting proxy
// (fault-proxy.mjs), for a seeded number of runs. Two directors of one township each on a
// phone of her own, and their supervisor on hers.
//
// A run: one director (drawn) registers a child and records a visit of the standard form, a
// photo with some of them, while the proxy spoils a drawn share of the API's calls and one
// of these befalls her phone: nothing, no network while she saves (it returns later), a
// reload as she saves, the tab killed as she saves, or a second tab of the app open.
// Meanwhile, now and then, the server is killed (SIGKILL) and started again, or its disk is
// full for a few seconds; the supervisor opens her screens again under the same faults.
//
// At the end the faults stop, each phone sends what waits, and what each phone holds is
// compared with what the server holds: records lost (on a phone, or saved and shown, but not
// on the server), records duplicated (a record stored twice, or as a second revision nobody
// made), photos damaged (missing, or bytes that do not hash to their name). The supervisor's
// list must hold every child. Prints the runs, the faults injected and those three counts,
// writes them to target/soak/last.json, and fails unless all three are 0 (or if the time
// bound stopped it before its runs were done).
//
// Usage: node tests/soak/soak.mjs [--runs N] [--seed S] [--minutes M]   (50 runs, seed 1,
// 30 minutes: whichever ends first). The server is TONGXING_BIN (as the e2e tests).
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium } from "@playwright/test";
import { args, executablePath } from "../e2e/chromium.mjs";
import { TestServer } from "../e2e/server.mjs";
import { enrol, expect, SMALL_PHONE, unlocks, VisitApp } from "../e2e/app.mjs";
import { cameraJpeg } from "../e2e/photo-fixtures.mjs";
import { FaultProxy } from "./fault-proxy.mjs";
import { chance, pick, seeded } from "./seeded.mjs";

const options = (() => {
  const out = { runs: 50, seed: 1, minutes: 30 };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], Number(argv[i + 1])];
    if (!["--runs", "--seed", "--minutes"].includes(flag) || !Number.isFinite(value)) {
      console.error("usage: node tests/soak/soak.mjs [--runs N] [--seed S] [--minutes M]");
      process.exit(2);
    }
    out[flag.slice(2)] = value;
  }
  return out;
})();

const random = seeded(options.seed);
const PHONE_EVENTS = ["none", "none", "offline", "reload", "kill", "second_tab"];
const FAULT_RATES = [0, 0.2, 0.5];
const tally = { runs: 0, visits_shown_saved: 0, photos: 0, phone: Object.fromEntries(PHONE_EVENTS.map((e) => [e, 0])), server_killed: 0, disk_full: 0, supervisor_reads: 0 };

/** The server's data directory on a 256 MiB tmpfs, so that it can be filled; null where
 * the machine does not let this process mount one (the soak then runs without full disks). */
function smallDisk(dir) {
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=256m", "tmpfs", dir], { stdio: "pipe" });
    return dir;
  } catch (failed) {
    console.log(`soak: no tmpfs for the server's data (${String(failed.stderr ?? failed.message).trim()}): no full disks in this soak`);
    return null;
  }
}

/** Fills the disk at `dir` until it refuses more; resolves after `ms`, the filler removed. */
async function diskFullFor(dir, ms) {
  const filler = join(dir, "soak-filler");
  const fd = openSync(filler, "w");
  const block = Buffer.alloc(1 << 20);
  try {
    for (;;) writeSync(fd, block);
  } catch {
    // ENOSPC: full.
  } finally {
    closeSync(fd);
  }
  await new Promise((r) => setTimeout(r, ms));
  rmSync(filler, { force: true });
}

/** A director's phone: its own browser context, joined, open on the due list through the
 * proxy, its service worker in place (so it reloads offline). */
async function directorPhone(browser, server, proxy, { name, village }) {
  const context = await browser.newContext(SMALL_PHONE);
  await enrol(context, server, { role: "director", name, township: "石门镇", village });
  const phone = { name, village, context, page: null, app: null, expected: new Set(), interrupted: 0, holds: null };
  await openTab(phone, proxy);
  await phone.app.waitForOfflineReady();
  return phone;
}

/** Opens the app in a new tab of the phone and makes it the phone's page. */
async function openTab(phone, proxy) {
  const page = await phone.context.newPage();
  await unlocks(page);
  phone.page = page;
  phone.app = new VisitApp(page);
  await phone.app.open(proxy.url);
}

/** The supervisor's phone: joined by the county's link through the proxy. */
async function supervisorPhone(browser, server, proxy) {
  const context = await browser.newContext(SMALL_PHONE);
  const page = await context.newPage();
  await unlocks(page);
  await page.goto(server.invite({ role: "supervisor", township: "石门镇", village: "", by: "县民政局", appUrl: proxy.url }));
  await page.getByTestId("join-name").fill("赵督导");
  await page.getByTestId("join-phone").fill("13900139000");
  await page.getByTestId("join-submit").click();
  await expect(page.getByTestId("township-today")).toBeVisible();
  return { context, page };
}

/** What befalls run `n`, drawn before it starts (so that a seed replays the same plans,
 * whatever the timing; the proxy draws from a stream of its own). */
function plan(n, phones) {
  const roll = random();
  return {
    n,
    phone: pick(random, phones),
    faultRate: pick(random, FAULT_RATES),
    event: pick(random, PHONE_EVENTS),
    withPhoto: chance(random, 0.2),
    server: roll < 0.08 ? "killed" : roll < 0.13 ? "disk_full" : "none",
    serverAfterMs: Math.floor(random() * 1_500),
    serverForMs: 200 + Math.floor(random() * 2_000),
    offlineForMs: Math.floor(random() * 2_000),
    secondTabForMs: Math.floor(random() * 1_000),
    supervisorReads: chance(random, 0.1),
  };
}

/** One run: a child and a visit on the plan's phone, with the plan's event befalling it. */
async function run(plan, proxy, photoPage) {
  const { n, phone, event, withPhoto } = plan;
  const { page, app } = phone;
  tally.phone[event] += 1;
  await app.addChild({ name: `浸泡${n}`, village: phone.village });
  await app.startVisit();
  await app.fillOrdinaryVisit();
  if (withPhoto) {
    const photo = await cameraJpeg(photoPage, { width: 1600, height: 1200, seed: options.seed * 100_000 + n });
    await app.choose("photo_consent", "yes");
    await app.addPhotos([photo], 1);
    tally.photos += 1;
  }
  let second = null;
  if (event === "second_tab") {
    second = await phone.context.newPage();
    await unlocks(second);
    await new VisitApp(second).open(proxy.url);
  }
  if (event === "offline") await phone.context.setOffline(true);
  if (event === "reload" || event === "kill") {
    phone.interrupted += 1;
    await page.getByTestId("save-visit").click();
    // As she saves: the tab reloads, or is gone, mid-save.
    if (event === "reload") {
      await page.reload();
      await page.goto(`${proxy.url}/`);
      await expect(page.getByTestId("month-progress")).toBeVisible({ timeout: 30_000 });
    } else {
      await page.close();
      await openTab(phone, proxy);
    }
    return;
  }
  await app.saveVisit();
  // Saved and shown as saved: this visit must reach the server.
  const id = await app.historyItem(0).getAttribute("data-id");
  phone.expected.add(id);
  tally.visits_shown_saved += 1;
  if (second) {
    await second.waitForTimeout(plan.secondTabForMs);
    await second.close();
  }
  if (event === "offline") {
    await page.waitForTimeout(plan.offlineForMs);
    await phone.context.setOffline(false);
  }
  await page.getByTestId("nav-due").click();
  await expect(page.getByTestId("month-progress")).toBeVisible({ timeout: 30_000 });
}

/** As the run goes on, if its plan says so: the server killed and started again, or its
 * disk full for a while. */
async function serverEvent(plan, server, disk) {
  if (plan.server === "none" || (plan.server === "disk_full" && !disk)) return;
  await new Promise((r) => setTimeout(r, plan.serverAfterMs));
  if (plan.server === "killed") {
    tally.server_killed += 1;
    await server.stop("SIGKILL");
    await new Promise((r) => setTimeout(r, plan.serverForMs));
    await server.start();
  } else {
    tally.disk_full += 1;
    await diskFullFor(disk, 1_000 + plan.serverForMs);
  }
}

/** The supervisor opens her township again, under whatever faults there are; a screen that
 * says what went wrong is as good as one that loads, a blank or broken one is not. */
async function supervisorReads(supervisor) {
  tally.supervisor_reads += 1;
  await supervisor.page.reload();
  await expect(supervisor.page.getByTestId("township-today").or(supervisor.page.getByTestId("township-problem")).first()).toBeVisible({ timeout: 60_000 });
}

/** Taps "show more" (`more`, a test id) until it is gone, each tap waited for until more
 * `items` are drawn: lists draw a page at a time. */
async function showAll(page, more, items) {
  while (await page.getByTestId(more).isVisible()) {
    const before = await page.getByTestId(items).count();
    await page.getByTestId(more).click();
    await expect.poll(() => page.getByTestId(items).count()).toBeGreaterThan(before);
  }
}

/** Sends what waits on the phone (sync now until nothing does) and lists what it holds. */
async function drained(phone, proxy) {
  const { page, app } = phone;
  await page.goto(`${proxy.url}/`);
  await expect(page.getByTestId("month-progress")).toBeVisible({ timeout: 30_000 });
  await expect
    .poll(
      async () => {
        const button = page.getByTestId("sync-now");
        if (await button.isEnabled()) await button.click();
        return app.pendingCount().getAttribute("data-count");
      },
      { timeout: 180_000, intervals: [2_000] },
    )
    .toBe("0");
  await page.getByTestId("nav-visits").click();
  // Read once the phone has read its records (hundreds, each unsealed, take a while after a
  // long soak): the filters come with the list, the empty line when there is none.
  await expect(page.getByTestId("visit-filter-all").or(page.getByTestId("empty-list")).first()).toBeVisible({ timeout: 60_000 });
  await showAll(page, "show-more-visits", "visit-item");
  const visits = await page.getByTestId("visit-item").evaluateAll((rows) => rows.map((row) => row.dataset.id));
  const drafts = await page.getByTestId("draft-item").count();
  return { visits, drafts };
}

const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

function compare(server, phones, supervisorChildren) {
  const history = server.history();
  const stored = server.visits();
  const children = server.children();
  const storedIds = new Set(stored.map((v) => v.id));
  const childIds = new Set(children.map((c) => c.id));
  const lost = [];
  for (const phone of phones) {
    for (const id of new Set([...phone.holds.visits, ...phone.expected])) if (!storedIds.has(id)) lost.push(`visit ${id} of ${phone.name}`);
    for (const id of phone.expected) if (!phone.holds.visits.includes(id)) lost.push(`visit ${id} gone from ${phone.name}'s phone`);
  }
  for (const visit of stored) if (!childIds.has(visit.child_id)) lost.push(`the child ${visit.child_id} of visit ${visit.id}`);
  const duplicated = [];
  // A save cut off by a reload or a killed tab leaves the visit saved or its draft kept,
  // one of the two: fewer is typing lost, more a visit that could be saved twice.
  for (const phone of phones) {
    const kept = phone.holds.visits.length - phone.expected.size + phone.holds.drafts;
    if (kept < phone.interrupted) lost.push(`${phone.interrupted - kept} of ${phone.interrupted} cut-off saves on ${phone.name}'s phone left neither a visit nor a draft`);
    if (kept > phone.interrupted) duplicated.push(`${kept - phone.interrupted} cut-off saves on ${phone.name}'s phone left both a visit and its draft`);
  }
  const revisions = new Map();
  for (const entry of history) revisions.set(entry.id, (revisions.get(entry.id) ?? 0) + 1);
  // Nobody edits in the soak: every record is stored once, as revision 1.
  for (const [id, count] of revisions) if (count > 1) duplicated.push(`visit ${id} stored ${count} times`);
  for (const visit of stored) if (visit.revision !== 1) duplicated.push(`visit ${visit.id} at revision ${visit.revision}`);
  for (const child of children) if (child.revision !== 1) duplicated.push(`child ${child.id} at revision ${child.revision}`);
  if (childIds.size !== children.length) duplicated.push("a child's file listed twice");
  const damaged = [];
  let photos = 0;
  for (const visit of stored) {
    for (const note of visit.answers?.photos ?? []) {
      photos += 1;
      const bytes = server.photo(note.sha256);
      if (!bytes) damaged.push(`photo ${note.sha256} of visit ${visit.id} missing`);
      else if (sha256(bytes) !== note.sha256) damaged.push(`photo ${note.sha256} of visit ${visit.id} does not hash to its name`);
    }
  }
  if (supervisorChildren !== children.length) lost.push(`the supervisor's list holds ${supervisorChildren} children, the server ${children.length}`);
  return { lost, duplicated, damaged, stored: { visits: stored.length, children: children.length, photos } };
}

/** Every child in the supervisor's list, once she has loaded it all. */
async function supervisorChildCount(supervisor, proxy) {
  const { page } = supervisor;
  await page.goto(`${proxy.url}/oversight/`);
  await expect(page.getByTestId("township-today")).toBeVisible({ timeout: 30_000 });
  await page.getByTestId("township-tab-children").click();
  await expect(page.getByTestId("township-child").first()).toBeVisible({ timeout: 30_000 });
  await showAll(page, "township-more", "township-child");
  return page.getByTestId("township-child").count();
}

const started = Date.now();
const server = new TestServer();
const disk = smallDisk(server.dataDir);
await server.start();
const proxy = new FaultProxy({ target: server.url, random: seeded(`${options.seed}:proxy`) });
await proxy.start();
const browser = await chromium.launch({ executablePath, args });
let result;
try {
  const phones = [
    await directorPhone(browser, server, proxy, { name: "李芳", village: "桃源村" }),
    await directorPhone(browser, server, proxy, { name: "王丽", village: "石桥村" }),
  ];
  const supervisor = await supervisorPhone(browser, server, proxy);
  const photoPage = await browser.newPage();
  const deadline = started + options.minutes * 60_000;
  for (let n = 1; n <= options.runs && Date.now() < deadline; n++) {
    const drawn = plan(n, phones);
    proxy.rate = drawn.faultRate;
    const aside = serverEvent(drawn, server, disk);
    await run(drawn, proxy, photoPage);
    if (drawn.supervisorReads) await supervisorReads(supervisor);
    await aside;
    tally.runs = n;
    if (n % 10 === 0) console.log(`soak: ${n} runs, ${proxy.faultCount()} faults injected, ${Math.round((Date.now() - started) / 1000)} s`);
  }
  proxy.rate = 0;
  for (const phone of phones) phone.holds = await drained(phone, proxy);
  const supervisorChildren = await supervisorChildCount(supervisor, proxy);
  result = compare(server, phones, supervisorChildren);
} finally {
  await browser.close();
  await proxy.close();
  await server.stop();
  if (disk) execFileSync("umount", ["-l", disk]);
  await server.dispose();
}

const seconds = Math.round((Date.now() - started) / 1000);
const summary = {
  finished: new Date().toISOString(),
  seed: options.seed,
  seconds,
  ...tally,
  faults_injected: proxy.faultCount(),
  faults: proxy.injected,
  stored: result.stored,
  lost: result.lost.length,
  duplicated: result.duplicated.length,
  photos_damaged: result.damaged.length,
  problems: [...result.lost, ...result.duplicated, ...result.damaged],
};
const out = resolve("target/soak");
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "last.json"), `${JSON.stringify(summary, null, 2)}\n`);
console.log(`\nfault soak, seed ${summary.seed}: ${summary.runs} runs in ${seconds} s`);
console.log(`  faults injected: ${summary.faults_injected} (${Object.entries(proxy.injected).filter(([k]) => k !== "pass").map(([k, v]) => `${k} ${v}`).join(", ")}); ` +
  `server killed ${tally.server_killed}×, disk full ${tally.disk_full}×`);
console.log(`  on the phones: ${Object.entries(tally.phone).map(([k, v]) => `${k} ${v}`).join(", ")}; ${tally.visits_shown_saved} visits shown saved, ${tally.photos} with a photo; supervisor reads ${tally.supervisor_reads}`);
console.log(`  the server holds ${result.stored.visits} visits, ${result.stored.children} children's files, ${result.stored.photos} photos`);
console.log(`  records lost: ${summary.lost}   records duplicated: ${summary.duplicated}   photos damaged: ${summary.photos_damaged}`);
for (const problem of summary.problems) console.log(`  ✗ ${problem}`);
// The time bound keeps a soak from running on; one that it cut short did not do what was asked.
const cut = summary.runs < options.runs;
if (cut) console.log(`  ✗ stopped by the time bound (${options.minutes} min) after ${summary.runs} of ${options.runs} runs`);
console.log(`  written: target/soak/last.json`);
process.exit(summary.problems.length === 0 && !cut ? 0 : 1);
