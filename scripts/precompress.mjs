// Writes a brotli (.br) and a gzip (.gz) copy beside each text or WebAssembly file of the
// built apps, at the strongest settings, once per build: the server sends them by the
// browser's Accept-Encoding (ingest/src/http/static_app.rs), and a static host can too.
// Usage: node scripts/precompress.mjs [dist]
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { extname, join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const compressible = new Set([".html", ".js", ".wasm", ".css", ".webmanifest", ".svg", ".json"]);

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (compressible.has(extname(name))) yield path;
  }
}

const root = process.argv[2] ?? "dist";
let count = 0;
let raw = 0;
let br = 0;
for (const path of files(root)) {
  const bytes = readFileSync(path);
  const brotli = brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
  writeFileSync(`${path}.br`, brotli);
  writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
  count += 1;
  raw += bytes.length;
  br += brotli.length;
}
console.log(`precompress.mjs: ${count} files in ${root}, ${(raw / 1024).toFixed(1)} KiB raw, ${(br / 1024).toFixed(1)} KiB brotli`);
