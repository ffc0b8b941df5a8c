// Starts and stops the real tongxing-ingest binary for a test, on a loopback port of its
// own, with a fresh data directory, and reads back what it received with its export CLI.
// Phones join with invites made by its CLI (`invite`, `enroll`), which also lists and
// revokes them (`devices`, `revoke`) and takes a phone's unsent-records file (`import`).
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");
// scripts/test.sh names the debug build, which its native step built and tested.
const binary = process.env.TONGXING_BIN ?? join(root, "target/release/tongxing-ingest");
const staticDir = process.env.TONGXING_TEST_STATIC ?? join(root, "dist");

async function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

export class TestServer {
  /** `corsOrigins`: other origins whose pages may call it (`--cors-origins`); by default
   * only pages of its own origin may. `allowedServers`: the other servers the app it serves
   * may call (`--allowed-servers`, its Content-Security-Policy's `connect-src`). */
  constructor({ corsOrigins, allowedServers, appDir } = {}) {
    this.dataDir = mkdtempSync(join(tmpdir(), "tongxing-e2e-"));
    this.port = null;
    this.child = null;
    this.corsOrigins = corsOrigins ?? null;
    this.allowedServers = allowedServers ?? null;
    /** The built apps it serves (`--static-dir`), from the next start: a new release is
     * deployed by pointing this elsewhere and starting again. */
    this.appDir = appDir ?? staticDir;
    /** More `serve` flags, for the next start (a county's settings). */
    this.extraArgs = [];
  }

  /** Picks the port it will listen on, so that another server can name it before either
   * starts. */
  async reservePort() {
    this.port ??= await freePort();
    return this.port;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again on the same port and data dir after a stop). */
  async start() {
    this.port ??= await freePort();
    const cors = this.corsOrigins ? ["--cors-origins", this.corsOrigins] : [];
    const allowed = this.allowedServers ? ["--allowed-servers", this.allowedServers] : [];
    const child = spawn(binary, ["serve", "--addr", `127.0.0.1:${this.port}`, "--data-dir", this.dataDir, "--static-dir", this.appDir, ...cors, ...allowed, ...this.extraArgs], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? "warn" },
    });
    this.child = child;
    let output = "";
    this.stdout = "";
    child.stdout.on("data", (d) => {
      output += d;
      this.stdout += d;
    });
    child.stderr.on("data", (d) => (output += d));
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}):\n${output}`);
      try {
        const res = await fetch(`${this.url}/api/v1/health`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server did not become healthy:\n${output}`);
  }

  /** The first run's link for the county's first administrator, as this start printed it on
   * standard output (null once a county administrator has joined). */
  firstRunLink() {
    const links = this.stdout.split("\n").filter((line) => line.includes("/join?code=")).map((line) => line.trim().split(/\s+/).pop());
    if (links.length > 1) throw new Error(`more than one first-run link printed:\n${this.stdout}`);
    return links[0] ?? null;
  }

  /** Stops the server and waits until it has exited: `SIGTERM` lets it finish what it is
   * doing; `SIGKILL` cuts every connection mid-request. */
  async stop(signal = "SIGTERM") {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill(signal);
    await exited;
    this.child = null;
  }

  /** The bytes of a photo the server holds whole, or null. */
  photo(sha256) {
    const path = join(this.dataDir, "photos", sha256.slice(0, 2), sha256);
    return existsSync(path) ? readFileSync(path) : null;
  }

  /** The names of every photo file the server holds. */
  photoFiles() {
    const dir = join(this.dataDir, "photos");
    if (!existsSync(dir)) return [];
    return readdirSync(dir).flatMap((sub) => readdirSync(join(dir, sub)));
  }

  /** Every visit the server holds (newest revision of each), via `tongxing-ingest export`. */
  visits() {
    return this.export([]);
  }

  /** Every revision the server stored. */
  history() {
    return this.export(["--history"]);
  }

  /** Every child's file the server holds (newest revision of each). */
  children() {
    return this.export(["--what", "children"]);
  }

  /** Every case plan the server holds (newest revision of each). */
  casePlans() {
    return this.export(["--what", "case-plans"]);
  }

  /** Makes an invite with `tongxing-ingest invite` and returns its link, which opens the
   * join screen of the app served here (or at `appUrl`; with `serverUrl`, the link tells the
   * phone where the API is). */
  invite({ role = "director", township = "石门镇", village = "石桥村", by = "王督导", uses, expires, appUrl = this.url, serverUrl } = {}) {
    const args = ["invite", "--data-dir", this.dataDir, "--role", role, "--township", township, "--by", by, "--app-url", appUrl];
    if (village) args.push("--village", village);
    if (uses !== undefined) args.push("--uses", String(uses));
    if (expires !== undefined) args.push("--expires", expires);
    if (serverUrl) args.push("--server-url", serverUrl);
    const link = execFileSync(binary, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
    if (!/^https?:\/\/\S+\/join\?code=\S+$/.test(link)) throw new Error(`invite printed no link: ${JSON.stringify(link)}`);
    return link;
  }

  /** Joins a phone without a browser: an invite (options as for `invite`), then
   * `POST /api/v1/enroll` with `name` and `phone`. Returns `{ token, worker }`, which
   * `startEnrolled` (app.mjs) puts on the phone. */
  async enroll({ name = "李芳", phone = "13800138000", ...invite } = {}) {
    const code = new URL(this.invite(invite)).searchParams.get("code");
    const res = await fetch(`${this.url}/api/v1/enroll`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code, name, phone }),
    });
    if (res.status !== 201) throw new Error(`enroll answered ${res.status}: ${await res.text()}`);
    return res.json();
  }

  /** Every enrolled phone, from `tongxing-ingest devices`: [{ id, name, phone, role,
   * township, village, enrolled_at, last_seen_at, revoked_at }] ("-" for none). */
  devices() {
    const out = execFileSync(binary, ["devices", "--data-dir", this.dataDir], { encoding: "utf8" });
    const [header, ...rows] = out.split("\n").filter((l) => l.trim());
    const keys = header.split("\t");
    return rows.map((row) => Object.fromEntries(row.split("\t").map((value, i) => [keys[i], value])));
  }

  /** Revokes a phone with `tongxing-ingest revoke`: its token gets 401 from now on; `as`
   * "lost" (lost or stolen: the phone wipes itself) or "left" (the default). */
  revoke(id, as = "left") {
    execFileSync(binary, ["revoke", "--data-dir", this.dataDir, "--as", as, id], { stdio: ["ignore", "ignore", "pipe"] });
  }

  /** Imports a phone's unsent-records file with `tongxing-ingest import`: whether it
   * succeeded, and what it printed. */
  importUnsent(file) {
    try {
      const out = execFileSync(binary, ["import", "--data-dir", this.dataDir, file], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      return { ok: true, output: out };
    } catch (failed) {
      return { ok: false, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
    }
  }

  export(extra) {
    const out = execFileSync(binary, ["export", "--data-dir", this.dataDir, "--format", "jsonl", ...extra], { encoding: "utf8" });
    return out.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
  }

  async dispose() {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
