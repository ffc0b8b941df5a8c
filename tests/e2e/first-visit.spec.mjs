// A first visit as a new phone meets it, from the real server in the real browser: what
// each app puts on the wire (the bytes of its files' bodies as sent, compressed when the
// browser accepts it) for its first screen, the lock, against its budget in
// scripts/size-budgets.json; a director's phone never downloads the oversight app, and a
// supervisor's opens hers. The pieces of WebAssembly drawn after the lock (each app behind
// it, the field app's other screens: scripts/place-wasm-pieces.mjs) follow, each
// compressed; tests/e2e/lazy-screens.spec.mjs shows what happens when one cannot come.
import { readFileSync } from "node:fs";
import { test, expect, unlocks, enrol, serverPerTest } from "./app.mjs";

const budgets = JSON.parse(readFileSync(new URL("../../scripts/size-budgets.json", import.meta.url), "utf8"));

const server = serverPerTest();

/** Follows every response of the app's own files (not the API) that `page` receives. */
function recordFiles(page) {
  const files = [];
  page.on("requestfinished", async (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith("/api/")) return;
    const response = await request.response();
    const sizes = await request.sizes();
    files.push({ path: url.pathname, encoding: (await response?.headerValue("content-encoding")) ?? "", bytes: sizes.responseBodySize });
  });
  return files;
}

/** A piece of an app's WebAssembly drawn after its first screen (or shared by two such). */
const isPiece = (f) => /-[0-9a-f]{16}_(split_[a-z_]+|chunk_[0-9]+)\.wasm$/.test(f.path);

/** Waits for the pieces among `files` (each is recorded once its body is in), checks they
 * came compressed, and names them. */
async function reportPieces(app, files) {
  await expect.poll(() => files.some(isPiece), { message: "a piece came after the first screen" }).toBe(true);
  for (const f of files.filter(isPiece)) {
    expect(f.encoding, `${f.path} came compressed`).toMatch(/^(br|gzip)$/);
    console.log(`${app}: then ${f.path} ${f.encoding}`);
  }
}

/** Prints each file's bytes on the wire and returns their sum; each came from the network,
 * not a cache (a cached file has no body size). */
function report(app, files) {
  for (const f of files) expect(f.bytes, `${f.path} came over the network`).toBeGreaterThan(0);
  const total = files.reduce((sum, f) => sum + f.bytes, 0);
  for (const f of files) console.log(`${app}: ${f.path} ${f.encoding || "identity"} ${(f.bytes / 1024).toFixed(1)} KiB`);
  console.log(`${app}: first visit ${(total / 1024).toFixed(1)} KiB on the wire in ${files.length} files (budget ${budgets[app].kib} KiB)`);
  return total;
}

test("a director's first visit is the field app's lock, compressed, within its budget; the app and its other screens follow", async ({ context, page }) => {
  await enrol(context, server, { role: "director" });
  const files = recordFiles(page);
  await page.goto(server.url);
  await expect(page.getByTestId("month-progress")).toBeVisible();
  await page.waitForLoadState("networkidle");

  const first = files.filter((f) => !isPiece(f));
  const wasm = first.filter((f) => f.path.endsWith(".wasm"));
  expect(wasm.map((f) => f.path)).toEqual([expect.stringMatching(/^\/tongxing-[0-9a-f]{12,16}_bg\.wasm$/)]);
  expect(wasm[0].encoding).toMatch(/^(br|gzip)$/);
  expect(files.filter((f) => f.path.startsWith("/oversight/")), "the supervisor's screens are not sent").toEqual([]);
  expect(report("field", first)).toBeLessThanOrEqual(budgets.field.kib * 1024);
  await reportPieces("field", files);
});

test("a supervisor's phone opens the oversight app, compressed, within its budget", async ({ context, page }) => {
  await enrol(context, server, { role: "supervisor", township: "石门镇", village: "" });
  const files = recordFiles(page);
  await page.goto(`${server.url}/oversight/`);
  await expect(page.getByTestId("township-page")).toBeVisible();
  await page.waitForLoadState("networkidle");

  const first = files.filter((f) => !isPiece(f));
  expect(first.filter((f) => f.path.endsWith(".wasm")).map((f) => f.path)).toEqual([expect.stringMatching(/^\/oversight\/oversight-[0-9a-f]{12,16}_bg\.wasm$/)]);
  expect(report("oversight", first)).toBeLessThanOrEqual(budgets.oversight.kib * 1024);
  await reportPieces("oversight", files);

  // Opened at the field app's address (an old bookmark), her phone goes to hers.
  await page.goto(server.url);
  await expect(page.getByTestId("township-page")).toBeVisible();
  expect(new URL(page.url()).pathname).toBe("/oversight/");
});

test("a phone not joined, or joined as a director, that opens the oversight app goes to the field app", async ({ context, page }) => {
  await page.goto(`${server.url}/oversight/`);
  await expect(page.getByTestId("join-banner")).toBeVisible();
  expect(new URL(page.url()).pathname).toBe("/");
  const director = await context.browser().newContext();
  await enrol(director, server, { role: "director" });
  const phone = await director.newPage();
  await unlocks(phone);
  await phone.goto(`${server.url}/oversight/settings`);
  await expect(phone.getByTestId("month-progress")).toBeVisible();
  expect(new URL(phone.url()).pathname).toBe("/");
  await director.close();
});
