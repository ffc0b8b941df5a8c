// The benchmarks' one table: gathers what each benchmark kept in a results folder
// (tests/bench/results.mjs), with the machine it ran on and its load average during the run,
// prints it, and writes it as JSON. With --compare FILE (a JSON written by an earlier run)
// each figure is printed beside the earlier one, with the change. Prints; never fails on a
// figure.
// Usage: node tests/bench/report.mjs RESULTS_DIR [--out FILE] [--compare FILE]
import { cpus, totalmem, release } from "node:os";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

function options(argv) {
  const [dir, ...rest] = argv;
  const out = { dir, out: "target/bench/latest.json", compare: null };
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === "--out") out.out = rest[++i];
    else if (rest[i] === "--compare") out.compare = rest[++i];
    else throw new Error(`report.mjs: unknown argument ${rest[i]}`);
  }
  if (!dir) throw new Error("usage: node tests/bench/report.mjs RESULTS_DIR [--out FILE] [--compare FILE]");
  return out;
}

/** The 1-minute load averages sampled during the run (loadavg.txt: /proc/loadavg a line). */
function loadDuring(dir) {
  const file = join(dir, "loadavg.txt");
  if (!existsSync(file)) return null;
  const samples = readFileSync(file, "utf8").split("\n").map((line) => Number(line.split(" ")[0])).filter(Number.isFinite);
  if (samples.length === 0) return null;
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return { samples: samples.length, mean: Number(mean.toFixed(2)), max: Math.max(...samples) };
}

function machine(dir) {
  const cores = cpus();
  return {
    cores: cores.length,
    cpu: cores[0]?.model ?? "unknown",
    memory_gib: Number((totalmem() / 2 ** 30).toFixed(1)),
    kernel: release(),
    node: process.version,
    load_average_1min: loadDuring(dir),
  };
}

function figures(dir) {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .flatMap((name) => JSON.parse(readFileSync(join(dir, name), "utf8")).figures.map((f) => ({ bench: name.slice(0, -5), ...f })));
}

const key = (f) => `${f.group} / ${f.name}`;

function number(value, unit) {
  if (value === undefined || value === null) return "";
  if (unit === "count") return `${value}`;
  const digits = unit === "KiB" || (Math.abs(value) < 100 && unit !== "ms") ? 1 : 0;
  return `${value.toFixed(digits)} ${unit}`;
}

/** The change from `before` to `now`, and whether it is better, worse or the same. */
function change(now, before) {
  if (!before || !before.median) return "";
  const ratio = now.median / before.median - 1;
  if (Math.abs(ratio) < 0.005) return "same";
  const better = (ratio < 0) === (now.better !== "higher");
  return `${ratio > 0 ? "+" : ""}${(ratio * 100).toFixed(1)}% ${better ? "better" : "worse"}`;
}

function print(report, earlier) {
  const m = report.machine;
  const load = m.load_average_1min ? `load average ${m.load_average_1min.mean} (max ${m.load_average_1min.max}) during the run` : "load not sampled";
  console.log(`\nTongxing benchmarks, ${report.finished}`);
  console.log(`machine: ${m.cores} cores (${m.cpu}), ${m.memory_gib} GiB, Linux ${m.kernel}, Node ${m.node}; ${load}`);
  const before = new Map((earlier?.figures ?? []).map((f) => [key(f), f]));
  const width = Math.max(...report.figures.map((f) => f.name.length), 10) + 2;
  let group = null;
  for (const f of report.figures) {
    if (f.group !== group) {
      group = f.group;
      console.log(`\n${group}`);
    }
    const p95 = f.p95 === undefined ? "" : `p95 ${number(f.p95, f.unit)}`;
    let line = `  ${f.name.padEnd(width)}${number(f.median, f.unit).padStart(14)}  ${p95.padEnd(18)}`;
    if (earlier) {
      const was = before.get(key(f));
      line += `${(was ? number(was.median, was.unit) : "(new)").padStart(14)}  ${change(f, was)}`;
    }
    console.log(line.trimEnd());
  }
  if (report.ratios.length > 0) {
    console.log("\nTongxing ÷ the peer, measured in this run (below 1: Tongxing needs less)");
    const w = Math.max(...report.ratios.map((r) => r.name.length)) + 2;
    for (const r of report.ratios) {
      console.log(`  ${r.name.padEnd(w)}${number(r.tongxing, r.unit).padStart(12)} ÷ ${number(r.peer, r.unit).padStart(12)} = ${r.ratio.toFixed(2)}`);
    }
  }
  if (earlier) console.log(`\ncompared with the run of ${earlier.finished} (${earlier.machine?.cores ?? "?"} cores)`);
}

/** For each peer figure that names the Tongxing figure it stands beside (`vs`), both medians
 * and their ratio, when both were measured in this run. */
function ratios(figures) {
  const byKey = new Map(figures.map((f) => [key(f), f]));
  return figures
    .filter((f) => f.vs && byKey.get(f.vs)?.median > 0 && f.median > 0)
    .map((f) => {
      const ours = byKey.get(f.vs);
      return { name: `${f.vs.split(" / ").pop()} (${f.group.split(", ").slice(1).join(", ")})`, unit: f.unit, tongxing: ours.median, peer: f.median, ratio: ours.median / f.median };
    });
}

const opts = options(process.argv.slice(2));
const gathered = figures(opts.dir);
const report = { finished: new Date().toISOString(), machine: machine(opts.dir), figures: gathered, ratios: ratios(gathered) };
const earlier = opts.compare ? JSON.parse(readFileSync(opts.compare, "utf8")) : null;
print(report, earlier);
mkdirSync(dirname(opts.out), { recursive: true });
writeFileSync(opts.out, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nwritten: ${opts.out}`);
