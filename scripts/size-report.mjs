// Prints the app's transfer size: each file of dist/ that a first visit downloads, raw and
// brotli-compressed, and fails when the total brotli size is over the budget.
// Usage: node scripts/size-report.mjs [dist] [budget-kib]
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, extname } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";

const dist = process.argv[2] ?? "dist";
const budgetKiB = Number(process.argv[3] ?? 350);
const kinds = { ".wasm": "wasm", ".js": "js", ".css": "css", ".html": "html" };

const rows = [];
for (const name of readdirSync(dist)) {
  const path = join(dist, name);
  const kind = kinds[extname(name)];
  if (!kind || !statSync(path).isFile()) continue;
  const raw = readFileSync(path);
  const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  rows.push({ name, kind, raw: raw.length, br: br.length });
}
rows.sort((a, b) => b.br - a.br);
const kib = (n) => (n / 1024).toFixed(1).padStart(8);
console.log(`${"file".padEnd(40)} ${"raw KiB".padStart(8)} ${"br KiB".padStart(8)}`);
for (const r of rows) console.log(`${r.name.padEnd(40)} ${kib(r.raw)} ${kib(r.br)}`);
const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, br: t.br + r.br }), { raw: 0, br: 0 });
console.log(`${"total".padEnd(40)} ${kib(total.raw)} ${kib(total.br)}   (budget ${budgetKiB} KiB brotli)`);
if (total.br > budgetKiB * 1024) {
  console.error(`size budget exceeded: ${(total.br / 1024).toFixed(1)} KiB > ${budgetKiB} KiB`);
  process.exit(1);
}
