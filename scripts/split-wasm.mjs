// Stands in for wasm-bindgen when Trunk runs it (scripts/split-wasm/wasm-bindgen, first on
// PATH in scripts/build.sh): cuts the app's split points (`#[wasm_split]` functions, see
// src/apps/lazy_screens.rs) out of the WebAssembly Cargo built, with wasm-split-cli, then
// runs the real wasm-bindgen over what is left, as Trunk asked. The pieces cut out and
// their loader are left in target/wasm-split/<app>/, each piece made smaller by wasm-opt
// (which also writes it in the plain encoding old engines read: wasm-split-cli copies
// LLVM's padded table numbers, which Chromium 85 refuses); scripts/place-wasm-pieces.mjs
// puts them beside the app once Trunk has named its files. Any other call (`--version`)
// is the real wasm-bindgen's.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const args = process.argv.slice(2);

/** The first `name` on PATH that is not this stand-in. */
function onPath(name) {
  const own = resolve(here, "split-wasm");
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && resolve(dir) !== own && existsSync(join(dir, name))) return join(dir, name);
  }
  console.error(`split-wasm.mjs: ${name} is not installed (run scripts/setup.sh)`);
  process.exit(127);
}

function run(tool, toolArgs) {
  const done = spawnSync(tool, toolArgs, { stdio: "inherit" });
  if (done.status !== 0) {
    console.error(`split-wasm.mjs: ${tool} ${toolArgs.join(" ")} failed`);
    process.exit(done.status ?? 1);
  }
}

const wasmBindgen = onPath("wasm-bindgen");
const input = args.find((a) => !a.startsWith("-") && a.endsWith(".wasm"));
const outName = args.find((a) => a.startsWith("--out-name="))?.slice("--out-name=".length);
if (!input || !outName) {
  run(wasmBindgen, args);
  process.exit(0);
}

const pieces = join(root, "target", "wasm-split", outName);
rmSync(pieces, { recursive: true, force: true });
mkdirSync(pieces, { recursive: true });
run(onPath("wasm-split-cli"), [input, pieces, "--out-name", outName]);
const main = join(pieces, `${outName}.wasm`);
const cut = readdirSync(pieces).filter((n) => n.endsWith(".wasm") && n !== `${outName}.wasm`);
// What wasm-split-cli leaves is what wasm-bindgen reads, split or not: it drops the
// relocations and the linker's exports that --emit-relocs keeps (2 MB for an app with none
// cut out). The pieces reach the main module's table and memory through the linker's
// exports, which wasm-bindgen keeps only when told.
run(wasmBindgen, [...args.map((a) => (a === input ? main : a)), ...(cut.length > 0 ? ["--keep-lld-exports"] : [])]);
rmSync(main);
if (cut.length === 0) {
  rmSync(pieces, { recursive: true, force: true });
  process.exit(0);
}

// The same WebAssembly features as the app's own wasm-opt pass (index.html's
// data-wasm-opt-params): what Chromium 85 and Safari 15 run.
const page = readFileSync(join(root, "index.html"), "utf8");
const features = page.match(/data-wasm-opt-params="([^"]*)"/)?.[1].split(/\s+/).filter(Boolean) ?? [];
const wasmOpt = onPath("wasm-opt");
for (const name of cut) {
  const path = join(pieces, name);
  run(wasmOpt, ["-Oz", ...features, path, "-o", path]);
}
console.log(`split-wasm.mjs: ${outName}: ${cut.join(", ")} cut out into ${pieces}`);
