// Where a benchmark leaves its figures for scripts/bench.sh. When BENCH_RESULTS names a
// folder, each benchmark adds its figures to `<folder>/<bench>.json`; tests/bench/report.mjs
// gathers every file into one table (and target/bench/latest.json). Without BENCH_RESULTS
// nothing is written: a benchmark run alone only prints.
//
// A figure: { group, name, unit, median, p95?, n?, better } where `better` is "lower" or
// "higher" (how report.mjs reads a change against a saved run). A single measurement has
// only a median.
//
// From a shell script: node tests/bench/results.mjs BENCH GROUP NAME UNIT VALUE [lower|higher]
// keeps one figure measured once.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { stats } from "./stats.mjs";

/** Adds `figures` to the benchmark's file, if results are kept. */
export function keep(bench, figures) {
  const dir = process.env.BENCH_RESULTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${bench}.json`);
  const kept = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : { bench, figures: [] };
  kept.figures.push(...figures);
  writeFileSync(file, `${JSON.stringify(kept, null, 2)}\n`);
}

/** A figure of many samples: median, p95 and how many. */
export function sampled(group, name, unit, samples, better = "lower") {
  const s = stats(samples);
  return { group, name, unit, median: s.median, p95: s.p95, n: samples.length, better };
}

/** A figure measured once. */
export function single(group, name, unit, value, better = "lower") {
  return { group, name, unit, median: value, better };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [bench, group, name, unit, value, better = "lower"] = process.argv.slice(2);
  if (!Number.isFinite(Number(value)) || !["lower", "higher"].includes(better)) {
    console.error("usage: node tests/bench/results.mjs BENCH GROUP NAME UNIT VALUE [lower|higher]");
    process.exit(2);
  }
  keep(bench, [single(group, name, unit, Number(value), better)]);
}
