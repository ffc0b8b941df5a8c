// Page objects: the app as a worker uses it, found by data-testid; and the `test` every
// spec runs with, whose pages get past the app's lock by themselves.
import { test as base, expect } from "@playwright/test";
import { TestServer } from "./server.mjs";

export { expect };

/** The PIN every test phone sets. */
export const PIN = "284913";

/** Gets `page` past the lock whenever it shows (every load starts locked): sets the PIN on a
 * phone that has none, or types it (Playwright's locator handler runs before each action and
 * assertion while the lock is on screen). */
export async function unlocks(page) {
  await page.addLocatorHandler(page.locator('[data-testid="set-pin"], [data-testid="unlock"]'), () => typePin(page, PIN));
}

/** Types `pin` on the lock screen (and again when setting it), for specs that meet the lock
 * themselves. */
export async function typePin(page, pin, again = pin) {
  await page.getByTestId("pin").fill(pin);
  if ((await page.getByTestId("pin-again").count()) > 0) await page.getByTestId("pin-again").fill(again);
  await page.getByTestId("pin-submit").click();
}

/** In the page, before the app: takes away every browser API the app can do without, as
 * older WeChat cores and vendor browsers lack them (the project "missing-apis" of
 * playwright.config.mjs). */
export function removeOptionalApis() {
  // Deleted where it can be; otherwise shadowed, or at least set to undefined.
  const drop = (owner, name) => {
    if (!owner) return; // not in this page at all (StorageManager outside a secure context)
    for (const remove of [
      () => delete owner[name],
      () => Object.defineProperty(owner, name, { value: undefined, configurable: true }),
      () => (owner[name] = undefined),
    ]) {
      try {
        remove();
      } catch {
        // the next way
      }
      if (!(name in owner) || owner[name] === undefined) return;
    }
  };
  drop(Navigator.prototype, "serviceWorker");
  drop(Navigator.prototype, "locks");
  drop(Navigator.prototype, "clipboard");
  drop(window, "BroadcastChannel");
  drop(globalThis.StorageManager?.prototype, "persist");
  drop(globalThis.StorageManager?.prototype, "estimate");
  drop(window, "OffscreenCanvas");
  drop(window, "createImageBitmap");
}

/** Playwright's `test`, with the `page` fixture getting past the lock by itself, and every
 * page of the `context` fixture without the optional APIs where the project says
 * `withoutOptionalApis`. Pages a test opens itself call `unlocks`. */
export const test = base.extend({
  withoutOptionalApis: [false, { option: true }],
  context: async ({ context, withoutOptionalApis }, use) => {
    if (withoutOptionalApis) await context.addInitScript(removeOptionalApis);
    await use(context);
  },
  page: async ({ page }, use) => {
    await unlocks(page);
    await use(page);
  },
});

/** A spec's server: a fresh `TestServer` (its own port and data directory) started before
 * each test and disposed of after it. What it returns stands for the current one, so a spec
 * writes `const server = serverPerTest();` once and uses `server` as the server itself. */
export function serverPerTest(options) {
  let current = null;
  test.beforeEach(async () => {
    current = new TestServer(options);
    await current.start();
  });
  test.afterEach(async () => {
    await current?.dispose();
    current = null;
  });
  return new Proxy(
    {},
    {
      get(_, key) {
        const value = current?.[key];
        return typeof value === "function" ? value.bind(current) : value;
      },
      set(_, key, value) {
        current[key] = value;
        return true;
      },
    },
  );
}

/** The answers of an ordinary visit to a left-behind child living with a grandmother whose
 * health is weak (the rules suggest yellow): what `fillOrdinaryVisit` gives. */
const ORDINARY = {
  choices: [
    ["present", "child"], ["present", "grandparent"],
    ["food_clothing_adequate", "yes"], ["housing_safety", "safe"], ["income_source", "parents_working_away"],
    ["benefits_received", "dibao"],
    ["carer_relation", "grandparent"], ["carer_capacity", "weak"], ["guardianship_letter_signed", "yes"],
    ["father_whereabouts", "away_out_of_province"], ["mother_whereabouts", "away_in_province"],
    ["parent_contact_frequency", "weekly"],
    ["health_status", "good"], ["seriously_ill", "no"], ["disabled", "no"], ["medical_insurance", "yes"],
    ["in_school", "yes"], ["attendance", "regular"], ["dropout_risk", "no"],
    ["mood", "stable"], ["online_habits", "moderate"], ["seasonal_dangers", "drowning"], ["safety_education_given", "yes"],
    ["harm_signs", "no"], ["serious_neglect", "no"], ["abandonment", "no"],
    ["policies_linked", "study_grant"],
    ["risk_colour", "yellow"],
    ["photo_consent", "no"],
  ],
  texts: [
    ["main_carer", "李秀英"],
    ["guardianship_letter_signed_by", "李秀英（祖母）"],
    ["school_name", "城关镇中心小学"],
    ["school_grade", "三年级"],
  ],
};

/** The key under which the app keeps who the phone joined as and its token
 * (src/storage/enrolment.rs). */
export const DEVICE_KEY = "tongxing.device";

/** Starts every page of `target` (a page or a browser context) already joined: writes
 * `enrolled` ({ token, worker }, from `TestServer.enroll`) where the app keeps it, before
 * the app first loads, as an app from before PINs kept it (the PIN set on the first load
 * seals it). */
export async function startEnrolled(target, enrolled) {
  await target.addInitScript(
    ([key, value]) => {
      try {
        if (localStorage.getItem(key) === null) localStorage.setItem(key, value);
      } catch {
        // about:blank and other pages without storage
      }
    },
    [DEVICE_KEY, JSON.stringify(enrolled)],
  );
}

/** Joins the phone(s) of `target` with `server` (a fresh invite, then enrolment) before
 * the app loads; returns `{ token, worker }`. */
export async function enrol(target, server, options = {}) {
  const enrolled = await server.enroll(options);
  await startEnrolled(target, enrolled);
  return enrolled;
}

/** Opens an invite link and joins as `name`; `pin`: a page that meets the lock itself sets
 * this PIN first; `confirm`: the phone holds another worker's unsent records, so the first
 * tap asks and the second joins. Ends on the home screen (`home`: its test id). */
/** What a village's cheap phone is to a test: 360 px wide, in Chinese. */
export const SMALL_PHONE = { locale: "zh-CN", viewport: { width: 360, height: 740 } };

/** A phone of its own (a browser context, `SMALL_PHONE` unless `device` says otherwise),
 * joined as `role` of the village and open on its due list: { context, page, app, enrolled }. */
export async function villagePhone(browser, server, { role = "director", name = "李芳", township = "石门镇", village = "桃源村" } = {}, device = SMALL_PHONE) {
  const context = await browser.newContext(device);
  const enrolled = await enrol(context, server, { role, name, township, village });
  const page = await context.newPage();
  await unlocks(page);
  const app = new VisitApp(page);
  await app.open(server.url);
  return { context, page, app, enrolled };
}

/** A township supervisor's phone, joined by the county's link in the oversight app and open
 * on her 今日: { context, page }. */
export async function supervisorPhone(browser, server, { township = "石门镇", name = "赵督导" } = {}, device = SMALL_PHONE) {
  const context = await browser.newContext(device);
  const page = await context.newPage();
  await unlocks(page);
  await page.goto(server.invite({ role: "supervisor", township, village: "", by: "县民政局" }));
  await page.getByTestId("join-name").fill(name);
  await page.getByTestId("join-phone").fill("13900139000");
  await page.getByTestId("join-submit").click();
  await expect(page.getByTestId("township-today")).toBeVisible();
  return { context, page };
}

export async function joinByLink(page, link, { name, phone = "13800138000", confirm = false, pin, home = "month-progress" }) {
  await page.goto(link);
  if (pin) await typePin(page, pin);
  await page.getByTestId("join-name").fill(name);
  await page.getByTestId("join-phone").fill(phone);
  await page.getByTestId("join-submit").click();
  if (confirm) {
    await expect(page.getByTestId("join-unsent-warning")).toBeVisible();
    await page.getByTestId("join-submit").click();
  }
  await expect(page.getByTestId(home)).toBeVisible();
}

export class VisitApp {
  constructor(page) {
    this.page = page;
  }

  /** The device token the phone sends now (it is sealed on the phone, and renewed now and
   * then): read from the next request "sync now" makes. */
  async currentToken() {
    const [request] = await Promise.all([
      this.page.waitForRequest((r) => r.url().includes("/api/v1/") && Boolean(r.headers().authorization)),
      this.page.getByTestId("sync-now").click(),
    ]);
    return request.headers().authorization.replace(/^Bearer /, "");
  }

  /** Opens the app on its home screen, the due list. */
  async open(url) {
    await this.page.goto(url);
    await expect(this.page.getByTestId("month-progress")).toBeVisible();
  }

  /** Waits until the service worker controls the page, so it opens with no network. */
  async waitForOfflineReady() {
    await this.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((r) => navigator.serviceWorker.addEventListener("controllerchange", r, { once: true }));
      }
    });
  }

  /** Adds a child from the due list; ends on the child's page. */
  async addChild({ name, sex = "female", birth = "2016-05-01", village = "石桥村", category = "left_behind" }) {
    await this.page.getByTestId("add-child").first().click();
    await this.fillChild({ name, sex, birth, village, category });
    await this.page.getByTestId("save-child").click();
    await expect(this.page.getByTestId("start-visit")).toBeVisible();
  }

  async fillChild({ name, sex, birth, village, category }) {
    await this.page.getByTestId("child-name").fill(name);
    await this.page.getByTestId(`child-sex-${sex}`).click();
    await this.page.getByTestId("child-birth-date").fill(birth);
    await this.page.getByTestId("child-village").fill(village);
    await this.page.getByTestId(`child-category-${category}`).click();
  }

  /** On a child's page: starts a visit to them. */
  async startVisit() {
    // One tap: the child's page draws its buttons once, whatever deliveries change under it.
    await this.page.getByTestId("start-visit").first().click();
    await expect(this.page.getByTestId("save-visit")).toBeVisible();
  }

  async choose(field, code) {
    await this.page.getByTestId(`choice-${field}-${code}`).click();
  }

  async fill(field, text) {
    await this.page.getByTestId(`field-${field}`).fill(text);
  }

  /** Answers every required question of the standard form as an ordinary visit. */
  async fillOrdinaryVisit({ colour = "yellow" } = {}) {
    for (const [field, code] of ORDINARY.choices) {
      await this.choose(field, field === "risk_colour" ? colour : code);
    }
    // Text fields shown by earlier choices (the carer's name once the relation is chosen).
    for (const [field, text] of ORDINARY.texts) await this.fill(field, text);
    if (colour !== "yellow") await this.fill("risk_colour_reason", "父亲已返乡照顾");
  }

  /** Saves the visit; ends on the child's page. */
  async saveVisit() {
    await this.page.getByTestId("save-visit").click();
    await expect(this.page.getByTestId("edit-child")).toBeVisible();
  }

  /** The child's line in the due list. */
  dueEntry(name) {
    return this.page.getByTestId("due-entry").filter({ hasText: name });
  }

  historyItem(nth = 0) {
    return this.page.getByTestId("history-visit").nth(nth);
  }

  async expectHistoryState(state, timeout, nth = 0) {
    await expect(this.historyItem(nth).getByTestId("sync-state")).toHaveAttribute("data-state", state, { timeout });
  }

  /** Picks photos from the "gallery" (Buffers of image files) and waits until the form shows
   * `expected` photo notes in all. */
  async addPhotos(buffers, expected) {
    const files = buffers.map((buffer, i) => ({ name: `IMG_${20261123 + i}.jpg`, mimeType: "image/jpeg", buffer }));
    await this.page.getByTestId("photo-input").setInputFiles(files);
    await expect(this.page.getByTestId("photo-note")).toHaveCount(expected, { timeout: 60_000 });
    await expect(this.page.getByTestId("photo-busy")).toBeHidden();
  }

  /** The photos the open visit shows, as the app reads them back from the phone (where they
   * are sealed): [{ sha256, bytes: Buffer }], once `count` are drawn. */
  async photosShown(count) {
    await expect(this.page.locator('[data-testid="photo-note"] img')).toHaveCount(count, { timeout: 15_000 });
    const shown = await this.page.evaluate(async () => {
      const out = [];
      for (const note of document.querySelectorAll('[data-testid="photo-note"]')) {
        const bytes = new Uint8Array(await (await fetch(note.querySelector("img").src)).arrayBuffer());
        let text = "";
        for (let j = 0; j < bytes.length; j += 0x8000) text += String.fromCharCode(...bytes.subarray(j, j + 0x8000));
        out.push({ sha256: note.dataset.sha256, base64: btoa(text) });
      }
      return out;
    });
    return shown.map(({ sha256, base64 }) => ({ sha256, bytes: Buffer.from(base64, "base64") }));
  }

  pendingCount() {
    return this.page.getByTestId("sync-pending");
  }

  /** With Playwright's clock installed: moves the phone's clock on ten seconds at a time, with
   * real time between steps for a request to be answered, until the outbox holds nothing
   * (back-offs and the driver's ticks pass in steps shorter than the request timeout, which is
   * a timer too: one long jump would abort the request it had just started). */
  async clockOnUntilSent(timeout = 90_000) {
    await expect
      .poll(
        async () => {
          await this.page.clock.runFor(10_000);
          return this.pendingCount().getAttribute("data-count");
        },
        { timeout, intervals: [1_000] },
      )
      .toBe("0");
  }

  /** Waits until no outbox run holds the outbox lock (src/sync/run_lock.rs): a run that had
   * started by now has sent what it was going to send and had its answers. (A run asks for
   * the lock as soon as it starts, before it reads the outbox.) */
  async outboxIdle() {
    await this.page.evaluate(() => navigator.locks.request("tongxing-outbox", () => {}));
  }

  /** How many bytes the phone's visit drafts take in IndexedDB (sealed: the text is not
   * readable there, but its length is). */
  async draftBytes() {
    return this.page.evaluate(async () => {
      const db = await new Promise((done, fail) => {
        const open = indexedDB.open("tongxing");
        open.onsuccess = () => done(open.result);
        open.onerror = () => fail(open.error);
      });
      try {
        const all = await new Promise((done, fail) => {
          const request = db.transaction("visit_drafts").objectStore("visit_drafts").getAll();
          request.onsuccess = () => done(request.result);
          request.onerror = () => fail(request.error);
        });
        return all.reduce((sum, bytes) => sum + bytes.length, 0);
      } finally {
        db.close();
      }
    });
  }

  /** {@link draftBytes} once a draft is stored and no save is under way (the same for half
   * a second): the size to measure the next answer's save from. */
  async settledDraftBytes() {
    let last = -1;
    await expect
      .poll(async () => {
        const now = await this.draftBytes();
        const settled = now > 0 && now === last;
        last = now;
        return settled;
      }, { timeout: 10_000, intervals: [500] })
      .toBe(true);
    return last;
  }

  /** Waits (at most `timeout` ms) until the drafts have grown by at least `text` since they
   * took `before` bytes ({@link draftBytes}): what the worker typed is on the phone's disk. */
  async expectDraftGrew(before, text, { timeout } = {}) {
    const grown = before + Buffer.byteLength(text, "utf8");
    await expect.poll(() => this.draftBytes(), { timeout, intervals: [50, 100, 250] }).toBeGreaterThanOrEqual(grown);
  }
}
