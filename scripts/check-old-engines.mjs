// Checks that every built WebAssembly file runs on the old engines Tongxing's users have:
// Chromium 85 (the X5/XWeb cores of WeChat and the vendor browsers of older phones) and
// Safari 15. Each .wasm under the given directory is read and validated by WABT (its
// WebAssembly build, from npm) with only the proposals those engines have switched on;
// any other (reference types/externref, multi-value, SIMD, tail calls, exceptions, GC,
// threads, 64-bit memory, …) fails the check with the first place it is used.
// Usage: node scripts/check-old-engines.mjs [dist]
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse } from "acorn";
import initWabt from "wabt";

/** What Chromium 85 and Safari 15 both run: the MVP, and these. */
const OLD_ENGINES = {
  mutable_globals: true,
  sat_float_to_int: true,
  sign_extension: true,
  bulk_memory: true,
  reference_types: false,
  multi_value: false,
  simd: false,
  relaxed_simd: false,
  tail_call: false,
  exceptions: false,
  threads: false,
  function_references: false,
  gc: false,
  memory64: false,
  extended_const: false,
};

/** The newest edition of ECMAScript that both engines have whole. */
const ECMASCRIPT = 2020;

function* files(dir, ending) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path, ending);
    else if (name.endsWith(ending)) yield path;
  }
}

/** Whether `source` parses as ECMAScript 2020 (a module or a classic script); why not. */
function parsesAsOld(source, sourceType) {
  try {
    parse(source, { ecmaVersion: ECMASCRIPT, sourceType });
    return null;
  } catch (error) {
    const near = source.slice(Math.max(0, error.pos - 40), error.pos + 40).replace(/\s+/g, " ");
    return `${error.message} near "${near}"`;
  }
}

const wabt = await initWabt();
const root = process.argv[2] ?? "dist";
let failed = 0;
let checked = 0;
for (const path of files(root, ".wasm")) {
  checked += 1;
  try {
    const module = wabt.readWasm(readFileSync(path), { readDebugNames: false, ...OLD_ENGINES });
    module.validate();
    module.destroy();
    console.log(`${path}: runs on Chromium 85 and Safari 15 (no proposal they lack)`);
  } catch (error) {
    failed += 1;
    console.error(`${path}: uses a WebAssembly proposal that Chromium 85 or Safari 15 lacks: ${String(error).replace(/\s+/g, " ")}`);
  }
}
// The service workers and their registration are classic scripts; the rest are modules.
const classic = (path) => path.endsWith("sw.js");
for (const path of files(root, ".js")) {
  checked += 1;
  const problem = parsesAsOld(readFileSync(path, "utf8"), classic(path) ? "script" : "module");
  if (problem) {
    failed += 1;
    console.error(`${path}: not ECMAScript ${ECMASCRIPT}: ${problem}`);
  }
}
for (const path of files(root, "index.html")) {
  const html = readFileSync(path, "utf8");
  for (const [, attributes, source] of html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)) {
    if (/\bsrc=/.test(attributes)) continue;
    checked += 1;
    const problem = parsesAsOld(source, /type=["']?module/.test(attributes) ? "module" : "script");
    if (problem) {
      failed += 1;
      console.error(`${path}: an inline script is not ECMAScript ${ECMASCRIPT}: ${problem}`);
    }
  }
}
console.log(`check-old-engines.mjs: ${checked} files and scripts checked, ${failed} would not run on Chromium 85 or Safari 15`);
if (checked === 0) {
  console.error(`check-old-engines.mjs: nothing built under ${root}: build the apps first`);
  process.exit(2);
}
process.exit(failed > 0 ? 1 : 0);
