// Prints an app's transfer size: each file of its build that a first visit downloads, raw
// and brotli-compressed, and fails when the total brotli size is over its budget
// (scripts/size-budgets.json; an environment variable TONGXING_<APP>_BUDGET_KIB may only
// set a lower one). The pieces of WebAssembly loaded after the first screen (every .wasm
// but the app's own `_bg.wasm`, see scripts/place-wasm-pieces.mjs) are listed apart, with
// what the whole app comes to, and are not held to the budget.
// With BENCH_RESULTS set (scripts/bench.sh) it also keeps the figures (tests/bench/results.mjs).
// Usage: node scripts/size-report.mjs field|oversight
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, extname } from "node:path";
import { keep, single } from "../tests/bench/results.mjs";
import { FILE_KINDS, sumSizes, transferSize } from "../tests/bench/transfer-size.mjs";

const app = process.argv[2] ?? "field";
const budgets = JSON.parse(readFileSync(new URL("size-budgets.json", import.meta.url), "utf8"));
if (!budgets[app]?.kib) {
  console.error(`size-report.mjs: no budget for "${app}" in scripts/size-budgets.json`);
  process.exit(2);
}
const dist = budgets[app].dir;
const lower = Number(process.env[`TONGXING_${app.toUpperCase()}_BUDGET_KIB`]);
const budgetKiB = lower > 0 ? Math.min(lower, budgets[app].kib) : budgets[app].kib;

const rows = [];
for (const name of readdirSync(dist)) {
  const path = join(dist, name);
  const kind = FILE_KINDS[extname(name)];
  if (!kind || !statSync(path).isFile()) continue;
  const later = kind === "wasm" && !name.endsWith("_bg.wasm");
  // gzip only for the benchmark's table (BENCH_RESULTS): the budget counts brotli.
  rows.push({ name, kind, later, ...transferSize(path, Boolean(process.env.BENCH_RESULTS)) });
}
rows.sort((a, b) => b.br - a.br);
const kib = (n) => (n / 1024).toFixed(1).padStart(8);
const line = (name, r) => console.log(`${name.padEnd(48)} ${kib(r.raw)} ${kib(r.br)}`);
console.log(`${"file".padEnd(48)} ${"raw KiB".padStart(8)} ${"br KiB".padStart(8)}`);
for (const r of rows.filter((r) => !r.later)) line(r.name, r);
const total = sumSizes(rows.filter((r) => !r.later));
console.log(`${"first visit".padEnd(48)} ${kib(total.raw)} ${kib(total.br)}   (${app} app, budget ${budgetKiB} KiB brotli)`);
const later = rows.filter((r) => r.later);
if (later.length > 0) {
  console.log("loaded after the first screen:");
  for (const r of later) line(r.name, r);
  line("the whole app", sumSizes(rows));
}
if (process.env.BENCH_RESULTS) {
  // Each kind of file of the first visit, raw, gzip and brotli; then the whole app.
  const group = `transfer size, ${app} app`;
  const figures = [];
  for (const kind of ["wasm", "js", "css", "html"]) {
    const t = sumSizes(rows.filter((r) => !r.later && r.kind === kind));
    figures.push(
      single(group, `first visit ${kind}, raw`, "KiB", t.raw / 1024),
      single(group, `first visit ${kind}, gzip`, "KiB", t.gz / 1024),
      single(group, `first visit ${kind}, brotli`, "KiB", t.br / 1024),
    );
  }
  figures.push(single(group, "first visit, brotli", "KiB", total.br / 1024), single(group, "whole app, brotli", "KiB", sumSizes(rows).br / 1024));
  keep("size", figures);
}
if (total.br > budgetKiB * 1024) {
  console.error(`size budget exceeded (${app} app): ${(total.br / 1024).toFixed(1)} KiB > ${budgetKiB} KiB`);
  process.exit(1);
}
