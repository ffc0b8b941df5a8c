// Run by scripts/post-build.mjs, before the service worker is made: minifies every script
// of the build with terser. Trunk's own minifier gives up on wasm-bindgen's glue
// (`export { … as default }`) and ships it whole, about 2 KiB more per app after brotli.
// Output stays ECMAScript 2020, which scripts/check-old-engines.mjs checks. Trunk's pages
// name each script with its subresource-integrity hash, so the hashes are made anew.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { minify } from "terser";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("minify-js.mjs: TRUNK_STAGING_DIR is not set (run it from Trunk)");
  process.exit(1);
}

const integrity = (text) => `sha384-${createHash("sha384").update(text).digest("base64")}`;
const pages = readdirSync(dir).filter((n) => n.endsWith(".html"));

for (const name of readdirSync(dir).filter((n) => n.endsWith(".js"))) {
  const path = join(dir, name);
  const source = readFileSync(path, "utf8");
  const { code } = await minify(source, { module: true, ecma: 2020, compress: true, mangle: true });
  writeFileSync(path, code);
  const [before, after] = [integrity(source), integrity(code)];
  for (const page of pages) {
    const html = readFileSync(join(dir, page), "utf8");
    if (html.includes(before)) writeFileSync(join(dir, page), html.replaceAll(before, after));
  }
  console.log(`minify-js.mjs: ${name} ${source.length} → ${code.length} bytes`);
}
